// The blocking pool (tokio's spawn_blocking): separate OS threads for work that would stall a
// worker — blocking syscalls, sleeps, long CPU loops. Threads start on demand up to `maxThreads`
// and exit after `keepAlive` idle; extra jobs wait in a FIFO queue. A job's submitter is parked
// (reason: blocking pool) and woken, with cause "blocking pool", when the job finishes.

import CRunvizLinux
import DequeModule
import RunvizTelemetry
import Synchronization

final class BlockingPool: Sendable {
    struct Job {
        let number: UInt64
        let task: UInt64
        let work: @Sendable () -> Void
    }
    private struct State {
        var queue = Deque<Job>()
        var idle: [Parker] = []
        var threads = 0
        var handles: [UInt64] = []
        var nextJob: UInt64 = 0
        var shuttingDown = false
    }
    private let state = Mutex(State())
    let maxThreads: Int
    let keepAliveNanos: Int64
    private let recorder: Recorder
    private var hub: TelemetryHub { recorder.hub }

    init(maxThreads: Int, keepAliveNanos: Int64, recorder: Recorder) {
        self.maxThreads = maxThreads
        self.keepAliveNanos = keepAliveNanos
        self.recorder = recorder
    }

    /// Queues `work`; starts a thread if none is idle and the pool has room.
    func submit(task: UInt64, _ work: @escaping @Sendable () -> Void) {
        var wake: Parker?
        var start: Int?
        state.withLock { s in
            s.nextJob += 1
            s.queue.append(Job(number: s.nextJob, task: task, work: work))
            if let p = s.idle.popLast() {
                wake = p
            } else if s.threads < maxThreads {
                s.threads += 1
                start = s.threads
            }
            hub.metrics.setBlockingQueued(s.queue.count)
        }
        wake?.unpark()
        if let index = start { startThread(index: index) }
    }

    private final class ThreadContext {
        let pool: BlockingPool
        let index: Int
        init(pool: BlockingPool, index: Int) {
            self.pool = pool
            self.index = index
        }
    }

    /// Starts the pool's `index`th live thread (1-based; a name, not an identity: indices recur).
    private func startThread(index: Int) {
        hub.metrics.blockingThreadStarted()
        let context = Unmanaged.passRetained(ThreadContext(pool: self, index: index)).toOpaque()
        var handle: UInt64 = 0
        let rc = runviz_thread_start(
            &handle, 0,
            { raw in
                let ctx = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                ctx.pool.threadLoop(index: ctx.index)
                return nil
            }, context)
        if rc != 0 {
            Unmanaged<ThreadContext>.fromOpaque(context).release()
            hub.metrics.blockingThreadExited()
            state.withLock { $0.threads -= 1 }
            return
        }
        state.withLock { $0.handles.append(handle) }
    }

    private func threadLoop(index: Int) {
        runviz_set_thread_name("runviz-blk\(index)")
        Recorder.adopt(hub.makeRing(label: "blocking-\(index)"))
        let parker = Parker()
        while true {
            enum Next { case run(Job), park, exit }
            let next: Next = state.withLock { s in
                if let job = s.queue.popFirst() {
                    hub.metrics.setBlockingQueued(s.queue.count)
                    return .run(job)
                }
                if s.shuttingDown { return .exit }
                s.idle.append(parker)
                return .park
            }
            switch next {
            case .run(let job):
                hub.metrics.blockingJobStarted()
                recorder.record(.blockingStarted, task: job.task, arg: job.number, extra: UInt32(index))
                job.work()
                recorder.record(.blockingFinished, task: job.task, arg: job.number, extra: UInt32(index))
                hub.metrics.blockingJobFinished()
            case .park:
                parker.park(timeoutNanos: keepAliveNanos)
                let timedOut = state.withLock { s -> Bool in
                    guard let i = s.idle.firstIndex(where: { $0 === parker }) else { return false }
                    if !s.queue.isEmpty { return false }
                    s.idle.remove(at: i)
                    s.threads -= 1
                    return true
                }
                if timedOut {
                    hub.metrics.blockingThreadExited()
                    Recorder.abandonRing()
                    return
                }
            case .exit:
                hub.metrics.blockingThreadExited()
                Recorder.abandonRing()
                return
            }
        }
    }

    /// Lets queued jobs finish, then joins every thread.
    func shutdown() {
        let (idle, handles) = state.withLock { s in
            s.shuttingDown = true
            defer { s.idle.removeAll() }
            return (s.idle, s.handles)
        }
        for p in idle { p.unpark() }
        for h in handles { _ = runviz_thread_join(h) }
    }
}
