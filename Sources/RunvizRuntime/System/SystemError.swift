// The runtime's failed-system-call error is RunvizSystem's, named here so that `SystemError` stays
// part of RunvizRuntime's API (a program that catches it imports RunvizRuntime alone).

import RunvizSystem

/// A failed system call: its name and errno; `description` reads as "read: Bad file descriptor".
public typealias SystemError = RunvizSystem.SystemError
