// CRunvizLinux: the Linux calls Swift's Glibc module does not expose (epoll, eventfd, accept4,
// gettid, pthread_setname_np need _GNU_SOURCE), a futex-based parker, a thread-local slot, a
// monotonic clock, pages resident only once written, and ThreadSanitizer's happens-before hooks. Every function is a thin, prefixed
// wrapper that returns what the call returned (errno untouched); policy (EINTR, EAGAIN, errors)
// lives in Swift (RunvizSystem).
#ifndef CRUNVIZ_LINUX_H
#define CRUNVIZ_LINUX_H

#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

int runviz_epoll_create(void);
int runviz_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
int runviz_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms);
uint64_t runviz_epoll_event_data(const struct epoll_event *events, int index);
uint32_t runviz_epoll_event_mask(const struct epoll_event *events, int index);

int runviz_eventfd(void);

int runviz_accept4(int fd);
int runviz_socket_nonblocking(int domain, int type);
int runviz_gettid(void);
void runviz_set_thread_name(const char *name);
/// The calling thread's name (prctl PR_GET_NAME, as /proc/thread-self/comm reads) into `buffer`,
/// at least 16 bytes, NUL-terminated; 0 on success, else -1.
int runviz_get_thread_name(char *buffer);
int runviz_set_nodelay(int fd);
int runviz_set_linger_zero(int fd);
int runviz_set_reuseaddr(int fd);
int runviz_socket_error(int fd);

/// Monotonic nanoseconds (CLOCK_MONOTONIC).
uint64_t runviz_now_ns(void);
/// CPU time of the calling thread in nanoseconds.
uint64_t runviz_thread_cpu_ns(void);
/// CPU time of the whole process in nanoseconds.
uint64_t runviz_process_cpu_ns(void);

/// Per-thread slots, read on every job: cheaper than pthread_getspecific.
/// Slots: the current worker, the thread's event ring, the reason for the next enqueue, a scratch buffer.
enum {
    RUNVIZ_TLS_WORKER = 0,
    RUNVIZ_TLS_RING = 1,
    RUNVIZ_TLS_CAUSE = 2,
    RUNVIZ_TLS_SCRATCH = 3,
    RUNVIZ_TLS_THREAD_NAME = 4,
    RUNVIZ_TLS_SLOTS = 5
};
/// initial-exec: the slots live in the executable's own TLS block, so an access is one
/// %fs-relative load instead of a call to __tls_get_addr (the default model for -fPIC code).
extern __thread uintptr_t runviz_tls_slots[RUNVIZ_TLS_SLOTS] __attribute__((tls_model("initial-exec")));
static inline void *runviz_tls_get(int slot) { return (void *)runviz_tls_slots[slot]; }
static inline void runviz_tls_set(int slot, void *value) { runviz_tls_slots[slot] = (uintptr_t)value; }
static inline uint64_t runviz_tls_word_get(int slot) { return (uint64_t)runviz_tls_slots[slot]; }
static inline void runviz_tls_word_set(int slot, uint64_t value) { runviz_tls_slots[slot] = (uintptr_t)value; }

/// A parker: one sleeping thread, woken by anyone. States: 0 EMPTY, 1 PARKED, 2 NOTIFIED.
typedef struct runviz_parker { _Atomic uint32_t state; } runviz_parker;
runviz_parker *runviz_parker_create(void);
void runviz_parker_destroy(runviz_parker *p);
/// Sleeps until unparked or timeout_ns elapses (negative: no timeout). Consumes a pending notification.
void runviz_parker_park(runviz_parker *p, int64_t timeout_ns);
/// Returns 1 if the thread was parked (a futex wake was issued), 0 otherwise.
int runviz_parker_unpark(runviz_parker *p);

