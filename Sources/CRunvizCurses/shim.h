// CRunvizCurses: the ncurses macros and globals Swift cannot see, as static inline accessors.
#ifndef CRUNVIZ_CURSES_SHIM_H
#define CRUNVIZ_CURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

static inline WINDOW *runviz_stdscr(void) { return stdscr; }
static inline int runviz_lines(void) { return getmaxy(stdscr); }
static inline int runviz_cols(void) { return getmaxx(stdscr); }
static inline int runviz_a_bold(void) { return (int)A_BOLD; }
static inline int runviz_a_reverse(void) { return (int)A_REVERSE; }
static inline int runviz_a_dim(void) { return (int)A_DIM; }
static inline int runviz_a_underline(void) { return (int)A_UNDERLINE; }
static inline int runviz_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int runviz_key_resize(void) { return KEY_RESIZE; }
static inline int runviz_key_up(void) { return KEY_UP; }
static inline int runviz_key_down(void) { return KEY_DOWN; }
static inline int runviz_key_left(void) { return KEY_LEFT; }
static inline int runviz_key_right(void) { return KEY_RIGHT; }
static inline int runviz_key_enter(void) { return KEY_ENTER; }
static inline int runviz_key_btab(void) { return KEY_BTAB; }
static inline int runviz_key_npage(void) { return KEY_NPAGE; }
static inline int runviz_key_ppage(void) { return KEY_PPAGE; }
static inline int runviz_key_home(void) { return KEY_HOME; }
static inline int runviz_key_end(void) { return KEY_END; }
static inline int runviz_key_backspace(void) { return KEY_BACKSPACE; }
static inline int runviz_err(void) { return ERR; }
static inline void runviz_setlocale_all(void) { setlocale(LC_ALL, ""); }
static inline int runviz_set_escdelay(int ms) { return set_escdelay(ms); }
static inline int runviz_setcchar_add(int y, int x, const wchar_t *wch, int attrs, short pair) {
    cchar_t c;
    setcchar(&c, wch, (attr_t)attrs, pair, NULL);
    return mvadd_wch(y, x, &c);
}
#endif
