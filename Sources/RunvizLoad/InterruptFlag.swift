// InterruptFlag: Ctrl-C during `runviz load` should end the run early and still print the report. The
// SIGINT handler only sets this atomic flag (async-signal-safe) and restores the default action, so a
// second Ctrl-C kills the process as usual; LoadGenerator.run polls the flag.

import Glibc
import Synchronization

/// Process-wide record of a SIGINT, set by the handler LoadGenerator.stopOnInterrupt installs.
final class InterruptFlag: Sendable {
    static let shared = InterruptFlag()

    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    func raise() {
        raised.store(true, ordering: .relaxed)
    }

    /// Installs the SIGINT handler (idempotent).
    func install() {
        _ = InterruptFlag.shared.isRaised
        signal(SIGINT) { _ in
            InterruptFlag.shared.raise()
            signal(SIGINT, SIG_DFL)
        }
    }
}
