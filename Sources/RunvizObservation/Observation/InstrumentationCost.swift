// What event recording costs, as the header shows it: extra CPU per job run. The events recorded in
// the last second times the measured cost of one event (clock read + ring store), spread over the
// jobs run in that second.

public enum InstrumentationCost {
    /// Nanoseconds per job; 0 when recording is off; nil while no job ran in the last second.
    public static func perJob(eventsOn: Bool, eventsPerSecond: Double, jobsPerSecond: Double, eventCost: Double)
        -> Double?
    {
        guard eventsOn else { return 0 }
        guard jobsPerSecond > 0 else { return nil }
        return eventsPerSecond * eventCost / jobsPerSecond
    }
}
