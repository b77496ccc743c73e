// Starting a session from a command: whatever goes wrong becomes one line for the user and a
// non-zero exit (`Failure`).

import RunvizRecording
import RunvizSession

extension Session {
    static func start(_ configuration: SessionConfiguration) throws -> Session {
        do { return try Session(configuration) } catch { throw Failure(error.description) }
    }
}

/// A session's recording from `--record`: started with the session, closed after it; the
/// closing line says what it holds, and a recording that failed makes the exit non-zero.
struct SessionRecording {
    let writer: RecordingWriter

    /// Starts recording `session` to `path` (nil: no recording).
    static func start(_ session: Session, to path: String?) throws -> SessionRecording? {
        guard let path else { return nil }
        do {
            let writer = try RecordingWriter(path: path, setup: session.observer.setup)
            session.sinks.append(writer)
            return SessionRecording(writer: writer)
        } catch {
            throw Failure(error.description)
        }
    }

    /// Writes the rest and says what was recorded; throws when the recording failed.
    func finish(_ session: Session) throws {
        session.sinks.removeAll { $0 === writer }
        let s = writer.close()
        var line =
            "runviz: recorded \(s.observations) observations (\(s.bytes / 1024) KiB) to \(s.path)"
        if s.droppedObservations > 0 {
            line +=
                "; dropped \(s.droppedObservations) observations (\(s.droppedEvents) events): the disk could not keep up"
        }
        StandardError.write(line + "\n")
        if let failure = s.failure { throw Failure(failure) }
    }
}
