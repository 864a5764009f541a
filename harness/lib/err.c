/* err.c: the first-error-wins error record of err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, const char *fmt, ...)
{
    va_list ap;

    if (!e || e->set)
        return -1;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->set = 1;
    return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
    char head[ERR_MAX], old[ERR_MAX];
    va_list ap;

    if (!e)
        return -1;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (!e->set) {
        snprintf(e->msg, sizeof e->msg, "%s", head);
        e->set = 1;
        return -1;
    }
    /* head + ": " + old, cut to fit (messages are one line, not essays). */
    memcpy(old, e->msg, sizeof old);
    {
        size_t hl = strlen(head), ol = strlen(old), room = sizeof e->msg - 1;
        if (hl > room)
            hl = room;
        memcpy(e->msg, head, hl);
        if (hl + 2 <= room) {
            memcpy(e->msg + hl, ": ", 2);
            hl += 2;
        }
        if (ol > room - hl)
            ol = room - hl;
        memcpy(e->msg + hl, old, ol);
        e->msg[hl + ol] = '\0';
    }
    return -1;
}

void err_clear(struct err *e)
{
    if (e) {
        e->set = 0;
        e->msg[0] = '\0';
    }
}
