// A bounded multi-producer multi-consumer channel (tokio::sync::mpsc, with many receivers allowed).
// `send` parks when the buffer is full (reason: channel #id send); `receive` parks when it is empty
// (channel #id recv). A value goes straight to a parked receiver when there is one; a receive that
// frees a slot moves the oldest parked sender's value in and wakes it. After `close`, sends fail and
// receives drain the buffer, then return nil. A capacity below 1 is refused with a thrown
// `InvalidChannelCapacity`, as a bad runtime setting is with `RuntimeError.invalidSetting`.
//
// Cancellation: a parked `send` or `receive` is woken by its task's cancel and throws
// CancellationError. Every parked task has an id; the cancel handler removes it from its queue under
// the state lock, so exactly one of the cancel and the peer that pops it resumes it. When the peer wins
// the race the operation completes as if the cancel had come a moment later: the receiver returns the
// value it was handed (a value is never lost), the sender returns having delivered its value.

import DequeModule
import RunvizLock

/// Thrown by `send` on a closed channel.
public struct ChannelClosed: Error, Equatable {}

/// Thrown by `Channel(capacity:)` for a capacity below 1.
public struct InvalidChannelCapacity: Error, Equatable, CustomStringConvertible {
    /// The capacity asked for.
    public let capacity: Int

    public var description: String {
        "invalid channel capacity: must be at least 1 (got \(capacity)); a channel holds at least one value, "
            + "and capacity 1 is a hand-off"
    }
}

private enum SendOutcome<Element> {
    case done
    case closed
    case handed(UnsafeContinuation<Element?, Error>)
    case park
}

/// A bounded channel of values between tasks (see the file header for parking and cancellation).
public final class Channel<Element: Sendable>: Sendable {
    /// The number the dashboard shows for this channel ("channel #2 send").
    public let id: UInt32
    /// Values the buffer holds before `send` parks.
    public let capacity: Int
    private struct Sender {
        let id: UInt64
        /// Resumed with true once the value is in the buffer or with a receiver, false on close.
        let continuation: UnsafeContinuation<Bool, Error>
        let value: Element
    }
    private struct Receiver {
        let id: UInt64
        let continuation: UnsafeContinuation<Element?, Error>
    }
    private struct State {
        var buffer = Deque<Element>()
        var receivers = Deque<Receiver>()
        var senders = Deque<Sender>()
        var closed = false
        var nextWaiter: UInt64 = 0

        mutating func makeWaiterID() -> UInt64 {
            nextWaiter &+= 1
            return nextWaiter
        }
    }
    private let state = Lock(State())
    private enum ReceiveOutcome {
        case value(Element, Sender?)
        case closed
        case park
    }

    /// A channel whose buffer holds `capacity` values. Throws `InvalidChannelCapacity` when
    /// `capacity` is below 1.
    public init(capacity: Int) throws(InvalidChannelCapacity) {
        guard capacity >= 1 else { throw InvalidChannelCapacity(capacity: capacity) }
        self.capacity = capacity
        id = SyncID.make()
    }

