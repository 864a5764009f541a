/*
 * tail.h: the last bytes of a stream (a child's stderr or stdout), kept in a
 * fixed ring so a process that writes without end costs bounded memory, and
 * handed out as its last few lines for error reports.
 */
#ifndef PACER_TAIL_H
#define PACER_TAIL_H

#include <stddef.h>

#define TAIL_MAX 4096
#define TAIL_LINES 10

struct tail {
    char buf[TAIL_MAX];
    size_t len, pos;      /* bytes held; where the next byte goes */
};

/* Append n bytes, dropping the oldest beyond TAIL_MAX. */
void tail_add(struct tail *t, const char *p, size_t n);

/* The last TAIL_LINES lines held, without trailing newlines, as a new
 * string; NULL when nothing but blank space was written (or out of
 * memory). */
char *tail_text(const struct tail *t);

#endif
