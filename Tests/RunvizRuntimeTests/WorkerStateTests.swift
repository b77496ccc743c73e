// Facts about a worker's state machine: the owner's transitions land where WorkerState.swift's
// diagram says, a sleeper is claimed by exactly one notifier and only from where it sleeps, and
// each phase publishes the activity the dashboard names. (A claim's result is bound before
// `#expect`: the macro cannot take apart a call on a noncopyable value.)

import RunvizTelemetry
import Testing

@testable import RunvizRuntime

@Suite struct WorkerStateTests {
    @Test func aJobMovesTheWorkerFromSearchingToRunningAndBack() {
        let state = WorkerState()
        #expect(state.phase == .searching)
        state.startJob()
        #expect(state.phase == .running)
        state.finishJob()
        #expect(state.phase == .searching)
    }

    @Test func prepareToParkPublishesTheBed() {
        let state = WorkerState()
        #expect(state.prepareToPark(inDriver: true) == .parkedInDriver)
        #expect(state.phase == .parkedInDriver)
        state.wake()
        #expect(state.prepareToPark(inDriver: false) == .parked)
        #expect(state.phase == .parked)
        state.wake()
        #expect(state.phase == .searching)
    }

    @Test func exactlyOneNotifierClaimsASleeper() {
        let state = WorkerState()
        _ = state.prepareToPark(inDriver: false)
        let first = state.claim(.parked)
        #expect(first)
        #expect(state.phase == .searching)
        let second = state.claim(.parked)
        #expect(!second)
    }

    @Test func aClaimSucceedsOnlyOnTheBedTheWorkerSleepsIn() {
        let state = WorkerState()
        _ = state.prepareToPark(inDriver: false)
        let fromDriverBed = state.claim(.parkedInDriver)
        #expect(!fromDriverBed)
        #expect(state.phase == .parked)
        state.wake()
        _ = state.prepareToPark(inDriver: true)
        let fromParkerBed = state.claim(.parked)
        #expect(!fromParkerBed)
        let fromItsBed = state.claim(.parkedInDriver)
        #expect(fromItsBed)
    }

    @Test func anAwakeOrStoppedWorkerCannotBeClaimed() {
        let state = WorkerState()
        let whileSearching = state.claim(.parked)
        #expect(!whileSearching)
        state.startJob()
        let runningFromParker = state.claim(.parked)
        let runningFromDriver = state.claim(.parkedInDriver)
        #expect(!runningFromParker && !runningFromDriver)
        #expect(state.phase == .running)
        state.stop()
        let whileStopped = state.claim(.parked)
        #expect(!whileStopped)
        #expect(state.phase == .stopped)
    }

    @Test func eachPhasePublishesItsActivity() {
        let pairs: [(WorkerState.Phase, WorkerActivity)] = [
            (.searching, .searching), (.running, .running), (.parked, .parked), (.parkedInDriver, .parkedInDriver),
            (.stopped, .stopped),
        ]
        for (phase, activity) in pairs { #expect(phase.activity == activity) }
    }
}
