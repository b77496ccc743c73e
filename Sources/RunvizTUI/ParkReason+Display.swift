// What a parked task waits on, in the words of the parked-tasks panel: "fd 12 read",
// "timer 120 ms" (time left to the deadline), "mutex #1", "channel #2 recv", "join t5".

import RunvizTelemetry

extension ParkReason {
    /// `now` is the instant the remaining time of a timer is measured from.
    func waitDescription(now: UInt64, _ glyphs: Glyphs) -> String {
        if case .timer(let deadline) = self {
            return deadline > now ? "timer due in \(Format.duration(deadline - now, glyphs))" : "timer due"
        }
        return description
    }

    /// A timer's time left to its deadline ("120 ms", "due"); nil for every other park.
    func deadlineDescription(now: UInt64, _ glyphs: Glyphs) -> String? {
        guard case .timer(let deadline) = self else { return nil }
        return deadline > now ? Format.duration(deadline - now, glyphs) : "due"
    }
}

extension Interest {
    /// Readiness as the kernel reports it: "readable", "writable", "readable+writable", "hang-up".
    var readinessWord: String {
        var words: [String] = []
        if contains(.read) { words.append("readable") }
        if contains(.write) { words.append("writable") }
        if contains(.hangup) { words.append("hang-up") }
        return words.isEmpty ? "ready" : words.joined(separator: "+")
    }
}
