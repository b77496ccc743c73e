// Facts about readiness → reply, from scripted events: the kernel reporting a stream readable
// starts the wait, the task's next write on it ends it; only the oldest unanswered readiness is
// timed; readiness consumed by parking to read again, or by closing, needs no reply; replies count
// per one-second window, so a second with none reads as none while the unanswered wait grows.
// The replies in flight live on the fds' records (FDModel); ReplyModel times the ones a write takes.

import RunvizTelemetry
import Testing

@testable import RunvizObservation

@Suite struct ReplyModelTests {
    static let us: UInt64 = 1_000
    static let second: UInt64 = 1_000_000_000

    /// The fd model and the reply model as the aggregator drives them, on fds 5, 6 and 9.
    struct Replies {
        var fds = FDModel()
        var model = ReplyModel()

        init() { for fd: Int32 in [5, 6, 9] { fds.registered(fd, owner: 1) } }

        mutating func ready(_ fd: Int32, _ readiness: Interest, at time: UInt64) {
            fds.ready(fd, readiness, waking: 0, at: time)
        }

        mutating func wrote(_ fd: Int32, at time: UInt64) {
            if let reply = fds.replied(fd) { model.replied(reply, at: time) }
        }

        /// The task parks on `fd` to read again.
        mutating func parksToRead(_ fd: Int32) { fds.interestLeft(on: fd, .read, by: 1) }

        mutating func closeWindow() { model.closeWindow() }

        func summary(now: UInt64) -> ReplyLatency { model.summary(now: now, inFlight: fds.repliesInFlight()) }
    }

    @Test func aReplyIsTimedFromReadinessToTheWrite() {
        var m = Replies()
        m.ready(9, .read, at: 100 * Self.us)
        m.ready(9, [.read, .write], at: 150 * Self.us)
        #expect(m.summary(now: 160 * Self.us).awaiting == 1)
        m.wrote(9, at: 180 * Self.us)
        m.closeWindow()
        let s = m.summary(now: 200 * Self.us)
        #expect(s.replies == 1)
        #expect(s.maxNanos == 80 * Self.us, "from the first readiness, not the second")
        #expect(s.p50Nanos.map { $0 >= 80 * Self.us && $0 <= 90 * Self.us } == true)
        #expect(s.awaiting == 0)
    }

    @Test func writeReadinessAloneStartsNoWaitAndAWriteWithoutReadinessIsNoReply() {
        var m = Replies()
        m.ready(9, .write, at: 10)
        m.wrote(9, at: 20)
        m.closeWindow()
        #expect(m.summary(now: 30) == ReplyLatency())
    }

    @Test func readinessConsumedWithoutAReplyIsForgotten() {
        var m = Replies()
        m.ready(5, .read, at: 10)
        m.ready(6, .hangup, at: 10)
        m.parksToRead(5)
        m.fds.deregistered(6)
        #expect(m.summary(now: 5 * Self.second).awaiting == 0, "the accept loop parks again; a closed fd is gone")
    }

    @Test func aSecondWithNoReplyReadsAsNoneAndTheWaitGrows() {
        var m = Replies()
        m.ready(9, .read, at: 0)
        m.wrote(9, at: 50 * Self.us)
        m.ready(9, .read, at: Self.second / 2)
        m.closeWindow()
        #expect(m.summary(now: Self.second).replies == 1)
        m.closeWindow()
        let stalled = m.summary(now: 2 * Self.second)
        #expect(stalled.replies == 0)
        #expect(stalled.p99Nanos == nil)
        #expect(stalled.awaiting == 1)
        #expect(stalled.oldestAwaitingNanos == 3 * Self.second / 2)
    }

    @Test func theHistogramNeverReportsLessThanTheValue() {
        var h = LogHistogram()
        #expect(h.value(at: 50) == nil)
        for v: UInt64 in [3, 900, 1_000, 1_234_567, 2_000_000_000] {
            let bucket = LogHistogram.bucket(v)
            #expect(LogHistogram.upperBound(bucket) >= v, "\(v)")
            #expect(bucket < 8 || LogHistogram.upperBound(bucket - 1) < v, "\(v) is in the lowest bucket that holds it")
            #expect(Double(LogHistogram.upperBound(bucket)) <= Double(v) * 1.125 + 1, "within 12.5 %: \(v)")
        }
        for _ in 0..<99 { h.record(10_000) }
        h.record(5_000_000)
        #expect(h.value(at: 50).map { $0 >= 10_000 && $0 <= 11_250 } == true)
        #expect(h.value(at: 100) == 5_000_000, "capped at the maximum seen")
    }
}