/// Starts a detached-joinable OS thread with the given stack size running fn(arg).
int runviz_thread_start(uint64_t *out_handle, size_t stack_size, void *(*fn)(void *), void *arg);
int runviz_thread_join(uint64_t handle);
/// Joins the thread if it ends within timeout_ns; ETIMEDOUT (the thread still runs, unjoined) otherwise.
int runviz_thread_join_timeout(uint64_t handle, int64_t timeout_ns);
/* Lets a thread's resources go when it exits, for the one thread that cannot join itself. */
int runviz_thread_detach(uint64_t handle);
/// SIGINT/SIGTERM set a flag instead of killing the process; SIGPIPE is ignored.
void runviz_install_stop_signals(void);
/// The signal that asked to stop (0: none yet).
int runviz_stop_signal(void);
/// Resident and virtual memory and thread count from /proc/self/status (bytes; -1 on failure).
int runviz_process_memory(uint64_t *resident, uint64_t *virtual_size, int *threads);
/// Bytes malloc has handed out and not had back (mallinfo2: arenas and mmapped blocks): what the
/// process's data costs, without the freed memory malloc keeps for reuse that RSS still counts.
uint64_t runviz_heap_in_use(void);

/// Relaxed atomic add / load on a plain 64-bit slot (counters in arrays, which Swift's Atomic cannot hold).
static inline void runviz_atomic_add_u64(uint64_t *p, uint64_t v) { __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
static inline uint64_t runviz_atomic_load_u64(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
/// Acquire loads of words another thread may be writing by atomics of its own (a Swift task's
/// status flags and its innermost status record, read by TaskLayout.swift).
static inline uint32_t runviz_atomic_load_acquire_u32(const void *p) { return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE); }
static inline const void *runviz_atomic_load_acquire_ptr(const void *p) { return __atomic_load_n((const void *const *)p, __ATOMIC_ACQUIRE); }
/// Starts a detached OS thread (nobody joins it) with the given stack size (0: the default, 8 MiB).
int runviz_thread_start_detached(size_t stack_size, void *(*fn)(void *), void *arg);
/// `bytes` of private anonymous memory, zero-filled by the kernel and resident only once written
/// (mmap); NULL on failure. `runviz_pages_unmap` gives the pages back to the kernel at once.
void *runviz_pages_map(size_t bytes);
void runviz_pages_unmap(void *pages, size_t bytes);
/// Clears O_NONBLOCK on fd (for thread-per-connection blocking I/O).
int runviz_set_blocking(int fd);

/// Swift's global-executor hook, `swift_task_enqueueGlobal_hook` (libswift_Concurrency; the runtime's
/// Concurrency.h declares it through SWIFT_CONCURRENCY_HOOK as a swiftcc function pointer
/// `void (*)(Job *job, void (*original)(Job *))`, which the runtime calls, when set, instead of handing
/// the job to its own global executor). It is a variable, which Swift's `@_silgen_name` cannot declare;
/// it is found by name at run time, so a runtime without it fails to install instead of failing to load.
/// Sets the hook to `hook` if no hook is set: 0 installed; EBUSY another hook is set; ENOSYS this
/// runtime has no such hook.
int runviz_swift_install_enqueue_global_hook(const void *hook);
/// Swift's demangler, `swift_demangle` (libswiftCore; include/swift/Demangling/Demangle.h declares it
/// `extern "C"` for tools outside the compiler): the demangled text of `mangled`, malloc'd (free it),
/// or NULL when the name is no Swift symbol or this runtime has no demangler. Found by name at run time.
char *runviz_swift_demangle(const char *mangled, size_t length);
/// Where the kernel mapped this program's ELF program headers: `getauxval(AT_PHDR)` (0: unknown).
uintptr_t runviz_program_headers(void);
/// Dispatch's main queue, drained the way CoreFoundation's run loop does it on Linux: the fd that
/// turns readable when work is queued on the main queue (`_dispatch_get_main_queue_handle_4CF`; -1:
/// this libdispatch has no such entry point).
int runviz_dispatch_main_queue_fd(void);
/// Runs the main queue's queued work on the calling thread, the main thread
/// (`_dispatch_main_queue_callback_4CF`): 0 done, ENOSYS no such entry point.
int runviz_dispatch_main_queue_drain(void);

/// ThreadSanitizer's happens-before hooks, for locks whose wait it cannot see (the standard
/// library's `Mutex` sleeps in an uninstrumented futex). `runviz_tsan_active` is 1 only when this
/// file was built with -fsanitize=thread; otherwise it is 0 and the hooks do nothing.
extern const int runviz_tsan_active;
/// The caller now holds what a thread that called `runviz_tsan_release(address)` let go of.
void runviz_tsan_acquire(const void *address);
/// Publishes the caller's writes to the next thread that calls `runviz_tsan_acquire(address)`.
void runviz_tsan_release(const void *address);

#ifdef __cplusplus
}
#endif
#endif
