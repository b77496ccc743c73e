// Facts about WorkerSpells: a job runs from runStarted to runFinished and a sleep from workerParked
// to workerUnparked, with the search between them; a spell that begins while another is open cuts
// it; an end whose start was not read ends a spell of unknown start; the watchdog dates such a job;
// workers out of range and other kinds move nothing.

import RunvizObservation
import RunvizTelemetry
import Testing

@Suite struct WorkerSpellsTests {
    typealias Spell = WorkerSpells.Spell
    let a = TaskID(7)

    @Test func aJobThenASleep() {
        var s = WorkerSpells(workers: 2)
        let start = s.take(.runStarted(a, worker: 1), at: 10)
        #expect(start == .init(worker: 1, cut: nil, ended: nil, began: Spell(.job(a), start: 10)))
        let end = s.take(.runFinished(a, worker: 1), at: 30)
        #expect(
            end == .init(worker: 1, cut: nil, ended: Spell(.job(a), start: 10), began: Spell(.searching, start: 30)))
        let park = s.take(.workerParked(worker: 1, inDriver: true), at: 40)
        #expect(park?.cut == Spell(.searching, start: 30))
        let wake = s.take(.workerUnparked(worker: 1), at: 90)
        #expect(wake?.ended == Spell(.sleep(inDriver: true), start: 40))
        #expect(s.spell(of: 1) == Spell(.searching, start: 90))
        #expect(s.spell(of: 0) == nil)
    }

    @Test func aSpellThatBeginsCutsTheOpenOne() {
        var s = WorkerSpells(workers: 1)
        _ = s.take(.runStarted(a, worker: 0), at: 10)
        let next = s.take(.runStarted(TaskID(8), worker: 0), at: 20)
        #expect(next?.cut == Spell(.job(a), start: 10))
        #expect(next?.ended == nil)
        let park = s.take(.workerParked(worker: 0, inDriver: false), at: 30)
        #expect(park?.cut == Spell(.job(TaskID(8)), start: 20))
    }

    @Test func anEndWhoseStartWasNotRead() {
        var s = WorkerSpells(workers: 2)
        let end = s.take(.runFinished(a, worker: 0), at: 50)
        #expect(
            end == .init(worker: 0, cut: nil, ended: Spell(.job(a), start: nil), began: Spell(.searching, start: 50)))
        let wake = s.take(.workerUnparked(worker: 1), at: 60)
        #expect(wake?.ended == Spell(.sleep(inDriver: false), start: nil))
        // A job's end while asleep: the sleep's end was lost, and the job's start.
        _ = s.take(.workerParked(worker: 1, inDriver: false), at: 70)
        let lost = s.take(.runFinished(a, worker: 1), at: 80)
        #expect(lost?.cut == Spell(.sleep(inDriver: false), start: 70))
        #expect(lost?.ended == Spell(.job(a), start: nil))
    }

    @Test func theWatchdogDatesAJobWhoseStartWasNotRead() {
        var s = WorkerSpells(workers: 1)
        s.seed(0, Spell(.job(a), start: nil))
        #expect(s.take(.workerBlocked(worker: 0, task: a, jobStart: 5), at: 100) == nil)
        #expect(s.spell(of: 0) == Spell(.job(a), start: 5))
        // A known start stays.
        _ = s.take(.workerBlocked(worker: 0, task: a, jobStart: 9), at: 200)
        #expect(s.spell(of: 0)?.start == 5)
    }

    @Test func otherKindsAndOtherWorkersMoveNothing() {
        var s = WorkerSpells(workers: 1)
        #expect(s.take(.runStarted(a, worker: 1), at: 1) == nil)
        #expect(s.take(.workerParked(worker: 254, inDriver: false), at: 1) == nil)
        #expect(s.take(.spawned(a, parent: .none, name: 0, thread: .worker(0)), at: 1) == nil)
        #expect(s.take(.stole(worker: 0, victim: 1, jobs: 3), at: 1) == nil)
        #expect(s.spell(of: 0) == nil)
        _ = s.take(.runStarted(a, worker: 0), at: 2)
        #expect(s.close(0) == Spell(.job(a), start: 2))
        #expect(s.spell(of: 0) == nil)
    }
}
