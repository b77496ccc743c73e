// What the tasks a test starts did, in the order they did it: tasks append, the test waits for the
// list it expects with `eventually` (a task that never wakes fails the test instead of hanging it).

import RunvizLock

final class Outcomes<Value: Sendable>: Sendable {
    private let values = Lock<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }

    var all: [Value] { values.withLock { $0 } }

    var count: Int { values.withLock { $0.count } }
}
