// CRunvizLinux: see include/CRunvizLinux.h. _GNU_SOURCE exposes accept4, gettid and pthread_setname_np.
#define _GNU_SOURCE
#include "CRunvizLinux.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <linux/futex.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <stdio.h>

int runviz_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int runviz_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

int runviz_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms) {
    return epoll_wait(epfd, events, maxevents, timeout_ms);
}

uint64_t runviz_epoll_event_data(const struct epoll_event *events, int index) { return events[index].data.u64; }
uint32_t runviz_epoll_event_mask(const struct epoll_event *events, int index) { return events[index].events; }

int runviz_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int runviz_accept4(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int runviz_socket_nonblocking(int domain, int type) {
    return socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int runviz_gettid(void) { return (int)syscall(SYS_gettid); }

void runviz_set_thread_name(const char *name) {
    char buf[16];
    strncpy(buf, name, sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    pthread_setname_np(pthread_self(), buf);
}

int runviz_get_thread_name(char *buffer) {
    buffer[0] = 0;
    if (prctl(PR_GET_NAME, (unsigned long)buffer, 0, 0, 0) != 0) return -1;
    buffer[15] = 0;
    return 0;
}

int runviz_set_nodelay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int runviz_set_linger_zero(int fd) {
    struct linger l = {1, 0};
    return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

int runviz_set_reuseaddr(int fd) {
    int one = 1;
    return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
}

int runviz_socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
    return err;
}

static uint64_t ns_of(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t runviz_now_ns(void) { return ns_of(CLOCK_MONOTONIC); }
uint64_t runviz_thread_cpu_ns(void) { return ns_of(CLOCK_THREAD_CPUTIME_ID); }
uint64_t runviz_process_cpu_ns(void) { return ns_of(CLOCK_PROCESS_CPUTIME_ID); }

__thread uintptr_t runviz_tls_slots[RUNVIZ_TLS_SLOTS] __attribute__((tls_model("initial-exec")));

enum { EMPTY = 0, PARKED = 1, NOTIFIED = 2 };

runviz_parker *runviz_parker_create(void) {
    runviz_parker *p = calloc(1, sizeof *p);
    atomic_init(&p->state, EMPTY);
    return p;
}

void runviz_parker_destroy(runviz_parker *p) { free(p); }

static long futex(_Atomic uint32_t *addr, int op, uint32_t val, const struct timespec *ts) {
    return syscall(SYS_futex, (uint32_t *)addr, op, val, ts, NULL, 0);
}

void runviz_parker_park(runviz_parker *p, int64_t timeout_ns) {
    uint32_t expected = NOTIFIED;
    if (atomic_compare_exchange_strong(&p->state, &expected, EMPTY)) return;
    expected = EMPTY;
    if (!atomic_compare_exchange_strong(&p->state, &expected, PARKED)) {
        atomic_store(&p->state, EMPTY);  // was NOTIFIED in between
        return;
    }
    struct timespec ts, *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000;
        ts.tv_nsec = timeout_ns % 1000000000;
        tsp = &ts;
    }
    for (;;) {
        futex(&p->state, FUTEX_WAIT_PRIVATE, PARKED, tsp);
        expected = NOTIFIED;
        if (atomic_compare_exchange_strong(&p->state, &expected, EMPTY)) return;
        if (tsp) {  // timed out (or spurious): give up the park
            expected = PARKED;
            if (atomic_compare_exchange_strong(&p->state, &expected, EMPTY)) return;
            atomic_store(&p->state, EMPTY);
            return;
        }
    }
}

int runviz_parker_unpark(runviz_parker *p) {
    uint32_t prev = atomic_exchange(&p->state, NOTIFIED);
    if (prev == PARKED) {
        futex(&p->state, FUTEX_WAKE_PRIVATE, 1, NULL);
        return 1;
    }
    return 0;
}

int runviz_thread_start(uint64_t *out_handle, size_t stack_size, void *(*fn)(void *), void *arg) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (stack_size > 0) pthread_attr_setstacksize(&attr, stack_size);
    pthread_t t;
    int rc = pthread_create(&t, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    if (rc == 0) *out_handle = (uint64_t)t;
    return rc;
}

int runviz_thread_join(uint64_t handle) { return pthread_join((pthread_t)handle, NULL); }
int runviz_thread_detach(uint64_t handle) { return pthread_detach((pthread_t)handle); }

int runviz_thread_join_timeout(uint64_t handle, int64_t timeout_ns) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    int64_t ns = until.tv_nsec + (timeout_ns > 0 ? timeout_ns % 1000000000 : 0);
    until.tv_sec += (timeout_ns > 0 ? timeout_ns / 1000000000 : 0) + ns / 1000000000;
    until.tv_nsec = ns % 1000000000;
    return pthread_timedjoin_np((pthread_t)handle, NULL, &until);
}

int runviz_thread_start_detached(size_t stack_size, void *(*fn)(void *), void *arg) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (stack_size > 0) pthread_attr_setstacksize(&attr, stack_size);
    pthread_t t;
    int rc = pthread_create(&t, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return rc;
}

void *runviz_pages_map(size_t bytes) {
    void *pages = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (pages == MAP_FAILED) return NULL;
    // A huge page would make the whole first 2 MiB resident at the first write.
    madvise(pages, bytes, MADV_NOHUGEPAGE);
    return pages;
}

void runviz_pages_unmap(void *pages, size_t bytes) { munmap(pages, bytes); }

int runviz_set_blocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

static volatile sig_atomic_t stop_signal;
static void on_stop(int sig) { stop_signal = sig; }

void runviz_install_stop_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    // A parent may have started us with these blocked (a spawning thread's mask is inherited).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int runviz_stop_signal(void) { return stop_signal; }

int runviz_process_memory(uint64_t *resident, uint64_t *virtual_size, int *threads) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    *resident = 0; *virtual_size = 0; *threads = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long v;
        if (sscanf(line, "VmRSS: %llu kB", &v) == 1) *resident = v * 1024;
        else if (sscanf(line, "VmSize: %llu kB", &v) == 1) *virtual_size = v * 1024;
        else if (sscanf(line, "Threads: %llu", &v) == 1) *threads = (int)v;
    }
    fclose(f);
    return 0;
}

