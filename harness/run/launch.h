/*
 * launch.h: the targets one start of a scenario's target brings up.  A
 * target's "needs" (suite.h) are started first, in an order where each
 * comes after what it needs, each on its own port (retried when the port
 * is taken under it), each awaited until ready; then the target itself;
 * at the end the target is stopped first and its needs after it, in
 * reverse.  A start has a temporary folder of its own ({tmp}), where the
 * targets' "files" are written before they start; it is removed at the
 * end.  Placeholders: "{port}" (the target's own port), "{port:NAME}" (a
 * needed target's), "{tmp}".
 */
#ifndef PACER_LAUNCH_H
#define PACER_LAUNCH_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "harness/result/result.h"
#include "suite.h"
#include "target.h"

#define LAUNCH_MAX 16    /* targets one start may bring up, needs included */

struct launch_unit {
    const struct suite_target *tg;
    struct target t;
    int started;
    char port[16];
    char **argv, **env;
};

struct launch {
    struct launch_unit need[LAUNCH_MAX];   /* in start order */
    size_t nneed;
    char tmp[4096];                         /* "" until made */
    char key[LAUNCH_MAX][80];               /* "port:NAME" */
    const char *names[LAUNCH_MAX + 3], *values[LAUNCH_MAX + 3];
    size_t nnames;
};

/* What the start is told and tells: the interrupt flag (may be NULL), a
 * hook for what goes wrong beside the benchmark (may be NULL). */
struct launch_ctl {
    const volatile int *interrupt;
    void (*on_warn)(void *arg, const char *msg);
    void *arg;
};

/* Make l's folder and start every target tg needs (s's targets), each
 * ready.  0; -1 with b's error set (the failing target's stderr tail
 * with it) and whatever started stopped again; -2 when interrupted. */
int launch_needs(struct launch *l, const struct suite *s, const struct suite_target *tg,
                 const struct launch_ctl *ctl, struct bench *b);

/* s with {port} (port; NULL: left as written), {tmp} and every
 * {port:NAME} of the started needs filled in: a new string, or NULL when
 * out of memory.  launch_expand_list does it to each string of v
 * (NULL-terminated, may be NULL: NULL back with *ok still 1). */
char *launch_expand(const struct launch *l, const char *s, const char *port);
char **launch_expand_list(const struct launch *l, char *const *v, const char *port, int *ok);

/* Start tg on port pn: its files written into l's folder, then argv and
 * env (placeholders filled in) with env_over on top (may be NULL), as
 * the target's options say.  0, or -1 with b's error set (a missing
 * program named with its Debian package). */
int launch_one(const struct launch *l, const struct suite_target *tg, char *const *argv,
               char *const *env, char *const *env_over, int pn, struct target *t,
               struct bench *b);

/* Stop the started needs in reverse order, and remove the folder; a need
 * that had to be killed is a warning, one that died before it was stopped
 * is b's error (unless b has one). */
void launch_end(struct launch *l, const struct launch_ctl *ctl, struct bench *b);

/* Record a target failure on b: message, exit status, the stderr tail (or
 * the stdout tail when stderr is empty). */
void launch_failed(struct bench *b, struct target *t, int status, int timed_out,
                   const char *msg);

#endif
