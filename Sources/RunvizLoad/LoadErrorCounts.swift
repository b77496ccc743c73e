// LoadErrorCounts: one counter per LoadErrorKind. A plain value: workers keep one each and the totals are
// sums of them, so it is cheap to copy and to publish.

/// Error counts by kind.
public struct LoadErrorCounts: Sendable, Equatable {
    public var connectRefused: UInt64 = 0
    public var reset: UInt64 = 0
    public var unexpectedEOF: UInt64 = 0
    public var mismatch: UInt64 = 0
    public var surplus: UInt64 = 0
    public var timeout: UInt64 = 0
    public var other: UInt64 = 0

    public init() {}

    /// The count of one kind.
    public subscript(kind: LoadErrorKind) -> UInt64 {
        get {
            switch kind {
            case .connectRefused: connectRefused
            case .reset: reset
            case .unexpectedEOF: unexpectedEOF
            case .mismatch: mismatch
            case .surplus: surplus
            case .timeout: timeout
            case .other: other
            }
        }
        set {
            switch kind {
            case .connectRefused: connectRefused = newValue
            case .reset: reset = newValue
            case .unexpectedEOF: unexpectedEOF = newValue
            case .mismatch: mismatch = newValue
            case .surplus: surplus = newValue
            case .timeout: timeout = newValue
            case .other: other = newValue
            }
        }
    }

    /// All errors of every kind.
    public var total: UInt64 {
        LoadErrorKind.allCases.reduce(0) { $0 + self[$1] }
    }

    /// Adds another set of counts to this one.
    public mutating func add(_ other: LoadErrorCounts) {
        for kind in LoadErrorKind.allCases {
            self[kind] += other[kind]
        }
    }

    /// "none", or the non-zero kinds: "mismatch 3, reset 1".
    public var description: String {
        let parts = LoadErrorKind.allCases.compactMap { kind in
            self[kind] == 0 ? nil : "\(kind.label) \(self[kind])"
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
