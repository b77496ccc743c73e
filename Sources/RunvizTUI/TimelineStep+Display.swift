// A timeline step in both vocabularies, side by side: what the Swift runtime did, and the name the
// tokio primer gives it ("job run on W1" / "poll", "suspended: fd 12 read" / "Pending",
// "resume → enqueued, 2 ahead" / "Waker.wake()"), plus a sentence step mode shows under it.

import RunvizObservation
import RunvizTelemetry

extension TaskTimeline.Entry.Step {
    /// The Swift runtime's words. `at` is the entry's time (a timer's sleep is measured from it).
    func swiftWords(at time: UInt64, _ glyphs: Glyphs) -> String {
        switch self {
        case .spawned: return "task created: swift_task_create"
        case .scheduled(let source, let ahead, let waker):
            switch source {
            case .spawn: return "first job enqueued, \(ahead) ahead"
            case .yield: return "yield \(glyphs.arrow) enqueued, \(ahead) ahead"
            case .task where waker != nil, .other where waker != nil:
                return "woken by \(waker!) \(glyphs.arrow) enqueued, \(ahead) ahead"
            case .blockingPool: return "spawnBlocking returned \(glyphs.arrow) enqueued, \(ahead) ahead"
            default: return "resume \(glyphs.arrow) enqueued, \(ahead) ahead"
            }
        case .runStarted(let worker): return "job run on W\(worker)"
        case .runFinished(let worker, let nanos):
            return "job returns after \(Format.duration(nanos, glyphs)) on W\(worker)"
        case .parked(let reason): return "suspended: \(reason.waitDescription(now: time, glyphs))"
        case .readinessCleared(let fd, let interest, let proof):
            return "cleared by \(proof.syscallWords): fd \(fd) \(interest.word)"
        case .interestRegistered(let fd, let interest): return "waker stored: fd \(fd) \(interest.word)"
        case .fdReady(let fd, let readiness): return "epoll_wait \(glyphs.arrow) fd \(fd) \(readiness.readinessWord)"
        case .timerFired: return "timer fired"
        case .completed: return "returned"
        case .cancelled: return "cancelled"
        }
    }

    /// The primer's (tokio's) words for the same step.
    var tokioWords: String {
        switch self {
        case .spawned: return "tokio::spawn"
        case .scheduled(let source, _, _):
            switch source {
            case .spawn: return "scheduled"
            case .yield: return "yield_now()"
            default: return "Waker.wake()"
            }
        case .runStarted: return "poll"
        case .runFinished: return "poll returns"
        case .parked: return "Pending"
        case .readinessCleared: return "clear_readiness"
        case .interestRegistered: return "register interest"
        case .fdReady: return "kernel notifies"
        case .timerFired: return "sleep deadline reached"
        case .completed: return "Ready"
        case .cancelled: return "JoinHandle::abort()"
        }
    }

    /// What this step means, for step mode.
    var explanation: String {
        switch self {
        case .spawned:
            return "The task exists but has not run yet: like a future, nothing happens until a worker polls it."
        case .scheduled(let source, let ahead, let waker):
            let cause = source == .spawn ? "Spawning" : waker.map { "\($0), waking it," } ?? "Its waker"
            return "\(cause) put its job in a run queue with \(ahead) ahead of it; a worker will pick it up."
        case .runStarted:
            return "A worker runs the task's job until its next await: Swift's job run is tokio's poll."
        case .runFinished:
            return "The job gave the worker back; the worker moves on to the next job in its queue."
        case .parked:
            return "The task awaits something not ready: it is suspended (Pending) and holds no worker."
        case .readinessCleared(let fd, _, let proof):
            switch proof {
            case .wouldBlock:
                return "The syscall answered EAGAIN: fd \(fd) has nothing more, so the runtime marks it not ready "
                    + "and the task waits for the kernel's next edge."
            case .shortRead:
                return "A read that returns less than its buffer proves fd \(fd) drained (Linux): the task parks "
                    + "with no read to EAGAIN, as tokio's poll_read does."
            case .shortWrite:
                return "A send that takes less than offered proves fd \(fd)'s send buffer full: the task parks "
                    + "with no send to EAGAIN, as tokio's poll_write does."
            }
        case .interestRegistered:
            return "The task leaves its waker with the reactor for this fd, which epoll has watched since one "
                + "epoll_ctl ADD."
        case .fdReady:
            return "epoll_wait returned: the kernel reports the fd ready, so the runtime fires the task's waker."
        case .timerFired:
            return "The runtime's timer reached the deadline: the sleeping task is woken."
        case .completed:
            return "The last job returned a value: Ready. Whoever awaits its handle gets the result."
        case .cancelled:
            return "The task was cancelled before it finished."
        }
    }

    /// A step after which the timeline can grow no more.
    var isFinal: Bool {
        switch self {
        case .completed, .cancelled: return true
        default: return false
        }
    }
}

extension ReadinessProof {
    /// The syscall and its answer, as a step names it.
    var syscallWords: String {
        switch self {
        case .wouldBlock: return "EAGAIN"
        case .shortRead: return "short read"
        case .shortWrite: return "short write"
        }
    }
}
