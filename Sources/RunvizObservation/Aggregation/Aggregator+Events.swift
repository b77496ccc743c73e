// How each kind of event changes the models, where one event touches several: a run's start
// resolves a wake into a wakeup chain and perhaps a starvation lint; a run's end may be a long
// poll and a blocked worker, both of the job's exact length; parking on an fd leaves interest with
// the reactor; parking on a join marks its target awaited by the parked task. Every step of the
// followed task also goes to its timeline.

import RunvizTelemetry

extension Aggregator {
    mutating func scheduled(
        _ task: TaskID, source: WakeSource, argument: UInt64, queue: ReadyQueue, ahead: UInt32, at t: UInt64
    ) {
        guard task != .none else { return }
        var wake = PendingWake(source: source, argument: argument, ahead: Int(ahead), queue: queue, at: t)
        guard tasks.scheduled(task.raw, by: &wake) else { return }
        latency.scheduled(task.raw, by: wake)
        if source == .io { fds.replyWoken(argument, task: task.raw, at: t) }
        readyPeak = max(readyPeak, tasks.queued)
        let waker = wake.wakingTask(of: task)
        timeline.note(task.raw, t, .scheduled(source: wake.source, queuedBehind: Int(ahead), by: waker))
    }

    mutating func runStarted(_ task: TaskID, worker w: Int, at t: UInt64) {
        guard task != .none else { return }
        let start = tasks.runStarted(task.raw, worker: w, at: t)
        latency.runStarted(task.raw, worker: w, at: t, threshold: thresholds.blocked, wake: start?.wake)
        if let start {
            timeline.latency(task.raw, nanos: start.latency)
            let wake = start.wake
            // A reply's run, noted on its fd, with what the kernel last reported there for the chain.
            let readiness = wake.source == .io ? fds.replyRuns(wake.argument, task: task.raw, at: t) : []
            if wake.source != .spawn {
                chains.append(
                    WakeupChainRing.Link(
                        wake: wake, task: task.raw, worker: w, latency: start.latency, readiness: readiness,
                        name: start.name))
            }
            if start.latency > thresholds.starvation, start.name != nil {
                lintMemory.remember(Lint(kind: .starvation, task: task, worker: w, nanos: start.latency), at: t)
            }
        }
        timeline.note(task.raw, t, .runStarted(worker: w))
    }

    mutating func runFinished(_ task: TaskID, worker w: Int, at t: UInt64) {
        guard task != .none else { return }
        latency.runFinished(worker: w, at: t, threshold: thresholds.blocked)
        guard let (ran, name) = tasks.runFinished(task.raw, at: t) else { return }
        // The job's end gives its blocked episode the same exact length as its long poll. Remembered
        // first, as the watchdog's report of the same job usually was: the long poll lists above it.
        if ran > thresholds.blocked {
            lintMemory.remember(Lint(kind: .blockedWorker, task: task, worker: w, nanos: ran), at: t, ended: true)
        }
        if ran > thresholds.longPoll, name != nil {
            lintMemory.remember(Lint(kind: .longPoll, task: task, worker: w, nanos: ran), at: t, ended: true)
        }
        timeline.poll(task.raw, nanos: ran)
        timeline.note(task.raw, t, .runFinished(worker: w, nanos: ran))
    }

    mutating func parked(_ task: TaskID, on reason: ParkReason, proof: ReadinessProof?, at t: UInt64) {
        guard task != .none else { return }
        tasks.parked(task.raw, on: reason, at: t)
        switch reason {
        // The runtime says so itself (`handleAwaited`); a format 1 recording only by this park.
        case .join(let target): tasks.handleAwaited(target.raw, by: task.raw)
        case .io(let fd, let interest):
            // An fd that was never registered cannot wake the task: that stays visible as a lost waker.
            // Parking to read again also forgets the fd's reply in flight: the readiness needed none.
            fds.interestLeft(on: fd, interest, by: task.raw)
            if let proof {
                timeline.note(task.raw, t, .readinessCleared(fd: fd, interest: interest, by: proof))
            }
            timeline.note(task.raw, t, .interestRegistered(fd: fd, interest: interest))
        case .timer, .mutex, .channel, .blockingPool, .continuation, .taskGroup, .actor, .other: break
        }
        timeline.note(task.raw, t, .parked(reason))
    }

    mutating func finished(_ task: TaskID, completed: Bool, at t: UInt64) {
        guard task != .none else { return }
        tasks.finished(task.raw, completed: completed, at: t)
        timeline.note(task.raw, t, completed ? .completed : .cancelled)
    }

    mutating func fdReady(_ fd: Int32, _ readiness: Interest, waking task: TaskID, at t: UInt64) {
        // Readiness to read on a known fd also starts its reply in flight.
        fds.ready(fd, readiness, waking: task.raw, at: t)
        if task != .none { timeline.note(task.raw, t, .fdReady(fd: fd, readiness: readiness)) }
    }
}
