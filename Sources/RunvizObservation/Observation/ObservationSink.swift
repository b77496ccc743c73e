// Where a frame source's observations go besides its Observer: a recording on disk, viewers
// attached over a socket, a metrics endpoint. Called on the observer's thread after each turn; it
// must not block (a sink that cannot keep up drops and counts). A recording's status is what the
// header shows.

public protocol ObservationSink: AnyObject {
    func record(_ observation: Observation)
    /// How the recording this sink writes is going (nil: the sink writes none).
    var recordingStatus: RecordingStatus? { get }
}

/// How a recording is going: what it wrote, what it had to drop, and why it stopped if it did.
public struct RecordingStatus: Sendable, Codable, Equatable {
    public var path: String
    /// Bytes on disk so far (the header included).
    public var bytes: UInt64
    /// Observations handed to the writer and recorded.
    public var observations: UInt64
    /// Observations (and their events) dropped because the disk could not keep up or failed.
    public var droppedObservations: UInt64
    public var droppedEvents: UInt64
    /// Why writing stopped (a full disk, an I/O error); nil while it goes on.
    public var failure: String?

    public init(
        path: String, bytes: UInt64 = 0, observations: UInt64 = 0, droppedObservations: UInt64 = 0,
        droppedEvents: UInt64 = 0, failure: String? = nil
    ) {
        self.path = path
        self.bytes = bytes
        self.observations = observations
        self.droppedObservations = droppedObservations
        self.droppedEvents = droppedEvents
        self.failure = failure
    }
}
