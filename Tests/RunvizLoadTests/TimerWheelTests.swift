// TimerWheelTests: timers fire once, not early, in any order of scheduling, across laps; cancel unlinks.

import Testing

@testable import RunvizLoad

@Suite struct TimerWheelTests {
    func fired(_ wheel: inout TimerWheel, at nowNs: UInt64, _ conns: UnsafeMutablePointer<Connection>) -> [Int32] {
        var out: [Int32] = []
        var slot = wheel.expire(nowNs: nowNs, in: conns)
        while slot >= 0 {
            out.append(slot)
            slot = conns[Int(slot)].timerNext
        }
        return out.sorted()
    }

    @Test func timersFireWhenDueAndNotBefore() {
        let conns = UnsafeMutablePointer<Connection>.allocate(capacity: 8)
        conns.initialize(repeating: Connection(), count: 8)
        defer { conns.deallocate() }
        let ms: UInt64 = 1_000_000
        let start: UInt64 = 5_000 * ms
        var wheel = TimerWheel(nowNs: start)
        defer { wheel.deallocate() }
        wheel.schedule(0, dueNs: start + 3 * ms, in: conns)
        wheel.schedule(1, dueNs: start + 1 * ms, in: conns)
        wheel.schedule(2, dueNs: start + 2_500 * ms, in: conns)  // more than one lap ahead
        wheel.schedule(3, dueNs: start + 3 * ms, in: conns)
        wheel.schedule(4, dueNs: start + 4 * ms, in: conns)
        wheel.cancel(4, in: conns)
        #expect(wheel.count == 4)
        #expect(wheel.nextDueNs(after: start, in: conns) == start + 1 * ms)
        #expect(fired(&wheel, at: start, conns) == [])
        #expect(fired(&wheel, at: start + 1 * ms, conns) == [1])
        #expect(fired(&wheel, at: start + 5 * ms, conns) == [0, 3])
        #expect(fired(&wheel, at: start + 1_100 * ms, conns) == [])
        #expect(fired(&wheel, at: start + 2_499 * ms, conns) == [])
        #expect(fired(&wheel, at: start + 2_600 * ms, conns) == [2])
        #expect(wheel.count == 0)
        #expect(wheel.nextDueNs(after: start, in: conns) == nil)
    }
}
