/*
 * profile.h: a profile of one benchmark's timed loop, as callgrind wrote it
 * (pacer run --profile; harness/lib/counts.h), read back as call stacks
 * and functions.
 *
 * The file is callgrind's own format (valgrind's manual, "Callgrind
 * Format Specification") written with --separate-callers, so that every
 * function context is a whole call stack: "fn=leaf'caller'...'root".  The
 * cost lines under a context (not those after a calls= line, which are the
 * inclusive cost of a call) are its self cost; a stack's self cost is
 * exact, and a function's inclusive cost is the sum of the self costs of
 * the stacks it appears in (once per stack, so recursion is not counted
 * twice).  Frames up to the worker's own (measure_once) are cut: a stack
 * starts at the benchmark function.  Costs are instructions (Ir) per
 * iteration: the dump's trigger names the iterations ("pacer profile
 * iters=N").  The first event is the cost (callgrind's Ir; a server's
 * profile under load, suites/targets/pyprofile.py, writes "us", the
 * microseconds of its event loop, per request).  Stacks deeper than callgrind's --separate-callers depth are
 * cut at the root side by callgrind itself.
 */
#ifndef PACER_PROFILE_H
#define PACER_PROFILE_H

#include <stddef.h>

#include "harness/lib/err.h"

#define PROFILE_DEPTH 50          /* callgrind's --separate-callers */

struct prof_fn {
    char *name;
    char *file;                   /* of its first cost line, or NULL */
    unsigned line;                /* its lowest line with a cost, 0 unknown */
    double self, incl;            /* instructions per iteration */
};

struct prof_stack {
    char **frames;                /* root first (the benchmark function) */
    size_t n;
    double cost;                  /* self cost of the top frame, per iteration */
};

struct profile {
    char event[16];               /* what the costs count: "Ir" (callgrind's
                                     instructions), "us" (pyprofile.py) */
    double total;                 /* per iteration, all stacks */
    double iters;                 /* iterations of the profiled sample */
    struct prof_fn *fns;          /* by inclusive cost, largest first */
    size_t nfns;
    struct prof_stack *stacks;
    size_t nstacks;
};

/* Read path into p.  -1 with "path: line N: cause" (or the open error) in
 * e; p is then empty. */
int profile_load(const char *path, struct profile *p, struct err *e);
/* The same from text (NUL-terminated); name is used in messages. */
int profile_parse(const char *text, const char *name, struct profile *p, struct err *e);
void profile_free(struct profile *p);

/* What p's costs are and per what, for sentences: "instructions" and
 * "an iteration" (callgrind), "microseconds" and "a request" (a server
 * sampled under load, pyprofile.py), else the event's name and "a
 * repetition". */
const char *profile_unit(const struct profile *p);
const char *profile_per(const struct profile *p);

/* The function of that name in p, or NULL. */
const struct prof_fn *profile_fn(const struct profile *p, const char *name);

/* The file name a benchmark's profile is kept under in a result's profile
 * folder: its name with '/', '%' and anything outside printable ASCII as
 * %XX, then ext (".callgrind", ".svg").  Returns buf. */
char *profile_file_name(char *buf, size_t len, const char *bench, const char *ext);

/* The profile folder of a result file: "<result>.profiles".  Returns buf. */
char *profile_dir(char *buf, size_t len, const char *result_path);

#endif
