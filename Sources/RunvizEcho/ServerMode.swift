// How the echo server serves a new connection: the server's own switch, read after each accept
// (the `t` key flips it). The dashboard sees it as `EchoSnapshot.Mode`.

public enum ServerMode: String, Sendable, Equatable, CaseIterable {
    /// One runtime task per connection, non-blocking I/O through the reactor.
    case tasks
    /// One OS thread per connection, blocking I/O.
    case threads
}
