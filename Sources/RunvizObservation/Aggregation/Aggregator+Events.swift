// How each kind of event changes the models, where one event touches several: a run's start
// resolves a wake into a wakeup chain and perhaps a starvation lint; a run's end may be a long
// poll and a blocked worker, both of the job's exact length; parking on an fd leaves interest with
// the reactor; parking on a join marks its target awaited by the parked task. Every step of the
// followed task also goes to its timeline.

import RunvizTelemetry

extension Aggregator {
    mutating func scheduled(_ e: RuntimeEvent) {
        guard e.task != 0 else { return }
        let source = WakeSource(rawValue: UInt8(truncatingIfNeeded: e.detail)) ?? .other
        let wake = PendingWake(source: source, argument: e.arg, ahead: Int(e.extra), queue: e.worker, at: e.time)
        guard tasks.scheduled(e.task, by: wake) else { return }
        latency.scheduled(e.task, by: wake)
        readyPeak = max(readyPeak, tasks.queued)
        let waker = source == .task && e.arg != 0 ? TaskID(e.arg) : nil
        timeline.note(e.task, e.time, .scheduled(source: source, queuedBehind: Int(e.extra), by: waker))
    }

    mutating func runStarted(_ e: RuntimeEvent) {
        guard e.task != 0 else { return }
        let w = Int(e.worker)
        let start = tasks.runStarted(e.task, worker: w, at: e.time)
        latency.runStarted(e.task, worker: w, at: e.time, threshold: thresholds.blocked, wake: start?.wake)
        if let start {
            timeline.latency(e.task, nanos: start.latency)
            let wake = start.wake
            if wake.source != .spawn {
                let fd = Int32(truncatingIfNeeded: wake.argument)
                let chain = WakeupChain(
                    source: wake.source, sourceArgument: wake.argument,
                    readiness: wake.source == .io ? fds.readiness(of: fd) : [], task: TaskID(e.task), taskName: "",
                    queuedBehind: wake.ahead, worker: w, latencyNanos: start.latency, wokenAt: wake.at)
                chains.append(chain, name: start.name)
            }
            if start.latency > thresholds.starvation, start.name != nil {
                lintMemory.remember(
                    Lint(kind: .starvation, task: TaskID(e.task), worker: w, nanos: start.latency), at: e.time)
            }
        }
        timeline.note(e.task, e.time, .runStarted(worker: w))
    }

    mutating func runFinished(_ e: RuntimeEvent) {
        guard e.task != 0 else { return }
        latency.blame.runFinished(worker: Int(e.worker), at: e.time, threshold: thresholds.blocked)
        guard let (ran, name) = tasks.runFinished(e.task, at: e.time) else { return }
        // The job's end gives its blocked episode the same exact length as its long poll. Remembered
        // first, as the watchdog's report of the same job usually was: the long poll lists above it.
        if ran > thresholds.blocked {
            lintMemory.remember(
                Lint(kind: .blockedWorker, task: TaskID(e.task), worker: Int(e.worker), nanos: ran), at: e.time,
                ended: true)
        }
        if ran > thresholds.longPoll, name != nil {
            lintMemory.remember(
                Lint(kind: .longPoll, task: TaskID(e.task), worker: Int(e.worker), nanos: ran), at: e.time, ended: true)
        }
        timeline.poll(e.task, nanos: ran)
        timeline.note(e.task, e.time, .runFinished(worker: Int(e.worker), nanos: ran))
    }

    mutating func parked(_ e: RuntimeEvent) {
        guard e.task != 0 else { return }
        let reason = ParkReason(detail: e.detail, arg: e.arg, extra: e.extra)
        tasks.parked(e.task, on: reason, at: e.time)
        switch reason {
        // The runtime says so itself (`handleAwaited`); a format 1 recording only by this park.
        case .join(let target): tasks.handleAwaited(target.raw, by: e.task)
        case .io(let fd, let interest):
            // An fd that was never registered cannot wake the task: that stays visible as a lost waker.
            fds.interestLeft(on: fd, interest, by: e.task)
            if interest.contains(.read) {
                replies.forget(fd)
                latency.forget(fd)
            }
            if let proof = ReadinessProof(parkedExtra: e.extra) {
                timeline.note(e.task, e.time, .readinessCleared(fd: fd, interest: interest, by: proof))
            }
            timeline.note(e.task, e.time, .interestRegistered(fd: fd, interest: interest))
        default: break
        }
        timeline.note(e.task, e.time, .parked(reason))
    }

    mutating func finished(_ e: RuntimeEvent) {
        guard e.task != 0 else { return }
        let completed = e.kind == .completed
        tasks.finished(e.task, completed: completed, at: e.time)
        timeline.note(e.task, e.time, completed ? .completed : .cancelled)
    }

    mutating func fdReady(_ e: RuntimeEvent) {
        let fd = Int32(truncatingIfNeeded: e.arg)
        let readiness = Interest(rawValue: UInt8(truncatingIfNeeded: e.detail))
        if fds.ready(fd, readiness, wokeTask: e.task != 0, at: e.time) {
            replies.ready(fd, readiness, at: e.time)
            latency.ready(fd, readiness, task: e.task, at: e.time)
        }
        if e.task != 0 { timeline.note(e.task, e.time, .fdReady(fd: fd, readiness: readiness)) }
    }
}
