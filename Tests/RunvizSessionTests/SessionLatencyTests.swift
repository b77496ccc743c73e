// Facts about the split of echo latency in a live session with one worker: a message sent while the
// blocker holds that worker is answered only after it returns, and the frames say why — its queue
// wait is as long as the block, and the blame names the worker and the blocker task. Rewinding to
// an instant during the block shows the blame of that instant.

import Glibc
import RunvizObservation
import RunvizRuntime
import RunvizSession
import RunvizTestSupport
import Testing

@Suite struct SessionLatencyTests {
    /// Blame on the blocker while it still runs, for a wake that has waited 300 ms or more.
    static func ongoingBlockerBlame(_ b: LatencyBlame) -> Bool {
        b.ongoing && b.blockerName == "blocker" && b.wakeups >= 1 && b.worstWaitNanos > 300_000_000
    }

    @Test func aBlockedOnlyWorkerIsNamedAsWhereTheReplyWaited() throws {
        var configuration = SessionTests.configuration(workers: 1)
        configuration.history = ObservationHistory.Limits(seconds: 30, bytes: 64 << 20)
        let session = try Session(configuration)
        defer { session.stop() }
        let fd = try #require(connectLoopback(port: session.server.address.port) { setTimeouts($0) })
        defer { close(fd) }
        var byte: UInt8 = 7
        // Round trips until a closed second holds split replies (a reply whose readiness came while
        // its task still ran is timed whole but not split).
        var quick: DashboardSnapshot?
        let until = Runtime.now + 4_000_000_000
        while quick == nil, Runtime.now < until {
            #expect(send(fd, &byte, 1, 0) == 1 && recv(fd, &byte, 1, 0) == 1)
            let f = session.frame(now: Runtime.now)
            if f.runtime.latency.replies >= 1 { quick = f }
            usleep(10_000)
        }
        let before = try #require(quick, "round trips before the block are split")
        #expect(before.runtime.latency.replies <= before.runtime.replies.replies)
        #expect(before.runtime.latency.blame.isEmpty)
        #expect(before.runtime.latency.queueWait.p99Nanos.map { $0 < 300_000_000 } == true)

        session.apply(.blockWorker)
        #expect(SessionTests.frame(session) { $0.runtime.workers.first.map { $0.state.isBlocked } == true } != nil)
        #expect(send(fd, &byte, 1, 0) == 1)
        let during = try #require(
            SessionTests.frame(session) { f in
                f.runtime.latency.blame.contains(where: Self.ongoingBlockerBlame)
                    && f.runtime.replies.oldestAwaitingNanos > 300_000_000
            }, "while the block lasts, the wait is blamed on it")
        // The wait is timed from the wake, a little after the readiness the reply's wait starts at.
        let blamed = try #require(during.runtime.latency.blame.first(where: Self.ongoingBlockerBlame))
        // The watchdog turns the reactor while the only worker is held: the wake is injected.
        #expect(blamed.queue == .inject && blamed.worker == 0)
        #expect(blamed.blockerName == "blocker")
        #expect(blamed.worstWaitNanos > 300_000_000)

        #expect(recv(fd, &byte, 1, 0) == 1, "answered once the block ends")
        // The ended blame is shown until the second its end falls in has been shown, and the
        // reply's queue wait in the second after it closes: the two may share no frame, and a
        // slow build (a sanitizer's) draws few. Every frame is looked at, for up to 20 s.
        var waited: UInt64?
        var ended: LatencyBlame?
        let deadline = Runtime.now + 20_000_000_000
        while waited == nil || ended == nil, Runtime.now < deadline {
            let f = session.frame(now: Runtime.now)
            if let p99 = f.runtime.latency.queueWait.p99Nanos, p99 > 300_000_000, waited == nil { waited = p99 }
            if ended == nil, let blame = f.runtime.latency.blame.first(where: { !$0.ongoing }) { ended = blame }
            usleep(2_000)
        }
        let p99 = try #require(waited, "the reply's queue wait carries the block")
        let blame = try #require(ended, "the blame outlives the block, marked as ended")
        #expect(blame.worker == 0 && blame.blocker == blamed.blocker && blame.blockerName == "blocker")
        #expect(blame.blockedNanos >= 1_900_000_000, "the 2 s usleep")
        #expect(blame.worstWaitNanos >= p99 * 8 / 9)

        let rewound = try #require(session.frame(at: during.runtime.takenAt))
        #expect(rewound.runtime.latency == during.runtime.latency, "the instant during the block, as it was")
    }
}
