/*
 * loadcap.c: pacer load --capacity (loadcap.h): the options, the search
 * against a running server with its steps printed as they end, and the
 * table and answer line that pacer load, pacer run and pacer show print.
 */
#include "loadcap.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "harness/lib/fmt.h"
#include "harness/result/limit.h"
#include "harness/run/capstep.h"
#include "harness/result/loadres.h"
#include "liveview.h"
#include "loadsum.h"
#include "plots/plot.h"

void loadcap_usage(FILE *f)
{
    fprintf(f,
"capacity:\n"
"      --capacity 'EXPR' the highest open-loop rate at which EXPR holds, e.g.\n"
"                        'latency.p99 < 50ms' (--limit's syntax; repeatable:\n"
"                        all must hold; unless one is on errors.rate, an error\n"
"                        rate of 1%% or more fails too).  Short open-loop steps\n"
"                        first bracket it (from a 1s closed-loop probe of the\n"
"                        most -c connections get answered, or from\n"
"                        --capacity-range), growing or shrinking by 2, then\n"
"                        bisect the bracket geometrically to the precision;\n"
"                        a run of -d at the answer confirms it (one that\n"
"                        fails steps down, up to %d times).  At most %d steps\n"
"                        before the confirms.  Before a step the server gets\n"
"                        the slowest answer of the one before (at most 10s)\n"
"                        to work off its backlog; a step that fails below\n"
"                        90%% of the throughput already seen is run again\n"
"                        once.  A step the generator could not run (it sent\n"
"                        under 90%% of the requests due, or it failed while\n"
"                        pacer was saturated or late with over 5%% of them\n"
"                        and the latency from the send held) is run again\n"
"                        once, then is the ceiling of what can be measured:\n"
"                        the answer is then a lower bound (exit 3).  Give\n"
"                        enough connections (-c): a request that waits for\n"
"                        a free one is charged the wait.  The result's\n"
"                        benchmark is the confirming run, its sample and\n"
"                        metric \"capacity\" the answer (req/s, higher is\n"
"                        better), its \"capacity\" record every step; exit 1\n"
"                        when no rate (or no confirm) held\n"
"      --capacity-step TIME  a step's measured time (default 2s; after a\n"
"                        warmup of a quarter of it)\n"
"      --capacity-range LOW:HIGH  start from these rates (requests/s)\n"
"                        instead of the probe\n"
"      --capacity-precision PCT  the bracket's width to stop at (default 5%%)\n"
"      --plot FILE       with --capacity: a picture of every step (offered\n"
"                        rate against p50, p99 and achieved throughput, the\n"
"                        objective, the answer and its bracket), FILE.png or\n"
"                        .svg, its .dat and .gp beside it\n",
            CAPACITY_MAX_CONFIRMS, CAPACITY_MAX_STEPS);
}

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("load: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

/* "LOW:HIGH" into lc's range. */
static int range_parse(struct loadcap *lc, const char *arg)
{
    const char *high;
    char *end;

    lc->range_low = strtod(arg, &end);
    if (end == arg || *end != ':' || !(lc->range_low > 0))
        return bad("capacity-range", arg, "LOW:HIGH, two rates in requests/s above 0");
    high = end + 1;
    lc->range_high = strtod(high, &end);
    if (end == high || *end || !(lc->range_high > lc->range_low) || lc->range_high > 1e8)
        return bad("capacity-range", arg, "LOW:HIGH with HIGH above LOW (and at most 1e8)");
    return 0;
}

int loadcap_option(struct loadcap *lc, int opt, const char *arg)
{
    const char **v;
    double p;

    switch (opt) {
    case O_CAPACITY:
        if (!(v = realloc(lc->texts, (lc->ntexts + 1) * sizeof *v))) {
            die_msg("load: out of memory");
            return -1;
        }
        lc->texts = v;
        v[lc->ntexts++] = arg;
        return 0;
    case O_CAPACITY_STEP:
        if (fmt_parse_duration(arg, &lc->step_ns) < 0 || lc->step_ns < 100000000ull)
            return bad("capacity-step", arg, "a duration of at least 100ms");
        return 0;
    case O_CAPACITY_RANGE: return range_parse(lc, arg);
    case O_CAPACITY_PRECISION:
        if (fmt_parse_percent(arg, &p) < 0 || !(p >= 0.001) || p > 1)
            return bad("capacity-precision", arg, "a percentage from 0.1% to 100%");
        lc->precision = p;
        return 0;
    case O_PLOT: lc->plot = arg; return 0;
    default: return 1;
    }
}

int loadcap_prepare(struct loadcap *lc, const struct load_opts *o, int rate_given,
                    unsigned repeat, const struct limit *limits, size_t nlimits)
{
    const char *alone = lc->step_ns ? "--capacity-step" : lc->range_high ? "--capacity-range"
                      : lc->precision ? "--capacity-precision" : lc->plot ? "--plot" : NULL;
    const char *clash = rate_given ? "-R (the search chooses the rates)"
                      : o->nstages || o->nrate_stages ? "stages (each step is one open-loop rate)"
                      : repeat > 1 ? "-n (one confirming run)"
                      : o->flows ? "--flow (a step is one request)" : NULL;
    struct err e = {0};
    size_t i;

    for (i = 0; !lc->ntexts && i < nlimits; i++)
        if (!strcmp(limits[i].metric, "capacity") || !strncmp(limits[i].metric, "capacity.", 9)) {
            die_msg("load: --limit '%s': the capacity is a capacity search's: give --capacity "
                    "'EXPR'", limits[i].text);
            return -1;
        }
    if (!lc->ntexts) {
        if (alone)
            die_msg("load: %s is for a capacity search: give --capacity 'EXPR'", alone);
        return alone ? -1 : 0;
    }
    if (clash) {
        die_msg("load: --capacity: no %s", clash);
        return -1;
    }
    if (capacity_goal_parse(lc->texts, lc->ntexts, &lc->goal, &e) < 0) {
        die_msg("load: --%s", e.msg);
        return -1;
    }
    for (i = 0; i < lc->goal.n; i++)
        if (!o->monitor_pid && strstr(lc->goal.v[i].metric, "server.")) {
            die_msg("load: --capacity '%s': the server's figures need --monitor PID",
                    lc->goal.v[i].text);
            return -1;
        }
    return 0;
}

/* ---- printing ------------------------------------------------------------------ */

/* A rate for people: "2,150" (whole above 100), "12.5" below. */
static char *rate_str(char *buf, size_t len, double v)
{
    char digits[48];
    size_t n, i, k = 0;

    if (isnan(v) || v < 100) {
        snprintf(buf, len, isnan(v) ? "-" : "%.3g", v);
        return buf;
    }
    n = (size_t)snprintf(digits, sizeof digits, "%.0f", v);
    for (i = 0; i < n && k + 2 < len; i++) {
        buf[k++] = digits[i];
        if (i + 1 < n && (n - i - 1) % 3 == 0)
            buf[k++] = ',';
    }
    buf[k] = '\0';
    return buf;
}

void loadcap_print_step(FILE *f, const struct capacity *c, size_t k)
{
    const struct capacity_step *s = &c->steps[k];
    char r[32], a[32], p50[32], p99[32], er[32], label[16];

    if (k == 0)
        fprintf(f, "  %-8s %10s %11s %9s %9s %7s  %s\n", "step", "asked/s", "achieved/s", "p50",
                "p99", "errors", "objectives");
    if (s->confirm)
        snprintf(label, sizeof label, "confirm");
    else
        snprintf(label, sizeof label, "%zu", k + 1);
    fprintf(f, "  %-8s %10s %11s %9s %9s %7s  %s%s%s\n", label, rate_str(r, sizeof r, s->rate),
            rate_str(a, sizeof a, s->achieved), fmt_time(p50, sizeof p50, (double)s->p50),
            fmt_time(p99, sizeof p99, (double)s->p99), fmt_value(er, sizeof er, s->errors, "ratio"),
            !s->valid ? "not counted" : s->pass ? "held" : "FAILED", s->why ? ": " : "",
            s->why ? s->why : "");
    fflush(f);
}

static const char *op_text(enum limit_op op)
{
    return op == LIMIT_LT ? "<" : op == LIMIT_LE ? "<=" : op == LIMIT_GT ? ">" : ">=";
}

/* The objectives' figures on b, "latency.p99 41.2 ms < 50.0 ms, ...". */
static void confirmed(FILE *f, const struct capacity *c, const struct bench *b)
{
    const char *sep = "";
    size_t i;

    for (i = 0; b && i < c->nobjectives; i++) {
        struct limit l;
        struct err e = {0};
        char v[64], w[64];
        double x;
        if (limit_parse(c->objectives[i], &l, &e) < 0)
            continue;
        if (bench_metric_value(b, l.metric, &x) == 0) {
            const char *u = bench_metric_unit(b, l.metric);
            fprintf(f, "%s%s %s %s %s", sep, l.metric, fmt_value(v, sizeof v, x, u),
                    op_text(l.op), fmt_value(w, sizeof w, l.value, u));
            sep = ", ";
        }
        limit_free(&l);
    }
}

/* The last step (of the confirms when confirm) that was not valid or did
 * not hold, or NULL. */
static const struct capacity_step *last_failed(const struct capacity *c, int confirm)
{
    size_t i;

    for (i = c->nsteps; i-- > 0;)
        if (c->steps[i].confirm == confirm && !c->steps[i].pass)
            return &c->steps[i];
    return NULL;
}

/* The highest search step that held (0: none). */
static double last_pass(const struct capacity *c)
{
    double best = 0;
    size_t i;

    for (i = 0; i < c->nsteps; i++)
        if (!c->steps[i].confirm && c->steps[i].pass && c->steps[i].rate > best)
            best = c->steps[i].rate;
    return best;
}

void loadcap_print_answer(FILE *f, const struct capacity *c, const struct bench *b)
{
    const struct capacity_step *s;
    char a[32], lo[32], hi[32], why[600] = "";

    rate_str(a, sizeof a, c->answer);
    rate_str(lo, sizeof lo, c->low);
    rate_str(hi, sizeof hi, c->high);
    switch (c->status) {
    case CAP_FOUND:
    case CAP_LIMITED:
        fprintf(f, "capacity: %s%s req/s ", c->status == CAP_LIMITED ? "at least " : "", a);
        if (c->status == CAP_LIMITED)
            fprintf(f, "(the generator could not offer %s/s: a lower bound", hi);
        else if (isnan(c->high))
            fprintf(f, "(no rate failed: the steps ran out before one did");
        else
            fprintf(f, "(between %s and %s%s", lo, hi,
                    capacity_wide(c) ? ": wider than the precision, the steps ran out" : "");
        fprintf(f, "; confirmed at %s/s: ", a);
        confirmed(f, c, b);
        fputs(")\n", f);
        return;
    case CAP_UNCONFIRMED:
        s = last_failed(c, 1);
        if (s && s->why)
            snprintf(why, sizeof why, " (at %s/s: %s)", rate_str(hi, sizeof hi, s->rate), s->why);
        fprintf(f, "capacity: not confirmed: the steps held up to %s/s, but no run of the full "
                   "duration did%s\n", rate_str(lo, sizeof lo, last_pass(c)), why);
        return;
    case CAP_NONE:
        s = last_failed(c, 0);
        if (s && s->why)
            snprintf(why, sizeof why, " (at %s/s: %s)", rate_str(hi, sizeof hi, s->rate), s->why);
        fprintf(f, "capacity: none: no rate tried held the objectives%s\n", why);
        return;
    }
}

/* "capacity search: OBJECTIVES (precision P%)". */
static void print_header(FILE *f, const struct capacity *c)
{
    size_t k;

    fputs("capacity search: ", f);
    for (k = 0; k < c->nobjectives; k++)
        fprintf(f, "%s%s", k ? ", " : "", c->objectives[k]);
    fprintf(f, " (precision %g%%)\n", c->precision * 100);
}

void loadcap_print(FILE *f, const struct capacity *c, const struct bench *b)
{
    size_t k;

    print_header(f, c);
    for (k = 0; k < c->nsteps; k++)
        loadcap_print_step(f, c, k);
    loadcap_print_answer(f, c, b);
}

/* ---- the search -------------------------------------------------------------- */

/* What the search's hooks share; the step's state first (capstep_run's
 * arg is this). */
struct runctx {
    struct capstep cs;
    struct liveview live;
    enum live_mode mode;
    FILE *out;
};

static void on_load(void *arg, struct load_opts *lo, int starting)
{
    struct runctx *x = arg;

    if (starting)
        liveview_attach(&x->live, stderr, x->mode, lo);
    else
        liveview_end(&x->live);
}

static void on_step(void *arg, const struct capacity *c, size_t k)
{
    struct runctx *x = arg;

    loadcap_print_step(x->out, c, k);
}

/* The search's options from lc's and o's; the first rate from the probe
 * unless a range is given.  -1 after saying why. */
static int search_opts(struct loadcap *lc, struct runctx *x, struct capacity_opts *co)
{
    struct err e = {0};
    char r[32];

    capacity_opts_default(co);
    co->precision = lc->precision > 0 ? lc->precision : CAPACITY_PRECISION;
    co->range_low = lc->range_low;
    co->range_high = lc->range_high;
    if (co->range_low > 0)
        return 0;
    if (capstep_probe(&x->cs, &co->start, &e) < 0) {
        die_msg("load: --capacity: %s (nothing kept)", e.msg);
        return -1;
    }
    fprintf(x->out, "  probe: closed loop, %u connections: %s req/s\n", x->cs.base->connections,
            rate_str(r, sizeof r, co->start));
    return 0;
}

int loadcap_draw(const struct loadcap *lc, const struct bench *b)
{
    struct plot_opts po;
    struct err e = {0};

    plot_opts_default(&po);
    po.out = lc->plot;
    if (plot_capacity(b, &po, &e) < 0) {
        die_msg("load: --plot: %s (the result is kept)", e.msg);
        return -1;
    }
    return 0;
}

int loadcap_run(struct loadcap *lc, struct load_opts *o, struct bench *b, FILE *out,
                int quiet, int progress)
{
    struct runctx x;
    struct capacity_opts co;
    struct capacity c = {0};
    struct err e = {0};
    int rc = -1;

    memset(&x, 0, sizeof x);
    x.out = out;
    x.mode = liveview_mode(stderr, quiet, progress);
    x.cs.base = o;
    x.cs.goal = &lc->goal;
    x.cs.step_ns = lc->step_ns ? lc->step_ns : CAPACITY_STEP_NS;
    x.cs.step_warmup_ns = x.cs.step_ns / 4;
    x.cs.confirm_ns = o->duration_ns;
    x.cs.confirm_warmup_ns = o->warmup_ns ? o->warmup_ns : x.cs.step_warmup_ns;
    x.cs.on_load = on_load;
    x.cs.arg = &x;
    if (capacity_goal_record(&lc->goal, &c) < 0) {
        die_msg("load: out of memory");
        goto cleanup;
    }
    c.precision = lc->precision > 0 ? lc->precision : CAPACITY_PRECISION;
    print_header(out, &c);
    if (search_opts(lc, &x, &co) < 0)
        goto cleanup;
    if (capacity_search(&co, capstep_run, on_step, &x, &c, &e) < 0) {
        die_msg("load: --capacity: %s (nothing kept)", e.msg);
        goto cleanup;
    }
    if (load_bench_add(b, &x.cs.last_opts, &x.cs.last) < 0 || capstep_bench(b, &c) < 0 ||
        bench_compute_stats(b, NULL) < 0) {
        die_msg("load: out of memory");
        goto cleanup;
    }
    fputs("the confirming run:\n", out);
    load_print_summary(out, &x.cs.last_opts, &x.cs.last);
    loadcap_print_answer(out, b->capacity, b);
    rc = b->capacity->status == CAP_FOUND ? EXIT_OK
       : b->capacity->status == CAP_LIMITED ? EXIT_UNTRUSTED : EXIT_REGRESSION;
cleanup:
    capstep_free(&x.cs);
    capacity_free(&c);
    return rc;
}

void loadcap_free(struct loadcap *lc)
{
    free(lc->texts);
    capacity_goal_free(&lc->goal);
    memset(lc, 0, sizeof *lc);
}
