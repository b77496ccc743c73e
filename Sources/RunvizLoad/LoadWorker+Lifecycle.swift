// LoadWorker+Lifecycle: how client slots are admitted, connected, cycled, failed, timed out and drained.
// Every socket a worker opens is closed here (closeSocket), which keeps the open/connected counts exact.

import CRunvizLinux
import Glibc

extension LoadWorker {
    // MARK: Admission

    /// Ramp: admit every slot whose time has come (in slot order, which is the ramp order).
    mutating func admitClients() {
        guard !plan.followsTarget else { return }
        while admitted < plan.slotCount && plan.admitNs(ofSlot: admitted) <= now {
            admit(admitted)
            admitted += 1
        }
    }

    /// Synthetic clients: grow or shrink the slots in play to the target count.
    mutating func followTarget() {
        let target = min(max(control.targetClients.load(ordering: .relaxed), 0), plan.slotCount)
        while admitted < target {
            admit(admitted)
            admitted += 1
        }
        while admitted > target {
            admitted -= 1
            retire(admitted)
        }
    }

    mutating func admit(_ slot: Int) {
        let previous = conns[slot]
        conns[slot] = Connection()
        conns[slot].generation = previous.generation
        conns[slot].inQueue = previous.inQueue
        conns[slot].client = plan.client(ofSlot: slot)
        conns[slot].sessionFirstMessage = previous.sessionFirstMessage
        enqueueConnect(slot)
    }

    mutating func retire(_ slot: Int) {
        closeSocket(slot)
        wheel.cancel(Int32(slot), in: conns)
        if conns[slot].state == .finished { finishedClients -= 1 }
        if conns[slot].everConnected { counters.connectedClients -= 1 }
        conns[slot].everConnected = false
        conns[slot].state = .unused
    }

    // MARK: Connecting

    mutating func enqueueConnect(_ slot: Int) {
        conns[slot].state = .queued
        if !conns[slot].inQueue {
            conns[slot].inQueue = true
            connectQueue.push(Int32(slot))
        }
    }

    mutating func startQueuedConnects() {
        while connectsInFlight < plan.maxConnectsInFlight, let next = connectQueue.pop() {
            let slot = Int(next)
            conns[slot].inQueue = false
            guard conns[slot].state == .queued, slot < admitted else { continue }
            openSocket(slot)
        }
    }

    mutating func openSocket(_ slot: Int) {
        let fd = runviz_socket_nonblocking(plan.target.family, Int32(SOCK_STREAM.rawValue))
        guard fd >= 0 else {
            noteOther("socket", errno)
            fail(slot, .other)
            return
        }
        _ = runviz_set_nodelay(fd)
        conns[slot].generation &+= 1
        conns[slot].fd = fd
        openSockets += 1
        let result = connect(fd, address.assumingMemoryBound(to: sockaddr.self), addressLength)
        let code = result == 0 ? 0 : errno
        if result == 0 {
            guard register(slot, interest: EPOLLIN.rawValue) else { return }
            connected(slot)
        } else if code == EINPROGRESS {
            guard register(slot, interest: EPOLLOUT.rawValue) else { return }
            conns[slot].state = .connecting
            conns[slot].connectStartNs = now
            connectsInFlight += 1
        } else {
            connectFailed(slot, code)
        }
    }

    /// Adds the slot's new socket to epoll; on failure the slot fails (kind other).
    mutating func register(_ slot: Int, interest: UInt32) -> Bool {
        let data = UInt64(conns[slot].generation) << 32 | UInt64(slot)
        guard runviz_epoll_ctl(epfd, EPOLL_CTL_ADD, conns[slot].fd, interest, data) == 0 else {
            noteOther("epoll_ctl", errno)
            fail(slot, .other)
            return false
        }
        conns[slot].interest = interest
        return true
    }

    /// Changes the epoll interest of an open socket (no call when it is already right).
    mutating func setInterest(_ slot: Int, _ interest: UInt32) {
        guard conns[slot].fd >= 0, conns[slot].interest != interest else { return }
        let data = UInt64(conns[slot].generation) << 32 | UInt64(slot)
        if runviz_epoll_ctl(epfd, EPOLL_CTL_MOD, conns[slot].fd, interest, data) == 0 {
            conns[slot].interest = interest
        } else {
            noteOther("epoll_ctl", errno)
            fail(slot, .other)
        }
    }

