// Waiting for facts in tests: poll a condition until it holds or a deadline passes. Tests wait for
// what the runtime did; they never sleep a fixed time and hope.

import Foundation

/// Polls `condition` every 2 ms for up to `seconds`; true once it holds.
public func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        usleep(2_000)
    }
    return true
}
