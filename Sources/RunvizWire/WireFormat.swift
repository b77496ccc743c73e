// The telemetry wire: what a viewer and an endpoint say to each other around the recording stream.
//
//   viewer → endpoint   hello:  "RUNVIZ\0A" | u16 LE wire version            (10 bytes, once)
//   endpoint → viewer   answer: "RUNVIZ\0T" | u16 LE wire version | u8 status (0 accepted, 1 refused)
//                               | u8 flags (bit 0: accepts commands) | u16 LE length | UTF-8 text
//                       (accepted: the text says what the target is; refused: why, for the viewer to print)
//   then, both ways, frames  u8 kind | length | payload:
//     endpoint → viewer  kind 1 data (u32 LE length): recording bytes, the header first; all data
//                        payloads in order are one recording stream for one RecordingDecoder
//                        kind 2 notice (u32 LE length ≤ 4 KiB): one line for the viewer to show
//     viewer → endpoint  kind 3 command (u8 length ≤ 32): one Command (Command+Wire.swift)
//
// Every length is checked against its limit before a byte of the payload is awaited, so a peer
// cannot make the other side buffer more than the limits say. The recording bytes inside data
// frames are checked by the RecordingDecoder itself (block lengths, checksums, versions).

import RunvizObservation

public enum WireFormat {
    /// "RUNVIZ", a NUL, "A" for attach.
    public static let helloMagic: [UInt8] = [0x52, 0x55, 0x4E, 0x56, 0x49, 0x5A, 0x00, 0x41]
    /// "RUNVIZ", a NUL, "T" for telemetry.
    public static let answerMagic: [UInt8] = [0x52, 0x55, 0x4E, 0x56, 0x49, 0x5A, 0x00, 0x54]
    /// Bump for any change an older peer would misread; both sides refuse a version not theirs.
    public static let version: UInt16 = 1

    public static let helloBytes = helloMagic.count + 2
    /// The answer before its text.
    static let answerHeadBytes = answerMagic.count + 2 + 1 + 1 + 2
    static let maxAnswerText = 1024
    static let maxNoticeBytes = 4096
    static let maxCommandBytes = 32
    /// The largest data payload: one observation block (bounded by the recording format) with the
    /// sync block before it, or a viewer's first frame (the header and the catch-up).
    static let maxDataBytes = RecordingFormat.maxBlockBytes + (1 << 20)

    enum FrameKind: UInt8 {
        case data = 1
        case notice = 2
        case command = 3
    }

    enum Status: UInt8 {
        case accepted = 0
        case refused = 1
    }

    static let acceptsCommandsFlag: UInt8 = 1

    public static func hello(version: UInt16 = WireFormat.version) -> [UInt8] {
        helloMagic + [UInt8(truncatingIfNeeded: version), UInt8(truncatingIfNeeded: version >> 8)]
    }

    static func answer(accepted: Bool, acceptsCommands: Bool, text: String) -> [UInt8] {
        let utf8 = Array(text.utf8.prefix(maxAnswerText))
        var bytes = answerMagic
        le16(version, into: &bytes)
        bytes.append(accepted ? Status.accepted.rawValue : Status.refused.rawValue)
        bytes.append(acceptsCommands ? acceptsCommandsFlag : 0)
        le16(UInt16(utf8.count), into: &bytes)
        return bytes + utf8
    }

    /// The head of a data or notice frame whose payload is `length` bytes.
    static func frameHead(_ kind: FrameKind, length: Int) -> [UInt8] {
        var bytes = [kind.rawValue]
        le32(UInt32(truncatingIfNeeded: length), into: &bytes)
        return bytes
    }

    static func notice(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8.prefix(maxNoticeBytes))
        return frameHead(.notice, length: utf8.count) + utf8
    }

    static func le16(_ v: UInt16, into bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    static func le32(_ v: UInt32, into bytes: inout [UInt8]) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * i))) }
    }

    static func read16<C: Collection>(_ bytes: C, at offset: Int) -> UInt16 where C.Element == UInt8, C.Index == Int {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func read32<C: Collection>(_ bytes: C, at offset: Int) -> UInt32 where C.Element == UInt8, C.Index == Int {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
        return v
    }
}
