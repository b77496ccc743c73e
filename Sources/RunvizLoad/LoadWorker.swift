// LoadWorker: one load thread's event loop. It owns an epoll instance, a flat array of client slots
// (Connection), a timer wheel, a connect queue, its counters and its latency histogram; it shares only
// LoadControl (stop, target count, live latency) and its WorkerShared mailbox.
//
// Why not the runviz runtime: this generator checks that runtime from outside, so it must not run on it —
// a scheduler or reactor bug must show up as a wrong number here, not be hidden by the same bug in the
// load. A few OS threads, each with a plain epoll loop, are also the cheapest way to drive 10,000 sockets.
//
// epoll is level-triggered on purpose: with one message in flight a socket turns readable once per echo
// and a single recv() takes it all; edge-triggered would cost a second recv() per event to reach EAGAIN.
// EPOLLOUT is asked for only while a send is blocked. Events come in batches of up to 1,024; each carries
// the slot index and the slot's socket generation, so an event for a closed socket never reaches the
// slot's next socket.
//
// One turn of the loop: observe stop/deadline/target → admit clients (ramp) → start queued connects (at
// most `maxConnectsInFlight`, so a listen backlog never overflows into 1 s SYN retries) → fire due timers
// → every 100 ms check timeouts → wait for events (never longer than 100 ms) → handle events → publish.
// The wait is epoll_pwait2 with a nanosecond timeout, so a paced message goes out when it is due rather
// than at the next whole millisecond (epoll_wait's unit, the fallback on kernels without epoll_pwait2);
// a load run also starts its workers with a 1 µs timer slack (TimerSlack).
// Without a ramp, connected clients hold their first message until all of the worker's clients are in.
// The end (deadline, counts reached, stop) is a drain: no new messages or connections, in-flight echoes
// get a short grace time, and what is still missing after a deadline counts as a timeout.
//
// Invariants: a slot's socket is open iff fd ≥ 0 (`openSockets` counts them); received ≤ sent ≤ sendLimit;
// a slot is in at most one timer bucket and at most once in the connect queue; nothing on the message path
// allocates (the recv buffer is per worker, payloads come from PayloadPattern).

import CRunvizLinux
import Glibc
import Histogram

/// The event loop of one load thread.
struct LoadWorker {
    /// Where the worker is in its run.
    enum Phase: Equatable {
        case running
        /// No new messages or sessions; in-flight echoes may finish until `untilNs`.
        case draining(untilNs: UInt64, leftoversAreTimeouts: Bool)
        case done
    }

    static let eventCapacity: Int32 = 1_024
    static let receiveBufferSize = 256 << 10
    /// Where a slow reader's small messages are gathered so one send() carries many.
    static let sendBufferSize = 64 << 10
    /// A slow reader reads at most this much per tick.
    static let slowReadBytes = 4_096
    static let slowReadIntervalNs: UInt64 = 20_000_000
    /// The most one socket writes per turn before the others get theirs (a slow reader, an oversize message).
    static let sendBudgetBytes = 1 << 20
    static let housekeepingIntervalNs: UInt64 = 100_000_000
    static let publishIntervalNs: UInt64 = 10_000_000
    static let latencyPublishIntervalNs: UInt64 = 250_000_000
    static let longestWaitNs: UInt64 = 100_000_000

    let plan: WorkerPlan
    let control: LoadControl
    let shared: WorkerShared
    let messageSize: UInt64
    let countLimit: UInt64
    let epfd: Int32
    let conns: UnsafeMutablePointer<Connection>
    let events: UnsafeMutablePointer<epoll_event>
    let receiveBuffer: UnsafeMutablePointer<UInt8>
    let sendBuffer: UnsafeMutablePointer<UInt8>
    let address: UnsafeMutableRawPointer
    let addressLength: socklen_t
    let pattern: PayloadPattern

