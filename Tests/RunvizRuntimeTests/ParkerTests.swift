// Facts about the Parker, a thread's sleep slot: a wake that comes before the sleep is kept, so the
// next park returns at once; a park with a timeout returns on its own; an unpark wakes a thread that
// is asleep in park.

import Foundation
import RunvizLock
import RunvizTestSupport
import Synchronization
import Testing

@testable import RunvizRuntime

@Suite struct ParkerTests {
    @Test func anUnparkBeforeTheParkMakesTheNextParkReturn() {
        let parker = Parker()
        #expect(parker.unpark() == false, "no thread was asleep")
        let returned = Atomic<Bool>(false)
        Thread {
            parker.park()
            returned.store(true, ordering: .releasing)
        }.start()
        #expect(eventually { returned.load(ordering: .acquiring) })
        if !returned.load(ordering: .acquiring) { parker.unpark() }
    }

    @Test func aParkWithATimeoutReturnsWithoutAnUnpark() {
        let parker = Parker()
        parker.park(timeoutNanos: 1_000_000)
        #expect(parker.unpark() == false, "the timed-out park left no sleeper behind")
    }

    @Test func anUnparkWakesAThreadAsleepInPark() {
        let parker = Parker()
        let wakes = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let done = Atomic<Bool>(false)
        Thread {
            while !stop.load(ordering: .acquiring) {
                parker.park()
                wakes.add(1, ordering: .releasing)
            }
            done.store(true, ordering: .releasing)
        }.start()
        // An unpark that finds the thread between parks only shortens its next park; keep trying until
        // one finds it asleep (a futex wake was issued), then check that it woke.
        var before = 0
        #expect(
            eventually {
                before = wakes.load(ordering: .acquiring)
                return parker.unpark()
            })
        #expect(eventually { wakes.load(ordering: .acquiring) > before })
        stop.store(true, ordering: .releasing)
        parker.unpark()
        #expect(eventually { done.load(ordering: .acquiring) })
    }
}
