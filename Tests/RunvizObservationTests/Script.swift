// A hand-written event stream for Aggregator tests: one hub with two worker rings, names interned
// through the hub, and one helper per event kind with an explicit time, each built from its Fact.
// Each ring must receive its events in time order (the rings' invariant); `publish` drains and
// merges the rings (EventMerger), applies the events and publishes with the hub's counters, as the
// dashboard's frame loop does.

import RunvizObservation
import RunvizTelemetry

final class Script {
    let hub = TelemetryHub(workerCount: 2, ringCapacity: 256)
    let rings: [EventRing]
    let merger: EventMerger
    var aggregator: Aggregator
    /// An arbitrary monotonic origin, as if the runtime had been up for a while.
    static let t0: UInt64 = 1_000_000_000_000

    init(thresholds: Aggregator.Thresholds = Aggregator.Thresholds(), globalExecutor: Bool = false) {
        rings = [hub.makeRing(label: "worker-0"), hub.makeRing(label: "worker-1")]
        merger = EventMerger(hub: hub)
        aggregator = Aggregator(
            configuration: ConfigurationSummary(
                workers: 2, maxBlockingThreads: 4, blockedThresholdNanos: 10_000_000, instrumentation: true,
                globalExecutor: globalExecutor),
            startedAt: Script.t0, thresholds: thresholds)
    }

    /// Time `t0 + offset`.
    static func at(_ offset: UInt64) -> UInt64 { t0 + offset }

    private func record(_ ring: Int, _ fact: Fact, at t: UInt64) {
        rings[ring].record(RuntimeEvent(time: t, fact: fact))
    }

    func spawned(_ task: UInt64, _ name: String, at t: UInt64, parent: UInt64 = 0, ring: Int = 0) {
        let nameID = hub.names.intern(name)
        record(ring, .spawned(TaskID(task), parent: TaskID(parent), name: nameID, thread: .other), at: t)
    }

    /// A task runviz did not start, sighted at its first run (RuntimeEvent.sightedAtRun): a child
    /// task when it has a `parent`.
    func sighted(_ task: UInt64, _ name: String, at t: UInt64, parent: UInt64 = 0, worker: Int = 0) {
        var event = RuntimeEvent(
            time: t, fact: .spawned(TaskID(task), parent: TaskID(parent), name: hub.names.intern(name), thread: .other))
        event.detail = RuntimeEvent.sightedAtRun
        event.worker = UInt8(worker)
        rings[worker].record(event)
    }

    /// A task spawned while events were off, named at its first park or end with them on
    /// (RuntimeEvent.announcedLate), from inside its run on `worker`.
    func announcedLate(_ task: UInt64, _ name: String, at t: UInt64, worker: Int = 0) {
        var event = RuntimeEvent(
            time: t, fact: .spawned(TaskID(task), parent: .none, name: hub.names.intern(name), thread: .other))
        event.detail = RuntimeEvent.announcedLate
        event.worker = UInt8(worker)
        rings[worker].record(event)
    }

    /// `queue`: a worker index, or `RuntimeEvent.injectQueue`.
    func scheduled(
        _ task: UInt64, _ source: WakeSource, arg: UInt64 = 0, ahead: UInt32 = 0,
        queue: UInt8 = RuntimeEvent.injectQueue, at t: UInt64, ring: Int = 0
    ) {
        record(
            ring,
            .scheduled(TaskID(task), source: source, argument: arg, queue: ReadyQueue(code: queue), ahead: ahead),
            at: t)
    }

    func runStarted(_ task: UInt64, worker: Int, at t: UInt64) {
        record(worker, .runStarted(TaskID(task), worker: worker), at: t)
    }

    func runFinished(_ task: UInt64, worker: Int, at t: UInt64) {
        record(worker, .runFinished(TaskID(task), worker: worker), at: t)
    }

    func parked(
        _ task: UInt64, on reason: ParkReason, clearedBy proof: ReadinessProof? = nil, worker: Int, at t: UInt64
    ) {
        record(worker, .parked(TaskID(task), on: reason, proof: proof, thread: .worker(worker)), at: t)
    }

    func completed(_ task: UInt64, worker: Int, at t: UInt64) {
        record(worker, .completed(TaskID(task), thread: .worker(worker)), at: t)
    }

    func cancelled(_ task: UInt64, worker: Int, at t: UInt64) {
        record(worker, .cancelled(TaskID(task), thread: .worker(worker)), at: t)
    }

    /// `task`'s JoinHandle is awaited by `awaiter` (0: a thread in blockOn).
    func handleAwaited(_ task: UInt64, by awaiter: UInt64, at t: UInt64, ring: Int = 0) {
        record(ring, .handleAwaited(TaskID(task), by: TaskID(awaiter)), at: t)
    }

    func handleDropped(_ task: UInt64, at t: UInt64, ring: Int = 0) {
        record(ring, .handleDropped(TaskID(task)), at: t)
    }

    func fdRegistered(_ fd: Int32, by task: UInt64, at t: UInt64, ring: Int = 0) {
        record(ring, .fdRegistered(fd: fd, interest: [], by: TaskID(task), thread: .other), at: t)
    }

    func fdReady(_ fd: Int32, _ readiness: Interest, waking task: UInt64, at t: UInt64, ring: Int = 0) {
        record(ring, .fdReady(fd: fd, readiness: readiness, waking: TaskID(task), thread: .other), at: t)
    }

    func fdDeregistered(_ fd: Int32, by task: UInt64, at t: UInt64, ring: Int = 0) {
        record(ring, .fdDeregistered(fd: fd, by: TaskID(task), thread: .other), at: t)
    }

    /// Drains every ring, applies the events and publishes at `now`.
    func publish(at now: UInt64) -> Publication {
        aggregator.apply(merger.drain())
        return aggregator.publish(now: now, counters: hub.readCounters(), names: hub.names.all())
    }

    /// The snapshot of `publish(at:)`.
    func snapshot(at now: UInt64) -> RuntimeSnapshot { publish(at: now).snapshot }

    /// The task "reader" (id `task`) is spawned, runs once on worker 0, registers fd `fd` and parks
    /// on it for reading (which leaves its interest with the reactor): the first half of a socket read.
    func readerParksOnRead(_ task: UInt64 = 7, fd: Int32 = 12) {
        spawned(task, "reader", at: Script.at(1_000))
        scheduled(task, .spawn, at: Script.at(1_100))
        runStarted(task, worker: 0, at: Script.at(2_000))
        fdRegistered(fd, by: task, at: Script.at(2_100))
        parked(task, on: .io(fd: fd, interest: .read), worker: 0, at: Script.at(2_300))
        runFinished(task, worker: 0, at: Script.at(2_500))
    }

    /// The second half: the kernel reports fd `fd` readable, the reader is queued on worker 1 behind
    /// three jobs and starts there 900 ns later.
    func readerWokenByReadiness(_ task: UInt64 = 7, fd: Int32 = 12) {
        fdReady(fd, .read, waking: task, at: Script.at(4_000), ring: 1)
        scheduled(task, .io, arg: UInt64(fd), ahead: 3, queue: 1, at: Script.at(4_100), ring: 1)
        runStarted(task, worker: 1, at: Script.at(5_000))
    }
}
