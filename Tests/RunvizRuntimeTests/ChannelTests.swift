// Facts about Channel.close with parked tasks: every parked sender and receiver wakes; senders
// throw ChannelClosed (their values are dropped), receivers get the buffered values and then nil.
// And about cancelling a parked task (ChannelCancelTests): it wakes, and no value is lost. A capacity
// below 1 is an error the caller catches, not a trap.

import RunvizTestSupport
import Testing

@testable import RunvizRuntime

@Suite struct ChannelTests {
    enum Outcome: Hashable, Sendable {
        case sent(Int), refused(Int), received(Int), ended
    }

    let runtime: Runtime

    init() throws { runtime = try Runtime(RuntimeConfiguration(workers: 1)) }

    func startSending(_ value: Int, on channel: Channel<Int>, _ outcomes: Outcomes<Outcome>) {
        runtime.spawn(name: "sender") {
            do {
                try await channel.send(value)
                outcomes.append(.sent(value))
            } catch {
                outcomes.append(error is ChannelClosed ? .refused(value) : .ended)
            }
        }
    }

    func startReceiving(on channel: Channel<Int>, _ outcomes: Outcomes<Outcome>) {
        runtime.spawn(name: "receiver") {
            let value = try await channel.receive()
            outcomes.append(value.map { .received($0) } ?? .ended)
        }
    }

    @Test(arguments: [0, -1])
    func aCapacityBelowOneThrowsWhatItWasAndWhatToDo(capacity: Int) {
        defer { runtime.shutdown() }
        #expect(throws: InvalidChannelCapacity(capacity: capacity)) { try Channel<Int>(capacity: capacity) }
        do {
            _ = try Channel<Int>(capacity: capacity)
        } catch {
            #expect(
                error.description
                    == "invalid channel capacity: must be at least 1 (got \(capacity)); a channel holds at least one "
                    + "value, and capacity 1 is a hand-off")
        }
    }

    @Test func capacityOneHoldsOneValue() throws {
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 1)
        #expect(channel.capacity == 1)
        let received = try runtime.blockOn {
            try await channel.send(7)
            return try await channel.receive()
        }
        #expect(received == 7)
    }

    @Test func closeWakesEveryParkedSenderWithChannelClosed() throws {
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 1)
        let outcomes = Outcomes<Outcome>()
        startSending(1, on: channel, outcomes)
        #expect(eventually { outcomes.count == 1 })
        startSending(2, on: channel, outcomes)
        startSending(3, on: channel, outcomes)
        #expect(eventually { channel.parkedSenders == 2 })

        channel.close()
        #expect(eventually { outcomes.count == 3 })
        #expect(outcomes.all.first == .sent(1))
        #expect(Set(outcomes.all.dropFirst()) == [.refused(2), .refused(3)])
        #expect(channel.parkedSenders == 0)

        // The value sent before the close is still delivered, then the channel reports its end.
        let drained = try runtime.blockOn { [try await channel.receive(), try await channel.receive()] }
        #expect(drained == [1, nil])
        #expect(throws: ChannelClosed.self) { try runtime.blockOn { try await channel.send(4) } }
    }

    @Test func closeWakesEveryParkedReceiverWithNil() throws {
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 2)
        let outcomes = Outcomes<Outcome>()
        startReceiving(on: channel, outcomes)
        startReceiving(on: channel, outcomes)
        startReceiving(on: channel, outcomes)
        #expect(eventually { channel.parkedReceivers == 3 })

        channel.close()
        #expect(eventually { outcomes.count == 3 })
        #expect(outcomes.all == [.ended, .ended, .ended])
        #expect(channel.parkedReceivers == 0)
    }

    @Test func receiversDrainTheBufferBeforeTheyGetNil() throws {
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 2)
        let outcomes = Outcomes<Outcome>()
        startSending(1, on: channel, outcomes)
        #expect(eventually { channel.count == 1 })
        startSending(2, on: channel, outcomes)
        #expect(eventually { channel.count == 2 })
        channel.close()
        for _ in 0..<3 {
            let before = outcomes.count
            startReceiving(on: channel, outcomes)
            #expect(eventually { outcomes.count == before + 1 })
        }
        #expect(outcomes.all.suffix(3) == [.received(1), .received(2), .ended])
    }
}

// Facts about cancelling a parked send or receive: the cancel wakes it with CancellationError and
// takes it out of the channel's queue; a value never goes to a cancelled receiver and is never lost.
@Suite struct ChannelCancelTests {
    enum Outcome: Hashable, Sendable {
        case sent(Int), received(Int?), cancelled
    }

    let runtime: Runtime

    init() throws { runtime = try Runtime(RuntimeConfiguration(workers: 1)) }

    func startReceiving(on channel: Channel<Int>, _ outcomes: Outcomes<Outcome>) -> JoinHandle<Void> {
        runtime.spawn(name: "receiver") {
            do {
                outcomes.append(.received(try await channel.receive()))
            } catch is CancellationError {
                outcomes.append(.cancelled)
            }
        }
    }

    @Test func cancelWakesAParkedReceiverAndTheNextValueWaitsInTheBuffer() throws {
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 1)
        let outcomes = Outcomes<Outcome>()
        let receiver = startReceiving(on: channel, outcomes)
        #expect(eventually { channel.parkedReceivers == 1 })

        receiver.cancel()
        #expect(eventually { outcomes.all == [.cancelled] })
        #expect(channel.parkedReceivers == 0)
        try runtime.blockOn { try await channel.send(7) }
        #expect(channel.count == 1)
        #expect(try runtime.blockOn { try await channel.receive() } == 7)
    }

    @Test func cancelWakesAParkedSenderAndItsValueIsNotSent() throws {
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 1)
        let outcomes = Outcomes<Outcome>()
        try runtime.blockOn { try await channel.send(1) }
        let sender = runtime.spawn(name: "sender") {
            do {
                try await channel.send(2)
                outcomes.append(.sent(2))
            } catch is CancellationError {
                outcomes.append(.cancelled)
            }
        }
        #expect(eventually { channel.parkedSenders == 1 })

        sender.cancel()
        #expect(eventually { outcomes.all == [.cancelled] })
        #expect(channel.parkedSenders == 0)
        #expect(try runtime.blockOn { try await channel.receive() } == 1)
        #expect(channel.count == 0)
    }

    @Test func aValueSentAsTheReceiverIsCancelledIsNeverLost() throws {
        defer { runtime.shutdown() }
        let channel = try Channel<Int>(capacity: 1)
        let outcomes = Outcomes<Outcome>()
        for n in 0..<200 {
            let receiver = startReceiving(on: channel, outcomes)
            try #require(eventually { channel.parkedReceivers == 1 })
            runtime.spawn(name: "sender") { try await channel.send(n) }
            receiver.cancel()
            try #require(
                eventually { outcomes.count == n + 1 && (outcomes.all.last != .cancelled || channel.count == 1) })
            // The receiver got the value, or it was cancelled and the value waits in the buffer.
            if outcomes.all.last == .cancelled {
                try #require(try runtime.blockOn { try await channel.receive() } == n)
            } else {
                try #require(outcomes.all.last == .received(n))
            }
            try #require(channel.count == 0)
        }
    }
}
