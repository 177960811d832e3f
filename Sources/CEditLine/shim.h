// Thin non-variadic wrappers over libedit's native (histedit) API.
// Swift cannot call variadic C functions, nor take their address, so every
// el_set/el_get/history call custq needs is spelled out here once.
#ifndef CUSTQ_EDITLINE_SHIM_H
#define CUSTQ_EDITLINE_SHIM_H

#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef char *(*custq_prompt_fn)(EditLine *);
typedef unsigned char (*custq_command_fn)(EditLine *, int);

static inline EditLine *custq_el_init(const char *prog) {
    return el_init(prog, stdin, stdout, stderr);
}

static inline void custq_el_configure(EditLine *el, History *h, custq_prompt_fn prompt, void *client) {
    el_set(el, EL_CLIENTDATA, client);
    el_set(el, EL_PROMPT, prompt);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_HIST, history, h);
    // Let libedit restore the terminal on signals; custq installs its own SIGINT handler.
    el_set(el, EL_SIGNAL, 1);
}

static inline void *custq_el_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

static inline int custq_el_add_function(EditLine *el, const char *name, const char *help, custq_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

static inline int custq_el_bind(EditLine *el, const char *key, const char *name) {
    return el_set(el, EL_BIND, key, name, NULL);
}

/// Reads ~/.editrc (or $EDITRC) the way every libedit program does.
static inline int custq_el_source_editrc(EditLine *el) {
    return el_source(el, NULL);
}

/// Return codes of an editor function (libedit's CC_* values).
static const unsigned char custq_cc_refresh = CC_REFRESH;
static const unsigned char custq_cc_redisplay = CC_REDISPLAY;
static const unsigned char custq_cc_error = CC_ERROR;

/// The line being edited, up to the cursor, as a new NUL-terminated copy (caller frees).
static inline char *custq_el_text_before_cursor(EditLine *el) {
    const LineInfo *info = el_line(el);
    if (info == NULL) return NULL;
    size_t length = (size_t)(info->cursor - info->buffer);
    char *copy = (char *)malloc(length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, info->buffer, length);
    copy[length] = 0;
    return copy;
}

static inline History *custq_history_init(int size) {
    History *h = history_init();
    HistEvent ev;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}

static inline int custq_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

static inline int custq_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

static inline int custq_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

#endif
