// The preloaded library's constructor: the dynamic loader runs it once, after libswiftCore's and
// libswift_Concurrency's own (this library's dependencies) and before the program's main, while
// the process has one thread. It does nothing unless `runviz run` started this process
// (RUNVIZ_RUN_SOCKET set). It removes LD_PRELOAD and its own variables from the environment first,
// so the program's children start without runviz. Then it checks that the libswiftCore the program
// loaded is the one runviz was built against (RUNVIZ_RUN_SWIFTCORE, resolved by `runviz run`): on
// Linux the Swift runtime has no stable ABI, so on any other it writes one line and exits 125
// before a line of Swift runs. It asks for SIGTERM should `runviz run` die first (a kill -9: the
// program runs in its own process group, so nothing else would stop it). Only then it calls
// RunvizInject's `runviz_inject_start`. The
// library's exports are none at all (RunvizInject/exports.map): no copy of runviz, swift-collections
// or swift-atomics in it can interpose on the program's own.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "CRunvizInject.h"

extern void runviz_inject_start(const char *socket_path);
extern void swift_retain(void);

/// The exit status of a process `runviz run` refused from the inside (a Swift runtime not runviz's).
enum { runviz_inject_refused = 125 };

static void refuse(const char *why, const char *loaded, const char *expected) {
    dprintf(2, "runviz: %s: this program loaded %s, runviz was built against %s\n", why, loaded, expected);
    _exit(runviz_inject_refused);
}

__attribute__((constructor)) static void runviz_inject_constructor(void) {
    const char *socket = getenv("RUNVIZ_RUN_SOCKET");
    if (socket == NULL) return;
    // Copies: unsetenv may free what getenv returned.
    char socket_path[PATH_MAX], expected[PATH_MAX];
    snprintf(socket_path, sizeof socket_path, "%s", socket);
    const char *swiftcore = getenv("RUNVIZ_RUN_SWIFTCORE");
    const char *parent_text = getenv("RUNVIZ_RUN_PARENT");
    pid_t parent = parent_text ? (pid_t)atol(parent_text) : getppid();
    snprintf(expected, sizeof expected, "%s", swiftcore ? swiftcore : "");
    unsetenv("LD_PRELOAD");
    unsetenv("RUNVIZ_RUN_SOCKET");
    unsetenv("RUNVIZ_RUN_SWIFTCORE");
    unsetenv("RUNVIZ_RUN_PARENT");

    Dl_info info;
    char loaded[PATH_MAX];
    if (dladdr((void *)swift_retain, &info) == 0 || info.dli_fname == NULL
        || realpath(info.dli_fname, loaded) == NULL)
        refuse("a different Swift runtime", "an unknown libswiftCore", expected);
    if (strcmp(loaded, expected) != 0) refuse("a different Swift runtime", loaded, expected);
    // Dies with `runviz run`, which is its parent; it may already be gone (then the parent is init).
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) raise(SIGTERM);
    runviz_inject_start(socket_path);
}
