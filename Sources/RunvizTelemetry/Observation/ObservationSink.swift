// Where a frame source's observations go besides its Observer: a recording on disk, later a
// viewer attached over a socket. Called on the observer's thread after each turn; it must not
// block (a sink that cannot keep up drops and counts).

public protocol ObservationSink: AnyObject {
    func record(_ observation: Observation)
}
