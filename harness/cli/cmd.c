/* cmd.c: how the command layer speaks: one line to stderr per message. */
#include "cmd.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compare/compare.h"
#include "compare/reach.h"
#include "compare/store.h"
#include "compare/trend_read.h"
#include "compare/report/escape.h"
#include "harness/lib/hwcount.h"
#include "harness/lib/rx.h"
#include "harness/lib/table.h"
#include "harness/result/env.h"
#include "harness/run/counted.h"
#include "harness/run/plan.h"

/* One line to stderr: lead, the message, a newline. */
static void say(const char *lead, const char *fmt, va_list ap)
{
    fputs(lead, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void die_msg(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("pacer: ", fmt, ap);
    va_end(ap);
}

void warn_msg(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("pacer: warning: ", fmt, ap);
    va_end(ap);
}

/* Rows whose sample counts can never give p < alpha (reach.h): one line,
 * the first of them named, with the count that would do. */
static void warn_reach(const struct comparison *c)
{
    const struct compare_row *r;
    size_t n = reach_unreachable(c, &r), i, compared = 0;
    char name[ESCAPE_MAX], opt[64], counts[96];

    if (n == 0)
        return;
    for (i = 0; i < c->nrows; i++)
        compared += !isnan(c->rows[i].p) || c->rows[i].untrusted;
    if (c->paired)
        snprintf(counts, sizeof counts, "%zu pair%s", r->n_base, r->n_base == 1 ? "" : "s");
    else
        snprintf(counts, sizeof counts, "%zu sample%s in base and %zu in new", r->n_base,
                 r->n_base == 1 ? "" : "s", r->n_new);
    warn_msg("%zu benchmark%s cannot be significant with so few samples (%s%s: %s give p >= "
             "%.2g at best, alpha is %.3g): run with %s or more",
             n, n == 1 ? "" : "s", escape_term(name, sizeof name, r->name),
             n > 1 ? " and others" : "", counts,
             reach_least_p(r->n_base, r->n_new, c->paired), c->alpha,
             reach_option(opt, sizeof opt, c, r,
                          reach_count_for(c->alpha / (double)(compared ? compared : 1),
                                          c->paired)));
}

void warn_problems(const struct comparison *c, const char *base, const char *nw,
                   const struct result *rb, const struct result *rn)
{
    size_t i;

    if (c->fingerprint_diff[0])
        warn_msg("%s and %s ran on different setups (%s differ): the comparison may show the "
                 "setup, not the code", base, nw, c->fingerprint_diff);
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];
        if (r->bad_side) {
            const struct bench *b = r->bad_side == 1 ? r->base : r->nw;
            const struct result *res = r->bad_side == 1 ? rb : rn;
            die_msg("%s: benchmarks[%td].samples[%ld]: %g cannot enter a ratio (times must be "
                    "above zero)", r->bad_side == 1 ? base : nw, b - res->benches, r->bad_index,
                    b->samples[r->bad_index]);
        } else if (r->verdict == VERDICT_ERROR || r->untrusted) {
            char name[ESCAPE_MAX], note[ESCAPE_MAX];
            warn_msg("%s: %s", escape_term(name, sizeof name, r->name),
                     escape_term(note, sizeof note, r->note));
        }
    }
    warn_reach(c);
}

int cmd_save(const struct result *r, const char *out, const char *dir, const char *suffix,
             int quiet, const char *what)
{
    return cmd_save_as(r, out, dir, suffix, quiet, what, NULL);
}

/* The result file path just saved into dir: indexed in dir's store when
 * dir has one (store.h).  The file is the truth and is written: a store
 * that cannot take it is said, and left for pacer store rebuild. */
static void save_to_store(const char *dir, const char *path)
{
    char db[4096];
    struct stat st;
    struct store *s = NULL;
    struct trend_file f;
    struct err e = {0};

    if (snprintf(db, sizeof db, "%s/%s", dir, STORE_NAME) >= (int)sizeof db || stat(db, &st) != 0)
        return;
    trend_file_init(&f);
    if (store_open(&s, db, 0, &e) < 0 || store_begin(s, &e) < 0 ||
        store_add_file(s, path, &f, &e) < 0 || store_commit(s, &e) < 0)
        warn_msg("the result is saved but not in the store: %s", e.msg);
    store_close(s);
    trend_file_free(&f);
}

int cmd_name_baseline(const char *dir, const char *path, const char *name)
{
    char db[4096];
    struct store *s = NULL;
    struct trend_file f;
    struct err e = {0};
    int rc = 0;

    snprintf(db, sizeof db, "%s/%s", dir, STORE_NAME);
    trend_file_init(&f);
    if (store_open(&s, db, 1, &e) < 0 || store_begin(s, &e) < 0 ||
        store_name_baseline(s, name, path, &f, &e) < 0 || store_commit(s, &e) < 0) {
        die_msg("--save-baseline %s: %s", name, e.msg);
        rc = -1;
    } else
        fprintf(stderr, "pacer: baseline %s: %s (in %s)\n", name, path, db);
    store_close(s);
    trend_file_free(&f);
    return rc;
}