uint64_t runviz_heap_in_use(void) {
    struct mallinfo2 m = mallinfo2();
    return (uint64_t)m.uordblks + (uint64_t)m.hblkhd;
}

/* Swift runtime and Dispatch entry points found by name (see the header): each looked up once; a
   racing second lookup finds the same address. */
static void *runviz_symbol(void *_Atomic *cache, const char *name) {
    void *found = atomic_load_explicit(cache, memory_order_acquire);
    if (found == NULL) {
        found = dlsym(RTLD_DEFAULT, name);
        atomic_store_explicit(cache, found, memory_order_release);
    }
    return found;
}

int runviz_swift_install_enqueue_global_hook(const void *hook) {
    static void *_Atomic cache;
    void *_Atomic *slot = runviz_symbol(&cache, "swift_task_enqueueGlobal_hook");
    if (slot == NULL) return ENOSYS;
    void *expected = NULL;
    if (atomic_compare_exchange_strong(slot, &expected, (void *)hook)) return 0;
    return EBUSY;
}

char *runviz_swift_demangle(const char *mangled, size_t length) {
    static void *_Atomic cache;
    char *(*demangle)(const char *, size_t, char *, size_t *, uint32_t) =
        (char *(*)(const char *, size_t, char *, size_t *, uint32_t))runviz_symbol(&cache, "swift_demangle");
    return demangle == NULL ? NULL : demangle(mangled, length, NULL, NULL, 0);
}

uintptr_t runviz_program_headers(void) { return (uintptr_t)getauxval(AT_PHDR); }

int runviz_dispatch_main_queue_fd(void) {
    static void *_Atomic cache;
    int (*handle)(void) = (int (*)(void))runviz_symbol(&cache, "_dispatch_get_main_queue_handle_4CF");
    return handle == NULL ? -1 : handle();
}

int runviz_dispatch_main_queue_drain(void) {
    static void *_Atomic cache;
    void (*drain)(void *) = (void (*)(void *))runviz_symbol(&cache, "_dispatch_main_queue_callback_4CF");
    if (drain == NULL) return ENOSYS;
    drain(NULL);
    return 0;
}

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RUNVIZ_TSAN 1
#endif
#endif

#ifdef RUNVIZ_TSAN
void __tsan_acquire(void *address);
void __tsan_release(void *address);
const int runviz_tsan_active = 1;
void runviz_tsan_acquire(const void *address) { __tsan_acquire((void *)address); }
void runviz_tsan_release(const void *address) { __tsan_release((void *)address); }
#else
const int runviz_tsan_active = 0;
void runviz_tsan_acquire(const void *address) { (void)address; }
void runviz_tsan_release(const void *address) { (void)address; }
#endif
