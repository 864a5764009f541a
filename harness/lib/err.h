/*
 * err.h: a caller-owned error record.  Library code fills it and returns -1;
 * only the command layer prints it.  The first error wins.
 */
#ifndef PACER_ERR_H
#define PACER_ERR_H

#define ERR_MAX 1024

struct err {
    int set;
    char msg[ERR_MAX];
};

/* Record a formatted message unless one is already there.  e may be NULL.
 * Returns -1, so library code can `return err_set(e, ...)`. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like err_set, but puts "prefix: " before an already recorded message
 * (used to add a file name to an error found deeper down). */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void err_clear(struct err *e);

#endif
