// Connection: the per-client record a worker keeps in one flat array (no per-message allocation, no
// buffers: payload bytes are computed from the client number, message number and offset).
//
// Stream positions `sent`, `received` and `sendLimit` count bytes since this session's connect; message
// m of the session occupies [m·size, (m+1)·size) and is the client's message number
// `sessionFirstMessage + m`. Invariant: received ≤ sent ≤ sendLimit.

/// One client slot of a LoadWorker.
struct Connection {
    var fd: Int32 = -1
    /// Bumped on every new socket; echoed in epoll data to drop stale events.
    var generation: UInt32 = 0
    var state: ConnectionState = .unused
    /// The connect completed and the socket is still open.
    var isConnected = false
    /// epoll interest currently registered (EPOLLIN / EPOLLOUT bits).
    var interest: UInt32 = 0
    /// The message being received had at least one wrong byte.
    var badMessage = false
    /// Half-close: `shutdown(SHUT_WR)` was sent this session.
    var shutdownSent = false
    var everConnected = false
    /// The client failed and will not reconnect (its error is counted).
    var failed = false
    /// The slot sits in the connect queue (possibly stale, if its state changed since).
    var inQueue = false
    var timerArmed = false
    /// Global client number (payload identity).
    var client: UInt32 = 0
    /// Timer wheel links (slot indices, -1 for none) and bucket.
    var timerPrev: Int32 = -1
    var timerNext: Int32 = -1
    var timerBucket: Int32 = -1
    var timerDueNs: UInt64 = 0
    var sessionFirstMessage: UInt64 = 0
    var sent: UInt64 = 0
    var received: UInt64 = 0
    var sendLimit: UInt64 = 0
    /// Round trips of this client over all sessions (echoes received, verified or not).
    var completed: UInt64 = 0
    var sessionRoundTrips: UInt64 = 0
    /// Session message index being timed (UInt64.max: none).
    var timedMessage: UInt64 = .max
    /// The timed message's first byte has not been written yet (so `messageSentNs` is not final).
    var awaitingFirstByte = false
    /// Clock read just before the send() that wrote the timed message's first byte.
    var messageSentNs: UInt64 = 0
    /// The schedule slot the timed message was due at (0: not paced). Invariant: ≤ `messageSentNs`.
    var messageDueNs: UInt64 = 0
    var lastProgressNs: UInt64 = 0
    /// Rate limiting: when the next message may start.
    var nextStartNs: UInt64 = 0
    var connectStartNs: UInt64 = 0
}
