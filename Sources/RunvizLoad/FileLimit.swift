// FileLimit: every client holds one socket, so 10,000 clients need more than the usual soft limit of
// 1,024 descriptors. The soft RLIMIT_NOFILE is raised to the hard limit when short (or to the need, when
// privileged); if the hard limit itself is too low the error names the need, the limit and the fix.

import Glibc

/// Raising RLIMIT_NOFILE for the clients' sockets.
enum FileLimit {
    /// Descriptors beyond the sockets: epoll instances, stdio, the process' own files.
    static let slack = 64

    /// Makes at least `needed` descriptors available to this process.
    static func ensure(_ needed: Int) throws(LoadError) {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { throw .system(call: "getrlimit", errno: errno) }
        let want = rlim_t(needed)
        if limit.rlim_cur >= want { return }
        if limit.rlim_max >= want {
            limit.rlim_cur = limit.rlim_max
            guard setrlimit(resource, &limit) == 0 else { throw .system(call: "setrlimit", errno: errno) }
            return
        }
        var raised = limit
        raised.rlim_cur = want
        raised.rlim_max = want
        if setrlimit(resource, &raised) == 0 { return }
        throw .fileLimitTooLow(needed: needed, hardLimit: Int(limit.rlim_max))
    }

    /// The soft limit now in force.
    static var current: Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
