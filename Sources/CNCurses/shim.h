// The ncursesw surface AshFlareTerminal uses. Swift 6 cannot import C macros that expand to
// expressions, nor global mutable state such as `stdscr`, `LINES` and `COLS` as safe values, so
// they are wrapped here in small static inline functions.
// After editing this file, delete .build: SwiftPM does not track this header.
#ifndef ASHFLARE_CNCURSES_SHIM_H
#define ASHFLARE_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <poll.h>
#include <ncursesw/curses.h>

static inline WINDOW *cnc_stdscr(void) { return stdscr; }

/// Starts curses on stdin/stdout like initscr(), but returns NULL instead of exiting the
/// process when the terminal is unknown (TERM unset or without a terminfo entry).
static inline WINDOW *cnc_start(void) {
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return NULL;
    set_term(screen);
    return stdscr;
}
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int cnc_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

static inline int cnc_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int cnc_a_normal(void) { return (int)A_NORMAL; }
static inline int cnc_a_bold(void) { return (int)A_BOLD; }
static inline int cnc_a_dim(void) { return (int)A_DIM; }
static inline int cnc_a_reverse(void) { return (int)A_REVERSE; }
static inline int cnc_a_underline(void) { return (int)A_UNDERLINE; }

static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }
static inline int cnc_key_up(void) { return KEY_UP; }
static inline int cnc_key_down(void) { return KEY_DOWN; }
static inline int cnc_key_left(void) { return KEY_LEFT; }
static inline int cnc_key_right(void) { return KEY_RIGHT; }
static inline int cnc_key_home(void) { return KEY_HOME; }
static inline int cnc_key_end(void) { return KEY_END; }
static inline int cnc_key_ppage(void) { return KEY_PPAGE; }
static inline int cnc_key_npage(void) { return KEY_NPAGE; }
static inline int cnc_key_enter(void) { return KEY_ENTER; }
static inline int cnc_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cnc_key_btab(void) { return KEY_BTAB; }
static inline int cnc_key_dc(void) { return KEY_DC; }

/// Reads one key without blocking: returns OK with a character, KEY_CODE_YES with a key code, or ERR.
static inline int cnc_get_wch(WINDOW *w, unsigned int *out) {
    wint_t c = 0;
    int r = wget_wch(w, &c);
    *out = (unsigned int)c;
    return r;
}

/// Sets the attributes for the following output.
static inline void cnc_attrset(WINDOW *w, int attrs) { wattrset(w, attrs); }

/// Draws UTF-8 text at row y, column x (clipped by ncurses at the window's edge).
static inline int cnc_mvaddstr(WINDOW *w, int y, int x, const char *s) { return mvwaddstr(w, y, x, s); }

#endif