    /// The epoll interest a connected slot wants: reads unless it is a slow reader still trickling.
    func readInterest(_ slot: Int) -> UInt32 {
        plan.scenario == .slowReader && phase == .running ? 0 : EPOLLIN.rawValue
    }

    mutating func finishConnect(_ slot: Int) {
        let code = runviz_socket_error(conns[slot].fd)
        connectsInFlight -= 1
        conns[slot].state = .idle
        if code == 0 {
            setInterest(slot, readInterest(slot))
            guard conns[slot].fd >= 0 else { return }
            connected(slot)
        } else {
            connectFailed(slot, code)
        }
    }

    mutating func connected(_ slot: Int) {
        conns[slot].isConnected = true
        conns[slot].state = .idle
        counters.openConnections += 1
        counters.connectionsOpened += 1
        if !conns[slot].everConnected {
            conns[slot].everConnected = true
            counters.connectedClients += 1
            if counters.connectedClients == plan.slotCount && !plan.followsTarget {
                allConnectedNs = now
                roundTripsAtAllConnected = counters.roundTrips
            }
        }
        conns[slot].sent = 0
        conns[slot].received = 0
        conns[slot].sendLimit = 0
        conns[slot].sessionRoundTrips = 0
        conns[slot].shutdownSent = false
        conns[slot].badMessage = false
        conns[slot].timedMessage = .max
        conns[slot].awaitingFirstByte = false
        conns[slot].lastProgressNs = now
        if plan.scenario == .slowReader { setInterest(slot, readInterest(slot)) }
        if holdUntilAllConnected {
            settle()
        } else {
            scheduleFirstMessage(slot)
            beginMessageOrWait(slot)
        }
    }

    /// One more slot has connected or failed; when none is left, every waiting client starts.
    mutating func settle() {
        unsettledSlots -= 1
        guard unsettledSlots == 0 else { return }
        holdUntilAllConnected = false
        for slot in 0..<admitted where conns[slot].state == .idle && conns[slot].isConnected {
            scheduleFirstMessage(slot)
            beginMessageOrWait(slot)
        }
    }

    /// A rate-limited client's schedule starts when it may first send (not while it was held), at its offset
    /// into the interval; a reconnecting client keeps the schedule it had (nextStartNs is 0 until then).
    mutating func scheduleFirstMessage(_ slot: Int) {
        guard plan.rateIntervalNs > 0, conns[slot].nextStartNs == 0 else { return }
        conns[slot].nextStartNs = now + plan.firstMessageOffsetNs(client: conns[slot].client)
    }

    mutating func connectFailed(_ slot: Int, _ code: Int32) {
        let kind: LoadErrorKind
        switch code {
        case ECONNREFUSED: kind = .connectRefused
        case ETIMEDOUT: kind = .timeout
        case ECONNRESET: kind = .reset
        default:
            kind = .other
            noteOther("connect", code)
        }
        fail(slot, kind)
    }

    // MARK: Closing

    /// Closes the slot's socket if it has one (an RST when `abortive`) and cancels its timer.
    mutating func closeSocket(_ slot: Int, abortive: Bool = false) {
        wheel.cancel(Int32(slot), in: conns)
        let fd = conns[slot].fd
        guard fd >= 0 else { return }
        if conns[slot].state == .connecting { connectsInFlight -= 1 }
        if conns[slot].isConnected {
            conns[slot].isConnected = false
            counters.openConnections -= 1
        }
        if abortive { _ = runviz_set_linger_zero(fd) }
        close(fd)
        conns[slot].fd = -1
        conns[slot].interest = 0
        openSockets -= 1
        // The next session's messages get fresh numbers, even after a partial message.
        conns[slot].sessionFirstMessage += (conns[slot].sendLimit + messageSize - 1) / messageSize
        conns[slot].sent = 0
        conns[slot].received = 0
        conns[slot].sendLimit = 0
    }

    /// The client is done (count reached or run over): close and never reconnect.
    mutating func finishClient(_ slot: Int) {
        closeSocket(slot)
        if conns[slot].state != .finished {
            conns[slot].state = .finished
            finishedClients += 1
        }
    }