int cmd_save_as(const struct result *r, const char *out, const char *dir, const char *suffix,
                int quiet, const char *what, char **saved)
{
    struct err eo = {0}, ed = {0};
    char *path;
    int rc = plan_result_save(r, out, dir, suffix, &path, &eo, &ed);

    if (eo.set)
        die_msg("%s", eo.msg);
    if (ed.set)
        die_msg("%s", ed.msg);
    else if (path && !quiet)
        fprintf(stderr, "pacer: %s written to %s\n", what, path);
    if (path && dir && !ed.set)
        save_to_store(dir, path);
    if (saved)
        *saved = path;
    else
        free(path);
    return rc;
}

int cmd_filter(const char *cmd, const char *filter, regex_t *re)
{
    if (!filter)
        return 0;
    if (rx_compile(re, filter) != 0) {
        die_msg("%s: --filter: '%s' is not a valid regular expression", cmd, filter);
        return -1;
    }
    return 1;
}

/* Whether perf_event_open counts this process's cycles here: 0, or the
 * errno that says why not. */
static int hw_counters_error(void)
{
    struct perf_event_attr a;
    long fd;

    memset(&a, 0, sizeof a);
    a.type = PERF_TYPE_HARDWARE;
    a.size = sizeof a;
    a.config = PERF_COUNT_HW_CPU_CYCLES;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
    if (fd < 0)
        return errno;
    close((int)fd);
    return 0;
}

int counters_option(const char *cmd, const char *value, char *dst, size_t len)
{
    char list[256], *tok, *save = NULL;
    struct hwcount h;
    struct err e = {0};
    int err;

    snprintf(list, sizeof list, "%s", value);
    for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (!hwcount_known(tok)) {
            die_msg("%s: --counters: '%s' is not a counter (instructions, cycles, cache-misses, "
                    "cache-references, branches, branch-misses; task-clock, page-faults, "
                    "context-switches, cpu-migrations)", cmd, tok);
            return -1;
        }
    if (strlen(value) >= len) {
        die_msg("%s: --counters: too long a list", cmd);
        return -1;
    }
    /* opened here first, so that a machine without them says so now */
    if (hwcount_open(&h, value, &e) < 0) {
        if ((err = hw_counters_error()) != 0 && strstr(e.msg, ": perf_event_open: ") &&
            !strstr(e.msg, "task-clock") && !strstr(e.msg, "page-faults") &&
            !strstr(e.msg, "context-switches") && !strstr(e.msg, "cpu-migrations"))
            die_msg("%s: --counters: this machine has no hardware counters (%s); software "
                    "ones (task-clock, page-faults, ...) work, and --mode instructions counts "
                    "under valgrind", cmd, e.msg);
        else
            die_msg("%s: --counters: %s", cmd, e.msg);
        return -1;
    }
    hwcount_close(&h);
    snprintf(dst, len, "%s", value);
    return 0;
}

int mode_option(const char *cmd, const char *value, unsigned *mode)
{
    int err;

    if (!strcmp(value, "time")) {
        *mode = RUN_MODE_TIME;
        return 0;
    }
    if (!strcmp(value, "instructions")) {
        *mode = RUN_MODE_INSTRUCTIONS;
        return 0;
    }
    if (strcmp(value, "cycles")) {
        die_msg("%s: --mode: '%s' is not time, instructions or cycles", cmd, value);
        return -1;
    }
    if ((err = hw_counters_error()) != 0) {
        die_msg("%s: --mode cycles: this machine has no hardware counters (perf_event_open: "
                "%s); --mode instructions counts under valgrind instead", cmd, strerror(err));
        return -1;
    }
    *mode = RUN_MODE_TIME;   /* timed, with the counters cycles,instructions beside */
    return 1;
}

int cmd_counting_context(const char *cmd, const struct plan *p, struct result *r)
{
    char ver[128];
    struct err e = {0};
    size_t i;

    for (i = 0; i < p->njobs; i++)
        if ((p->jobs[i].li || p->jobs[i].cs) && p->jobs[i].set.mode == RUN_MODE_INSTRUCTIONS)
            break;
    if (i == p->njobs)
        return 0;
    if (counted_valgrind(ver, sizeof ver, &e) < 0) {
        die_msg("%s: %s", cmd, e.msg);
        return -1;
    }
    free(r->ctx.valgrind);
    if (!(r->ctx.valgrind = strdup(ver)) || env_fingerprint(&r->ctx) < 0) {
        die_msg("%s: out of memory", cmd);
        return -1;
    }
    return 0;
}

void cmd_table_fits(struct table *t, const struct result *r, const char *after)
{
    size_t i;

    for (i = 0; i < r->nfits; i++) {
        const struct fit *f = &r->fits[i];
        if (f->big_o && f->nbench && !strcmp(f->benchmarks[f->nbench - 1], after))
            table_add_bigo(t, f->family, f->big_o, f->coefficient, f->rms);
    }
}

void cmd_print_unfitted(FILE *f, const struct result *r)
{
    char name[ESCAPE_MAX], why[ESCAPE_MAX];
    size_t i;

    for (i = 0; i < r->nfits; i++)
        if (!r->fits[i].big_o)
            fprintf(f, "%s_BigO: not fitted: %s\n",
                    escape_term(name, sizeof name, r->fits[i].family),
                    escape_term(why, sizeof why, r->fits[i].error ? r->fits[i].error : "unknown"));
}