    var phase = Phase.running
    var now: UInt64
    var wheel: TimerWheel
    var connectQueue: IndexRing
    var counters = WorkerCounters()
    /// Round trips from send since the last publish, and over the whole run.
    var interval = LatencySummary.makeHistogram()
    var total = LatencySummary.makeHistogram()
    /// Paced round trips from their schedule slot, likewise.
    var intervalFromSchedule = LatencySummary.makeHistogram()
    var totalFromSchedule = LatencySummary.makeHistogram()
    /// False once epoll_pwait2 has answered ENOSYS: waits fall back to whole milliseconds.
    var preciseWait = true
    /// Slots [0, admitted) are in play.
    var admitted = 0
    var openSockets = 0
    var connectsInFlight = 0
    var finishedClients = 0
    var loadEndNs: UInt64 = 0
    var roundTripsAtLoadEnd: UInt64 = 0
    var allConnectedNs: UInt64?
    var roundTripsAtAllConnected: UInt64 = 0
    /// Without a ramp, connected clients wait until every client of the worker has connected (or failed),
    /// so the connect phase is short and the load that follows is measured with everyone present.
    var holdUntilAllConnected: Bool
    /// Slots that have neither connected nor failed yet (while holding).
    var unsettledSlots: Int
    var nextHousekeepingNs: UInt64 = 0
    var nextPublishNs: UInt64 = 0
    var nextLatencyPublishNs: UInt64 = 0
    var firstMismatch: String?
    var firstOtherError: String?

    init(plan: WorkerPlan, control: LoadControl, shared: WorkerShared) throws(LoadError) {
        let epfd = runviz_epoll_create()
        guard epfd >= 0 else { throw .system(call: "epoll_create1", errno: errno) }
        self.plan = plan
        self.control = control
        self.shared = shared
        self.epfd = epfd
        messageSize = UInt64(plan.messageSize)
        countLimit = plan.countPerClient
        conns = .allocate(capacity: max(plan.slotCount, 1))
        conns.initialize(repeating: Connection(), count: max(plan.slotCount, 1))
        events = .allocate(capacity: Int(LoadWorker.eventCapacity))
        receiveBuffer = .allocate(capacity: LoadWorker.receiveBufferSize)
        sendBuffer = .allocate(capacity: LoadWorker.sendBufferSize)
        address = .allocate(byteCount: 128, alignment: 8)
        addressLength = plan.target.write(to: address)
        pattern = PayloadPattern()
        now = runviz_now_ns()
        wheel = TimerWheel(nowNs: now)
        connectQueue = IndexRing(minimumCapacity: plan.slotCount)
        holdUntilAllConnected = plan.rampNs == 0 && !plan.followsTarget
        unsettledSlots = plan.slotCount
    }

    /// Runs until the load is over, then publishes the result. Call once, on the worker's own thread.
    mutating func run() {
        now = runviz_now_ns()
        nextHousekeepingNs = now + LoadWorker.housekeepingIntervalNs
        nextLatencyPublishNs = now + LoadWorker.latencyPublishIntervalNs
        while true {
            now = runviz_now_ns()
            observeControl()
            if phase == .done { break }
            if phase == .running { admitClients() }
            startQueuedConnects()
            fireTimers()
            if now >= nextHousekeepingNs {
                nextHousekeepingNs = now + LoadWorker.housekeepingIntervalNs
                checkTimeouts()
            }
            if now >= nextLatencyPublishNs { publishLatency() }
            if phase == .running && !plan.followsTarget && admitted == plan.slotCount
                && finishedClients == plan.slotCount
            {
                markLoadEnd()
                phase = .done
                break
            }
            let ready = waitForEvents(timeoutNs: waitTimeoutNs())
            if ready < 0 {
                let code = errno
                if code == EINTR { continue }
                noteOther(preciseWait ? "epoll_pwait2" : "epoll_wait", code)
                counters.errors.other += 1
                markLoadEnd()
                break
            }
            if ready > 0 {
                now = runviz_now_ns()
                for index in 0..<Int(ready) {
                    let data = runviz_epoll_event_data(events, Int32(index))
                    let mask = runviz_epoll_event_mask(events, Int32(index))
                    handle(data: data, mask: mask)
                }
            }
            if now >= nextPublishNs { publishCounters() }
        }
        closeEverything()
        finish()
    }

