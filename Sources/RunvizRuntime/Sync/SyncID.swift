// Numbers for the runtime's locks and channels, so the dashboard can say "mutex #3".

import Synchronization

enum SyncID {
    private static let next = Atomic<UInt32>(1)
    static func make() -> UInt32 { next.add(1, ordering: .relaxed).oldValue }
}
