// The header's instrumentation cost: events per second × cost per event, spread over the jobs of
// that second; 0 when recording is off; unknown before any job ran.

import RunvizObservation
import Testing

@Suite struct InstrumentationCostTests {
    @Test func costIsEventsTimesCostPerJob() {
        #expect(
            InstrumentationCost.perJob(eventsOn: true, eventsPerSecond: 40_000, jobsPerSecond: 10_000, eventCost: 50)
                == 200)
    }

    @Test func recordingOffCostsNothing() {
        #expect(
            InstrumentationCost.perJob(eventsOn: false, eventsPerSecond: 40_000, jobsPerSecond: 10_000, eventCost: 50)
                == 0)
    }

    @Test func noJobsMeansNoFigureYet() {
        #expect(InstrumentationCost.perJob(eventsOn: true, eventsPerSecond: 10, jobsPerSecond: 0, eventCost: 50) == nil)
    }
}
