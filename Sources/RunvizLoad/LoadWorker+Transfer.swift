// LoadWorker+Transfer: the message path — start a message, send it from the payload table, receive the
// echo into the worker's buffer, compare every byte with what was sent, and decide what comes next.
// This is the hot path: no allocation, one recv per readable event, one send per message when it fits.
//
// Timing: a round trip runs from a clock read just before the send() that writes the message's first
// byte to a clock read once its last echoed byte has been taken in (from send). A paced message is also
// timed from the slot its schedule gave it (from schedule, ≥ from send), which adds how late the
// generator was in starting it: the coordinated-omission view.

import CRunvizLinux
import Glibc

extension LoadWorker {
    /// Dispatches one epoll event to its slot, dropping events for sockets closed since.
    mutating func handle(data: UInt64, mask: UInt32) {
        let slot = Int(truncatingIfNeeded: data & 0xFFFF_FFFF)
        let generation = UInt32(truncatingIfNeeded: data >> 32)
        guard slot < plan.slotCount, conns[slot].generation == generation, conns[slot].fd >= 0 else { return }
        switch conns[slot].state {
        case .connecting:
            finishConnect(slot)
        case .idle, .active, .awaitingEOF:
            if mask & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                readable(slot)
                guard conns[slot].generation == generation, conns[slot].fd >= 0 else { return }
            }
            if mask & EPOLLOUT.rawValue != 0 && conns[slot].state != .idle { flushSend(slot) }
        default:
            break
        }
    }

    // MARK: Sending

    /// Starts the next message now, later (rate), or not at all (count reached, run over).
    mutating func beginMessageOrWait(_ slot: Int) {
        guard phase == .running else {
            finishClient(slot)
            return
        }
        if countLimit > 0 && conns[slot].completed >= countLimit {
            finishClient(slot)
            return
        }
        if plan.rateIntervalNs > 0 && plan.scenario != .slowReader && conns[slot].nextStartNs > now {
            conns[slot].state = .idle
            wheel.schedule(Int32(slot), dueNs: conns[slot].nextStartNs, in: conns)
            return
        }
        startMessage(slot)
    }

    mutating func startMessage(_ slot: Int) {
        if plan.scenario == .reset && conns[slot].sessionRoundTrips >= UInt64(LoadScenario.resetAfterRoundTrips) {
            abortMidMessage(slot)
            return
        }
        let index = conns[slot].sendLimit / messageSize
        conns[slot].sendLimit += messageSize
        conns[slot].timedMessage = index
        conns[slot].awaitingFirstByte = true
        conns[slot].messageDueNs = plan.rateIntervalNs > 0 && plan.scenario != .slowReader ? conns[slot].nextStartNs : 0
        conns[slot].lastProgressNs = now
        if plan.rateIntervalNs > 0 {
            conns[slot].nextStartNs = plan.nextStartNs(after: conns[slot].nextStartNs, now: now)
        }
        conns[slot].state = .active
        if plan.scenario == .slowReader && !conns[slot].timerArmed {
            wheel.schedule(Int32(slot), dueNs: now + LoadWorker.slowReadIntervalNs, in: conns)
        }
        flushSend(slot)
    }

    /// Reset scenario: send the first half of a message, then close with SO_LINGER 0 (an RST).
    mutating func abortMidMessage(_ slot: Int) {
        let index = conns[slot].sendLimit / messageSize
        conns[slot].sendLimit += messageSize
        let half = min(max(Int(messageSize) / 2, 1), PayloadPattern.period)
        let start = pattern.pointer(
            client: conns[slot].client, message: conns[slot].sessionFirstMessage + index, index: 0)
        let written = send(conns[slot].fd, start, half, Int32(MSG_NOSIGNAL))
        if written > 0 { counters.bytesSent += UInt64(written) }
        endSession(slot, abortive: true)
    }

    /// Sends what the slot owes up to `sendLimit`; a slow reader keeps starting messages until the socket
    /// pushes back. On EAGAIN it asks for EPOLLOUT; once everything is out it drops EPOLLOUT again. At most
    /// `sendBudgetBytes` per call, so one fast socket cannot hold up the others.
    mutating func flushSend(_ slot: Int) {
        var budget = LoadWorker.sendBudgetBytes
        while true {
            if plan.scenario == .slowReader { topUpStream(slot) }
            let pending = conns[slot].sendLimit - conns[slot].sent
            if pending == 0 { break }
            let (bytes, length) = nextChunk(slot, pending: pending)
            let firstByte = conns[slot].timedMessage &* messageSize
            let carriesFirstByte = conns[slot].awaitingFirstByte && firstByte < conns[slot].sent + UInt64(length)
            if carriesFirstByte { conns[slot].messageSentNs = runviz_now_ns() }
            let written = send(conns[slot].fd, bytes, length, Int32(MSG_NOSIGNAL))
            if written > 0 {
                if carriesFirstByte && firstByte < conns[slot].sent + UInt64(written) {
                    conns[slot].awaitingFirstByte = false
                }
                conns[slot].sent += UInt64(written)
                counters.bytesSent += UInt64(written)
                conns[slot].lastProgressNs = now
                budget -= written
                if budget <= 0 {
                    setInterest(slot, conns[slot].interest | EPOLLOUT.rawValue)
                    return
                }
                continue
            }
            let code = errno
            if written < 0 && code == EINTR { continue }
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                setInterest(slot, conns[slot].interest | EPOLLOUT.rawValue)
                return
            }
            ioFailed(slot, code, call: "send")
            return
        }
        if plan.scenario == .halfClose && !conns[slot].shutdownSent {
            conns[slot].shutdownSent = true
            _ = shutdown(conns[slot].fd, Int32(SHUT_WR))
        }
        if conns[slot].interest & EPOLLOUT.rawValue != 0 {
            setInterest(slot, conns[slot].interest & ~EPOLLOUT.rawValue)
        }
    }

    /// The next bytes to send: straight from the payload table while they belong to one message, else
    /// several small messages copied into the send buffer so one send() carries them all.
    mutating func nextChunk(_ slot: Int, pending: UInt64) -> (UnsafeMutablePointer<UInt8>, Int) {
        let position = conns[slot].sent
        let offset = Int(position % messageSize)
        let inMessage = Int(messageSize) - offset
        if UInt64(inMessage) >= pending || inMessage >= PayloadPattern.period {
            let bytes = pattern.pointer(
                client: conns[slot].client, message: conns[slot].sessionFirstMessage + position / messageSize,
                index: offset)
            return (bytes, min(Int(min(pending, UInt64(inMessage))), PayloadPattern.period))
        }
        let total = Int(min(pending, UInt64(LoadWorker.sendBufferSize)))
        var filled = 0
        while filled < total {
            let at = position + UInt64(filled)
            let index = at / messageSize
            let within = Int(at % messageSize)
            let length = min(total - filled, Int(messageSize) - within, PayloadPattern.period)
            let source = pattern.pointer(
                client: conns[slot].client, message: conns[slot].sessionFirstMessage + index, index: within)
            (sendBuffer + filled).update(from: source, count: length)
            filled += length
        }
        return (sendBuffer, total)
    }

    /// Slow reader: keep up to one send buffer of started messages ahead of what was sent.
    mutating func topUpStream(_ slot: Int) {
        guard phase == .running else { return }
        while conns[slot].sendLimit - conns[slot].sent < UInt64(LoadWorker.sendBufferSize) {
            let started = conns[slot].sessionFirstMessage + conns[slot].sendLimit / messageSize
            guard countLimit == 0 || started < countLimit else { return }
            if conns[slot].timedMessage == .max {
                conns[slot].timedMessage = conns[slot].sendLimit / messageSize
                conns[slot].awaitingFirstByte = true
                conns[slot].messageDueNs = 0
            }
            conns[slot].sendLimit += messageSize
        }
    }

    mutating func ioFailed(_ slot: Int, _ code: Int32, call: String) {
        switch code {
        case ECONNRESET, EPIPE: fail(slot, .reset)
        case ETIMEDOUT: fail(slot, .timeout)
        default:
            noteOther(call, code)
            fail(slot, .other)
        }
    }

    // MARK: Receiving

    /// One recv: a trickle for a slow reader (unless draining), otherwise as much as the buffer holds.
    mutating func readable(_ slot: Int) {
        let trickle = plan.scenario == .slowReader && conns[slot].interest & EPOLLIN.rawValue == 0
        let limit = trickle ? LoadWorker.slowReadBytes : LoadWorker.receiveBufferSize
        let count = recv(conns[slot].fd, receiveBuffer, limit, 0)
        if count > 0 {
            consume(slot, count)
        } else if count == 0 {
            peerClosed(slot)
        } else {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
            ioFailed(slot, code, call: "recv")
        }
    }

    /// Verifies `count` received bytes against the payload, message by message, in stream order.
    mutating func consume(_ slot: Int, _ count: Int) {
        counters.bytesReceived += UInt64(count)
        conns[slot].lastProgressNs = now
        if UInt64(count) > conns[slot].sent - conns[slot].received || conns[slot].state == .awaitingEOF {
            fail(slot, .surplus)
            return
        }
        let generation = conns[slot].generation
        var done = 0
        while done < count {
            let position = conns[slot].received
            let index = position / messageSize
            let offset = Int(position % messageSize)
            let length = min(count - done, Int(messageSize) - offset, PayloadPattern.period)
            let expected = pattern.pointer(
                client: conns[slot].client, message: conns[slot].sessionFirstMessage + index, index: offset)
            if memcmp(receiveBuffer + done, expected, length) != 0 {
                conns[slot].badMessage = true
                if firstMismatch == nil { describeMismatch(slot, at: done, expected: expected, length: length) }
            }
            conns[slot].received += UInt64(length)
            done += length
            if offset + length == Int(messageSize) {
                messageEchoed(slot, index: index)
                guard conns[slot].generation == generation, conns[slot].fd >= 0 else { return }
            }
        }
    }

    mutating func describeMismatch(_ slot: Int, at start: Int, expected: UnsafeMutablePointer<UInt8>, length: Int) {
        var byte = 0
        while byte < length && receiveBuffer[start + byte] == expected[byte] { byte += 1 }
        guard byte < length else { return }
        let position = conns[slot].received + UInt64(byte)
        func hex(_ value: UInt8) -> String {
            let digits = String(value, radix: 16)
            return "0x" + (digits.count < 2 ? "0" : "") + digits
        }
        firstMismatch =
            "client \(conns[slot].client), message \(conns[slot].sessionFirstMessage + position / messageSize), "
            + "byte \(position % messageSize): expected \(hex(expected[byte])), got \(hex(receiveBuffer[start + byte]))"
    }

    /// A whole message has come back: count it, time it, and move the client on.
    mutating func messageEchoed(_ slot: Int, index: UInt64) {
        if conns[slot].badMessage { counters.errors.mismatch += 1 }
        if plan.scenario == .halfClose {
            // The round trip counts when the server's EOF follows; the mismatch flag stays until then.
            conns[slot].state = .awaitingEOF
            return
        }
        completeRoundTrip(slot, index: index)
        switch plan.scenario {
        case .churn:
            if conns[slot].sessionRoundTrips >= UInt64(LoadScenario.churnRoundTrips) {
                if phase == .running && (countLimit == 0 || conns[slot].completed < countLimit) {
                    endSession(slot, abortive: false)
                } else {
                    finishClient(slot)
                }
            } else {
                beginMessageOrWait(slot)
            }
        case .slowReader:
            let drained = conns[slot].received == conns[slot].sendLimit && conns[slot].sent == conns[slot].sendLimit
            let counted = countLimit > 0 && conns[slot].completed >= countLimit
            if counted || (phase != .running && drained) { finishClient(slot) }
        default:
            beginMessageOrWait(slot)
        }
    }

    /// Counts the round trip and, if it was timed (a slow reader times one message at a time), records its
    /// latency from send and, when paced, from schedule.
    mutating func completeRoundTrip(_ slot: Int, index: UInt64) {
        conns[slot].completed += 1
        conns[slot].sessionRoundTrips += 1
        let verified = !conns[slot].badMessage
        conns[slot].badMessage = false
        if conns[slot].timedMessage == index {
            let clockNs = runviz_now_ns()
            conns[slot].timedMessage = .max
            if verified && !conns[slot].awaitingFirstByte {
                let highest = LatencySummary.highestTrackableNanos
                interval.record(min(clockNs &- conns[slot].messageSentNs, highest))
                let dueNs = conns[slot].messageDueNs
                if dueNs > 0 { intervalFromSchedule.record(min(clockNs &- dueNs, highest)) }
            }
        }
        if verified { counters.roundTrips += 1 }
    }

    /// recv returned 0: the expected EOF of a half-close, or the server quitting early.
    mutating func peerClosed(_ slot: Int) {
        guard conns[slot].state == .awaitingEOF else {
            fail(slot, .unexpectedEOF)
            return
        }
        completeRoundTrip(slot, index: conns[slot].sendLimit / messageSize - 1)
        endSession(slot, abortive: false)
    }
}