    /// Stop requests, the deadline and (synthetic clients) the target count.
    mutating func observeControl() {
        let mode = control.mode
        switch phase {
        case .running:
            if mode == .immediate {
                beginDrain(graceNs: 0, leftoversAreTimeouts: false)
            } else if mode == .drain {
                beginDrain(graceNs: plan.stopGraceNs, leftoversAreTimeouts: false)
            } else if now >= plan.deadlineNs {
                beginDrain(graceNs: plan.drainNs, leftoversAreTimeouts: true)
            } else if plan.followsTarget {
                followTarget()
            }
        case .draining(let untilNs, let leftoversAreTimeouts):
            if openSockets == 0 || now >= untilNs || mode == .immediate {
                endDrain(countLeftovers: leftoversAreTimeouts && mode != .immediate)
            }
        case .done:
            break
        }
    }

    /// How long the wait for events may sleep: until the next timer, ramp admission, deadline or
    /// housekeeping, to the nanosecond, and never longer than `longestWaitNs`.
    func waitTimeoutNs() -> UInt64 {
        if !connectQueue.isEmpty && connectsInFlight < plan.maxConnectsInFlight { return 0 }
        var until = nextHousekeepingNs
        if let due = wheel.nextDueNs(after: now, in: conns) { until = min(until, due) }
        switch phase {
        case .running:
            until = min(until, plan.deadlineNs)
            if !plan.followsTarget && admitted < plan.slotCount { until = min(until, plan.admitNs(ofSlot: admitted)) }
            if plan.followsTarget { until = min(until, now + 50_000_000) }
        case .draining(let untilNs, _):
            until = min(until, untilNs)
        case .done:
            return 0
        }
        guard until > now else { return 0 }
        return min(until - now, LoadWorker.longestWaitNs)
    }

    /// epoll_pwait2 with the timeout to the nanosecond; epoll_wait in whole milliseconds, rounded up, where
    /// the kernel lacks epoll_pwait2 (before Linux 5.11).
    mutating func waitForEvents(timeoutNs: UInt64) -> Int32 {
        if preciseWait {
            var timeout = timespec(tv_sec: Int(timeoutNs / 1_000_000_000), tv_nsec: Int(timeoutNs % 1_000_000_000))
            let ready = epoll_pwait2(epfd, events, LoadWorker.eventCapacity, &timeout, nil)
            if ready >= 0 || errno != ENOSYS { return ready }
            preciseWait = false
        }
        return runviz_epoll_wait(epfd, events, LoadWorker.eventCapacity, Int32((timeoutNs + 999_999) / 1_000_000))
    }

    mutating func publishCounters() {
        nextPublishNs = now + LoadWorker.publishIntervalNs
        let snapshot = counters
        shared.counters.withLock { $0 = snapshot }
    }

    mutating func publishLatency() {
        nextLatencyPublishNs = now + LoadWorker.latencyPublishIntervalNs
        if intervalFromSchedule.totalCount > 0 {
            totalFromSchedule.add(intervalFromSchedule)
            intervalFromSchedule.reset()
        }
        guard interval.totalCount > 0 else { return }
        let recent = interval
        control.liveLatency.withLock { $0.add(recent) }
        total.add(recent)
        interval.reset()
    }

    /// The load phase is over (the drain, if any, does not count towards rates).
    mutating func markLoadEnd() {
        loadEndNs = now
        roundTripsAtLoadEnd = counters.roundTrips
    }

    mutating func noteOther(_ call: String, _ code: Int32) {
        if firstOtherError == nil { firstOtherError = "\(call): \(LoadError.describe(errno: code))" }
    }

    /// Publishes the result and frees the worker's memory; the worker must not be used afterwards.
    mutating func finish() {
        if loadEndNs == 0 { markLoadEnd() }
        publishLatency()
        publishCounters()
        let result = WorkerResult(
            counters: counters, latency: total, scheduleLatency: totalFromSchedule, firstMismatch: firstMismatch,
            firstOtherError: firstOtherError,
            loadEndNs: loadEndNs, roundTripsAtLoadEnd: roundTripsAtLoadEnd, allConnectedNs: allConnectedNs,
            roundTripsAtAllConnected: roundTripsAtAllConnected)
        shared.result.withLock { $0 = result }
        close(epfd)
        conns.deinitialize(count: max(plan.slotCount, 1))
        conns.deallocate()
        events.deallocate()
        receiveBuffer.deallocate()
        sendBuffer.deallocate()
        address.deallocate()
        pattern.deallocate()
        wheel.deallocate()
        connectQueue.deallocate()
    }
}
