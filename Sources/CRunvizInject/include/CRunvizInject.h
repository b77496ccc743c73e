// CRunvizInject: the constructor of the library `runviz run` preloads (LD_PRELOAD) into a program.
// It declares nothing for Swift to call; the one function it calls, `runviz_inject_start`, is
// RunvizInject's `@_cdecl` entry, linked into the same shared library.
#ifndef CRUNVIZ_INJECT_H
#define CRUNVIZ_INJECT_H

#endif
