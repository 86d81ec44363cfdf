// Swift does not import C variadic functions, so each el_set/el_get/history call keydrill makes
// gets a fixed-signature static inline wrapper here. No logic belongs in this file.
#include <stdio.h>
#include <wchar.h>
#include <histedit.h>

typedef char *(*cel_prompt_fn)(EditLine *);
typedef unsigned char (*cel_cmd_fn)(EditLine *, int);
typedef int (*cel_getc_fn)(EditLine *, wchar_t *);

static inline int cel_set_prompt_esc(EditLine *el, cel_prompt_fn f, char esc) { return el_set(el, EL_PROMPT_ESC, f, esc); }
static inline int cel_set_rprompt_esc(EditLine *el, cel_prompt_fn f, char esc) { return el_set(el, EL_RPROMPT_ESC, f, esc); }
static inline int cel_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int cel_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int cel_set_getcfn(EditLine *el, cel_getc_fn f) { return el_set(el, EL_GETCFN, f); }
static inline int cel_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int cel_add_fn(EditLine *el, const char *name, const char *help, cel_cmd_fn f) { return el_set(el, EL_ADDFN, name, help, f); }
static inline int cel_bind(EditLine *el, const char *key, const char *fn) { return el_set(el, EL_BIND, key, fn, (const char *)NULL); }
static inline int cel_set_clientdata(EditLine *el, void *d) { return el_set(el, EL_CLIENTDATA, d); }
static inline void *cel_get_clientdata(EditLine *el) { void *d = NULL; el_get(el, EL_CLIENTDATA, &d); return d; }
static inline int cel_hist_setsize(History *h, HistEvent *ev, int n) { return history(h, ev, H_SETSIZE, n); }
static inline int cel_hist_setunique(History *h, HistEvent *ev, int on) { return history(h, ev, H_SETUNIQUE, on); }
static inline int cel_hist_enter(History *h, HistEvent *ev, const char *s) { return history(h, ev, H_ENTER, s); }
static inline int cel_hist_load(History *h, HistEvent *ev, const char *p) { return history(h, ev, H_LOAD, p); }
static inline int cel_hist_save(History *h, HistEvent *ev, const char *p) { return history(h, ev, H_SAVE, p); }
static inline int cel_hist_first(History *h, HistEvent *ev) { return history(h, ev, H_FIRST); }
static inline int cel_hist_next(History *h, HistEvent *ev) { return history(h, ev, H_NEXT); }
static inline int cel_hist_last(History *h, HistEvent *ev) { return history(h, ev, H_LAST); }
static inline int cel_hist_prev(History *h, HistEvent *ev) { return history(h, ev, H_PREV); }
