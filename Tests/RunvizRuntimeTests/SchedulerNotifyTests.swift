// Facts about the scheduler's wake rule (tokio's): a new job wakes a sleeping worker only when no
// other worker is searching; it claims one sleeper per notify, a parked one before the one in
// epoll_wait, and never the notifying worker itself. The workers here have no threads: the test
// sets their states and reads what notify did to them.

import RunvizTelemetry
import Testing

@testable import RunvizRuntime

@Suite struct SchedulerNotifyTests {
    /// A scheduler whose workers never run; it breaks the worker → scheduler references a running
    /// worker drops when its loop exits.
    private final class Fixture {
        let scheduler: Scheduler
        var workers: [Worker] { scheduler.workers }

        init(workers count: Int) throws {
            let hub = TelemetryHub(workerCount: count, ringCapacity: 64)
            let recorder = Recorder(hub: hub)
            let workers = (0..<count).map {
                Worker(index: $0, metrics: hub.workers[$0], ring: hub.makeRing(label: "worker-\($0)"))
            }
            scheduler = Scheduler(workers: workers, recorder: recorder, driver: try Driver(recorder: recorder))
            for w in workers { w.scheduler = scheduler }
        }

        deinit { for w in scheduler.workers { w.scheduler = nil } }
    }

    @Test func noSleeperIsWokenWhileAnotherWorkerSearches() throws {
        let f = try Fixture(workers: 2)
        _ = f.workers[0].state.prepareToPark(inDriver: false)
        f.scheduler.notifyIdle(except: nil)
        #expect(f.workers[0].state.phase == .parked)
    }

    @Test func oneParkedWorkerIsClaimedWhenNoneSearches() throws {
        let f = try Fixture(workers: 3)
        f.workers[0].state.startJob()
        _ = f.workers[1].state.prepareToPark(inDriver: false)
        _ = f.workers[2].state.prepareToPark(inDriver: false)
        f.scheduler.notifyIdle(except: nil)
        #expect(f.workers.map { $0.state.phase } == [.running, .searching, .parked])
        // The claimed worker now counts as searching: the next job wakes nobody else.
        f.scheduler.notifyIdle(except: nil)
        #expect(f.workers[2].state.phase == .parked)
    }

    @Test func aParkedWorkerIsWokenBeforeTheOneInTheDriver() throws {
        let f = try Fixture(workers: 2)
        _ = f.workers[0].state.prepareToPark(inDriver: true)
        _ = f.workers[1].state.prepareToPark(inDriver: false)
        f.scheduler.notifyIdle(except: nil)
        #expect(f.workers.map { $0.state.phase } == [.parkedInDriver, .searching])
        f.workers[1].state.startJob()
        f.scheduler.notifyIdle(except: nil)
        #expect(f.workers[0].state.phase == .searching)
    }

    @Test func theNotifyingWorkerIsNeverClaimedAndDoesNotCountAsSearching() throws {
        let f = try Fixture(workers: 2)
        _ = f.workers[0].state.prepareToPark(inDriver: false)
        f.workers[1].state.startJob()
        f.scheduler.notifyIdle(except: f.workers[0])
        #expect(f.workers[0].state.phase == .parked)
        f.workers[0].state.wake()
        _ = f.workers[1].state.prepareToPark(inDriver: false)
        f.scheduler.notifyIdle(except: f.workers[0])
        #expect(f.workers[1].state.phase == .searching)
    }

    @Test func theWatchdogsWakeLeavesTheDriverSleeperAloneWhenAsked() throws {
        let f = try Fixture(workers: 2)
        _ = f.workers[0].state.prepareToPark(inDriver: true)
        f.workers[1].state.startJob()
        f.scheduler.wakeOneSleeper(includingDriver: false)
        #expect(f.workers[0].state.phase == .parkedInDriver)
        f.scheduler.wakeOneSleeper(includingDriver: true)
        #expect(f.workers[0].state.phase == .searching)
    }
}
