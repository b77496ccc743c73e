// A bounded multi-producer multi-consumer channel (tokio::sync::mpsc, with many receivers allowed).
// `send` parks when the buffer is full (reason: channel #id send); `receive` parks when it is empty
// (channel #id recv). A value goes straight to a parked receiver when there is one; a receive that
// frees a slot moves the oldest parked sender's value in and wakes it. After `close`, sends fail and
// receives drain the buffer, then return nil.

import DequeModule
import RunvizTelemetry
import Synchronization

public struct ChannelClosed: Error, Equatable {}

private enum SendOutcome<Element> {
    case done
    case closed
    case handed(UnsafeContinuation<Element?, Never>)
    case park
}

public final class Channel<Element: Sendable>: Sendable {
    public let id: UInt32
    public let capacity: Int
    private struct Sender {
        let continuation: UnsafeContinuation<Bool, Never>
        let value: Element
    }
    private struct State {
        var buffer = Deque<Element>()
        var receivers = Deque<UnsafeContinuation<Element?, Never>>()
        var senders = Deque<Sender>()
        var closed = false
    }
    private let state = Mutex(State())
    private enum ReceiveOutcome {
        case value(Element, Sender?)
        case closed
        case park
    }

    public init(capacity: Int) {
        precondition(capacity >= 1, "channel capacity must be at least 1")
        self.capacity = capacity
        id = SyncID.make()
    }

    /// Sends `value`, parking while the channel is full. Throws `ChannelClosed` after `close`.
    public func send(_ value: Element) async throws {
        let task = TaskIdentity.current
        let outcome = state.withLock { s -> SendOutcome<Element> in
            if s.closed { return .closed }
            if let r = s.receivers.popFirst() { return .handed(r) }
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
            let delivered = await withUnsafeContinuation { (c: UnsafeContinuation<Bool, Never>) in
                let r = state.withLock { s -> SendOutcome<Element> in
                    if s.closed { return .closed }
                    if let r = s.receivers.popFirst() { return .handed(r) }
                    if s.buffer.count < capacity {
                        s.buffer.append(value)
                        return .done
                    }
                    s.senders.append(Sender(continuation: c, value: value))
                    Recorder.current?.parked(task, on: .channel(id: id, sending: true))
                    return .park
                }
                switch r {
                case .park: break
                case .done: c.resume(returning: true)
                case .closed: c.resume(returning: false)
                case .handed(let rc):
                    WakeCause.with(.task, task) { rc.resume(returning: value) }
                    c.resume(returning: true)
                }
            }
            if !delivered { throw ChannelClosed() }
        }
    }

    /// Receives the oldest value, parking while the channel is empty; nil once closed and drained.
    public func receive() async -> Element? {
        let task = TaskIdentity.current
        let first = state.withLock { s -> ReceiveOutcome in takeLocked(&s) }
        switch first {
        case .value(let v, let sender):
            if let sender { WakeCause.with(.task, task) { sender.continuation.resume(returning: true) } }
            return v
        case .closed: return nil
        case .park:
            return await withUnsafeContinuation { (c: UnsafeContinuation<Element?, Never>) in
                let again = state.withLock { s -> ReceiveOutcome in
                    let o = takeLocked(&s)
                    if case .park = o {
                        s.receivers.append(c)
                        Recorder.current?.parked(task, on: .channel(id: id, sending: false))
                    }
                    return o
                }
                switch again {
                case .park: break
                case .closed: c.resume(returning: nil)
                case .value(let v, let sender):
                    if let sender { WakeCause.with(.task, task) { sender.continuation.resume(returning: true) } }
                    c.resume(returning: v)
                }
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
        let (receivers, senders) = state.withLock { s -> ([UnsafeContinuation<Element?, Never>], [Sender]) in
            s.closed = true
            let r = s.buffer.isEmpty ? Array(s.receivers) : []
            if s.buffer.isEmpty { s.receivers.removeAll() }
            let snd = Array(s.senders)
            s.senders.removeAll()
            return (r, snd)
        }
        for r in receivers { r.resume(returning: nil) }
        for snd in senders { snd.continuation.resume(returning: false) }
    }

    public var count: Int { state.withLock { $0.buffer.count } }
    public var parkedSenders: Int { state.withLock { $0.senders.count } }
    public var parkedReceivers: Int { state.withLock { $0.receivers.count } }
}