    /// Sends `value`, parking while the channel is full. Throws `ChannelClosed` after `close`.
    ///
    /// Room in the buffer or a parked receiver takes the value even from a cancelled task: only the
    /// wait is cancellable. Cancelling a parked `send` wakes it and throws `CancellationError`; its
    /// value was not sent and the channel holds nothing of it. A close wakes it with `ChannelClosed`
    /// (the value is dropped).
    public func send(_ value: Element) async throws {
        let task = TaskIdentity.current
        let outcome = state.withLock { s -> SendOutcome<Element> in
            if s.closed { return .closed }
            if let r = s.receivers.popFirst() { return .handed(r.continuation) }
            if s.buffer.count < capacity {
                s.buffer.append(value)
                return .done
            }
            return .park
        }
        switch outcome {
        case .done: return
        case .closed: throw ChannelClosed()
        case .handed(let r):
            WakeCause.with(.task, task) { r.resume(returning: value) }
            return
        case .park:
            let waiter = state.withLock { $0.makeWaiterID() }
            let delivered = try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<Bool, Error>) in
                    let r = state.withLock { s -> SendOutcome<Element>? in
                        if s.closed { return .closed }
                        if let r = s.receivers.popFirst() { return .handed(r.continuation) }
                        if s.buffer.count < capacity {
                            s.buffer.append(value)
                            return .done
                        }
                        // A cancel that came before this point found no sender to remove: see it here.
                        if Task.isCancelled { return nil }
                        s.senders.append(Sender(id: waiter, continuation: c, value: value))
                        Recorder.current?.parked(task, on: .channel(id: id, sending: true))
                        return .park
                    }
                    switch r {
                    case nil: c.resume(throwing: CancellationError())
                    case .park: break
                    case .done: c.resume(returning: true)
                    case .closed: c.resume(returning: false)
                    case .handed(let rc):
                        WakeCause.with(.task, task) { rc.resume(returning: value) }
                        c.resume(returning: true)
                    }
                }
            } onCancel: {
                let removed = state.withLock { s -> Sender? in
                    guard let i = s.senders.firstIndex(where: { $0.id == waiter }) else { return nil }
                    return s.senders.remove(at: i)
                }
                removed?.continuation.resume(throwing: CancellationError())
            }
            if !delivered { throw ChannelClosed() }
        }
    }

    /// Receives the oldest value, parking while the channel is empty; nil once closed and drained.
    ///
    /// A buffered value is returned even to a cancelled task: only the wait is cancellable.
    /// Cancelling a parked `receive` wakes it and throws `CancellationError`; it took nothing, and
    /// every value stays in the channel for the next receiver. A value handed to it as the cancel
    /// arrived is returned, not dropped.
    public func receive() async throws -> Element? {
        let task = TaskIdentity.current
        let first = state.withLock { s -> ReceiveOutcome in takeLocked(&s) }
        switch first {
        case .value(let v, let sender):
            if let sender { WakeCause.with(.task, task) { sender.continuation.resume(returning: true) } }
            return v
        case .closed: return nil
        case .park:
            let waiter = state.withLock { $0.makeWaiterID() }
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<Element?, Error>) in
                    let again = state.withLock { s -> ReceiveOutcome? in
                        let o = takeLocked(&s)
                        if case .park = o {
                            // A cancel that came before this point found no receiver to remove.
                            if Task.isCancelled { return nil }
                            s.receivers.append(Receiver(id: waiter, continuation: c))
                            Recorder.current?.parked(task, on: .channel(id: id, sending: false))
                        }
                        return o
                    }
                    switch again {
                    case nil: c.resume(throwing: CancellationError())
                    case .park: break
                    case .closed: c.resume(returning: nil)
                    case .value(let v, let sender):
                        if let sender { WakeCause.with(.task, task) { sender.continuation.resume(returning: true) } }
                        c.resume(returning: v)
                    }
                }
            } onCancel: {
                let removed = state.withLock { s -> Receiver? in
                    guard let i = s.receivers.firstIndex(where: { $0.id == waiter }) else { return nil }
                    return s.receivers.remove(at: i)
                }
                removed?.continuation.resume(throwing: CancellationError())
            }
        }

        func takeLocked(_ s: inout State) -> ReceiveOutcome {
            if let v = s.buffer.popFirst() {
                var freed: Sender?
                if let sender = s.senders.popFirst() {
                    s.buffer.append(sender.value)
                    freed = sender
                }
                return .value(v, freed)
            }
            if let sender = s.senders.popFirst() { return .value(sender.value, sender) }
            return s.closed ? .closed : .park
        }
    }

    /// Closes the channel: parked senders fail, parked receivers get nil once the buffer is empty.
    public func close() {
        let (receivers, senders) = state.withLock { s -> ([Receiver], [Sender]) in
            s.closed = true
            let r = s.buffer.isEmpty ? Array(s.receivers) : []
            if s.buffer.isEmpty { s.receivers.removeAll() }
            let snd = Array(s.senders)
            s.senders.removeAll()
            return (r, snd)
        }
        for r in receivers { r.continuation.resume(returning: nil) }
        for snd in senders { snd.continuation.resume(returning: false) }
    }

    /// Values in the buffer now.
    public var count: Int { state.withLock { $0.buffer.count } }
    /// Tasks parked in `send` now.
    public var parkedSenders: Int { state.withLock { $0.senders.count } }
    /// Tasks parked in `receive` now.
    public var parkedReceivers: Int { state.withLock { $0.receivers.count } }
}
