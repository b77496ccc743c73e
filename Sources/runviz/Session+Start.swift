// Starting a session from a command: whatever goes wrong becomes one line for the user and a
// non-zero exit (`Failure`).

import RunvizSession

extension Session {
    static func start(_ configuration: SessionConfiguration) throws -> Session {
        do { return try Session(configuration) } catch { throw Failure(error.description) }
    }
}
