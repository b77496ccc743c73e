// ConnectionState: where one client's slot is in its life. Transitions (LoadWorker):
//
//   unused → queued → connecting → idle ⇄ active → (awaitingEOF) → queued (next session) | finished
//                         ↘ backoff → queued (reconnect after an error, synthetic clients only)
//
// `finished` is terminal for a load run; `unused` is a slot outside the admitted range.

/// The life-cycle state of one client slot.
enum ConnectionState: UInt8 {
    /// Not admitted (before its ramp time, or removed from the synthetic clients).
    case unused
    /// Waiting in the connect queue for a free connect slot.
    case queued
    /// Non-blocking connect in flight.
    case connecting
    /// Connected, waiting for the rate timer before the next message.
    case idle
    /// A message in flight (slow reader: streaming).
    case active
    /// Half-close: the echo is complete, waiting for the server's EOF.
    case awaitingEOF
    /// Failed, waiting to reconnect.
    case backoff
    /// Done: count reached, run over, or failed for good.
    case finished
}