    /// Counts one error for the slot, closes it, and either schedules a reconnect or finishes it.
    mutating func fail(_ slot: Int, _ kind: LoadErrorKind) {
        counters.errors[kind] += 1
        closeSocket(slot)
        if holdUntilAllConnected && !conns[slot].everConnected && !conns[slot].failed { settle() }
        if phase == .running, let delay = plan.reconnectDelayNs {
            conns[slot].state = .backoff
            wheel.schedule(Int32(slot), dueNs: now + delay, in: conns)
        } else {
            conns[slot].failed = true
            if conns[slot].state != .finished {
                conns[slot].state = .finished
                finishedClients += 1
            }
        }
    }

    /// Ends a session on purpose (churn, reset, half-close) and queues the next one, if any.
    mutating func endSession(_ slot: Int, abortive: Bool) {
        closeSocket(slot, abortive: abortive)
        if abortive { counters.resetsSent += 1 }
        if phase == .running && (countLimit == 0 || conns[slot].completed < countLimit) {
            enqueueConnect(slot)
        } else {
            finishClient(slot)
        }
    }

    // MARK: Timers and timeouts

    mutating func fireTimers() {
        var slot = wheel.expire(nowNs: now, in: conns)
        while slot >= 0 {
            let next = conns[Int(slot)].timerNext
            conns[Int(slot)].timerNext = -1
            timerFired(Int(slot))
            slot = next
        }
    }

    mutating func timerFired(_ slot: Int) {
        switch conns[slot].state {
        case .idle:
            beginMessageOrWait(slot)
        case .backoff:
            if phase == .running { enqueueConnect(slot) } else { finishClient(slot) }
        case .active where plan.scenario == .slowReader:
            let generation = conns[slot].generation
            readable(slot)
            if conns[slot].fd >= 0 && conns[slot].generation == generation && phase == .running {
                wheel.schedule(Int32(slot), dueNs: now + LoadWorker.slowReadIntervalNs, in: conns)
            }
        default:
            break
        }
    }

    /// Connects that hang and echoes that stop arriving become timeout errors.
    mutating func checkTimeouts() {
        for slot in 0..<admitted {
            switch conns[slot].state {
            case .connecting:
                if now &- conns[slot].connectStartNs > plan.connectTimeoutNs { fail(slot, .timeout) }
            case .active, .awaitingEOF:
                let waiting = conns[slot].received < conns[slot].sendLimit || conns[slot].state == .awaitingEOF
                if waiting && now &- conns[slot].lastProgressNs > plan.ioTimeoutNs { fail(slot, .timeout) }
            default:
                break
            }
        }
    }

    // MARK: The end of the run

    /// Stops new messages and sessions; in-flight echoes may still complete until the grace time ends.
    mutating func beginDrain(graceNs: UInt64, leftoversAreTimeouts: Bool) {
        markLoadEnd()
        phase = .draining(untilNs: now + graceNs, leftoversAreTimeouts: leftoversAreTimeouts)
        for slot in 0..<admitted {
            switch conns[slot].state {
            case .queued, .backoff, .connecting, .idle:
                finishClient(slot)
            case .active where plan.scenario == .slowReader:
                wheel.cancel(Int32(slot), in: conns)
                if conns[slot].received == conns[slot].sendLimit && conns[slot].sent == conns[slot].sendLimit {
                    finishClient(slot)
                } else {
                    let writing = conns[slot].interest & EPOLLOUT.rawValue
                    setInterest(slot, EPOLLIN.rawValue | writing)
                }
            default:
                break
            }
        }
    }

    /// Closes whatever is still open. When the run ended by its deadline, a leftover echo is a timeout —
    /// except for a slow reader, whose unread backlog is the point of the scenario (every byte it did read
    /// was verified) — and so is a client that did not reach its count.
    mutating func endDrain(countLeftovers: Bool) {
        for slot in 0..<admitted {
            if conns[slot].fd >= 0 {
                if countLeftovers && plan.scenario != .slowReader {
                    counters.errors.timeout += 1
                    conns[slot].failed = true
                }
                finishClient(slot)
            }
            if countLeftovers && countLimit > 0 && !conns[slot].failed && conns[slot].completed < countLimit {
                counters.errors.timeout += 1
                conns[slot].failed = true
            }
        }
        phase = .done
    }

    /// Closes every socket still open (after the loop, whatever ended it).
    mutating func closeEverything() {
        for slot in 0..<admitted where conns[slot].fd >= 0 {
            finishClient(slot)
        }
    }
}
