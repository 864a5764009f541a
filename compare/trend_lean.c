/*
 * trend_lean.c: the lean read of a pacer result for a trend (trend_read.h).
 * The file is walked once with the scanner of jscan.h, against tables of
 * its fields that say what result_read.c demands of each: the jr_get_*
 * reader and the flags it reads the field with (JR_REQ, JR_NUL,
 * JR_NONEMPTY, JR_NONNEG), or a function for what a table cannot say (a
 * sample count, a sum, a version).  So the lean read takes no file the
 * full reader refuses; what it gives up on goes to import_load, which reads
 * the file fully and words every error a user sees.  A load record, a
 * capacity search, user counters, complexity fits, an A/B block or a
 * segment record (a split load run's, segment.h) are left
 * to the full reader as a whole.  A benchmark's samples
 * (and its counts per process) are kept as their decimal digits while they
 * are checked, for the centre (trend_centre.c); its fingerprint is kept.  A change to what
 * result_read.c accepts is a change to these tables (test_trend_read.c
 * holds the two readers to the same answers on every file under
 * tests/data).
 */
#include "trend_read.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/jscan.h"
#include "harness/result/jsonread.h"
#include "harness/result/version.h"
#include "trend_read_private.h"

#define GIVE_UP JSCAN_GIVE_UP

/* ---- the fields of a result and what the full reader demands of them ---- */

struct walk;

enum ftype {
    F_STR,                    /* a string (JR_NONEMPTY: not "") */
    F_INT,                    /* an integer from lo to hi */
    F_NUM,                    /* a number (JR_NONNEG: >= 0) */
    F_BOOL,
    F_KIND,                   /* a kind's name (kind_parse) */
    F_DIR,                    /* a direction's name (direction_parse) */
    F_OBJ,                    /* an object with the fields of sub */
    F_FN,                     /* read by fn */
    F_FULL,                   /* anything but null is left to the full reader */
};

/* What the trend keeps of a field. */
enum keep { KEEP_NONE, KEEP_TIME, KEEP_COMMIT, KEEP_BRANCH, KEEP_COMMIT_TIME, KEEP_NAME,
            KEEP_UNIT, KEEP_DIR };

struct field {
    const char *key;          /* a table lists its keys in ascending byte order
                                 (as pacer writes them: fields() walks both
                                 side by side) */
    size_t klen;
    enum ftype type;
    int flags;                /* JR_REQ, JR_NUL, JR_NONEMPTY, JR_NONNEG */
    long long lo, hi;         /* F_INT */
    const struct field *sub;  /* F_OBJ */
    int (*fn)(struct jscan *s, struct walk *w, int depth);   /* F_FN */
    enum keep keep;
};

/* A benchmark or a metric: its samples and their statistics. */
struct sampled {
    int keep;                 /* a benchmark's: its samples and counts are
                                 taken into the trend_file */
    size_t nsamples;          /* counted */
    int have_stats;           /* stats is an object */
    long long n;              /* stats.n */
    double lo, hi;            /* stats.ci.median; NaN when null */
    int have_proc;            /* process_samples is there */
    size_t nproc, proc_sum;   /* with this many counts, adding up to this */
};

/* Where the walk is. */
struct walk {
    struct trend_file *f;
    struct trend_bench_rec *b;    /* the benchmark being read */
    struct sampled *cur;          /* the benchmark or metric being read */
};

static int fn_schema(struct jscan *s, struct walk *w, int depth);
static int fn_argv(struct jscan *s, struct walk *w, int depth);
static int fn_benchmarks(struct jscan *s, struct walk *w, int depth);
static int fn_fingerprint(struct jscan *s, struct walk *w, int depth);
static int fn_loadavg(struct jscan *s, struct walk *w, int depth);
static int fn_params(struct jscan *s, struct walk *w, int depth);
static int fn_samples(struct jscan *s, struct walk *w, int depth);
static int fn_proc_samples(struct jscan *s, struct walk *w, int depth);
static int fn_stats(struct jscan *s, struct walk *w, int depth);
static int fn_stats_n(struct jscan *s, struct walk *w, int depth);
static int fn_ci_median(struct jscan *s, struct walk *w, int depth);
static int fn_ci_pair(struct jscan *s, struct walk *w, int depth);
static int fn_metrics(struct jscan *s, struct walk *w, int depth);
static int fn_error(struct jscan *s, struct walk *w, int depth);
static int fn_reference(struct jscan *s, struct walk *w, int depth);

#define KEY(k) k, sizeof k - 1
#define STR(k, fl) {KEY(k), F_STR, fl, 0, 0, NULL, NULL, KEEP_NONE}
#define KEPT(k, fl, keep) {KEY(k), F_STR, fl, 0, 0, NULL, NULL, keep}
#define INT(k, fl, lo, hi) {KEY(k), F_INT, fl, lo, hi, NULL, NULL, KEEP_NONE}
#define NUM(k, fl) {KEY(k), F_NUM, fl, 0, 0, NULL, NULL, KEEP_NONE}
#define BOOL(k, fl) {KEY(k), F_BOOL, fl, 0, 0, NULL, NULL, KEEP_NONE}
#define WORD(k, type, fl, keep) {KEY(k), type, fl, 0, 0, NULL, NULL, keep}
#define OBJ(k, fl, sub) {KEY(k), F_OBJ, fl, 0, 0, sub, NULL, KEEP_NONE}
#define FN(k, fl, fn) {KEY(k), F_FN, fl, 0, 0, NULL, fn, KEEP_NONE}
#define FULL(k, fl) {KEY(k), F_FULL, fl, 0, 0, NULL, NULL, KEEP_NONE}
#define END {NULL, 0, F_FULL, 0, 0, 0, NULL, NULL, KEEP_NONE}

/* read_context */
static const struct field git_fields[] = {
    KEPT("branch", JR_NUL, KEEP_BRANCH),
    KEPT("commit", JR_NUL, KEEP_COMMIT),
    KEPT("commit_time", JR_NUL, KEEP_COMMIT_TIME),
    BOOL("dirty", JR_NUL),
    END,
};
static const struct field host_fields[] = {
    STR("cpu_model", JR_NUL),
    INT("cpus", JR_NUL, 0, INT_MAX),
    STR("governor", JR_NUL),
    STR("hostname", JR_NUL),
    STR("kernel", JR_NUL),
    FN("loadavg", JR_NUL, fn_loadavg),
    INT("memory_bytes", JR_NUL, 0, LLONG_MAX),
    STR("os", JR_NUL),
    STR("turbo", JR_NUL),
    END,
};
static const struct field build_fields[] = {
    STR("cflags", JR_NUL),
    STR("compiler", JR_NUL),
    END,
};
static const struct field clock_fields[] = {
    NUM("read_ns", JR_NUL),
    NUM("resolution_ns", JR_NUL),
    END,
};
static const struct field context_fields[] = {
    OBJ("build", JR_NUL, build_fields),
    OBJ("clock", JR_NUL, clock_fields),
    FN("fingerprint", JR_REQ, fn_fingerprint),
    OBJ("git", JR_NUL, git_fields),
    OBJ("host", JR_NUL, host_fields),
    STR("pacer_version", JR_REQ),
    KEPT("time", JR_REQ, KEEP_TIME),
    END,
};

/* read_settings */
static const struct field settings_fields[] = {
    INT("budget_ns", 0, 0, LLONG_MAX),
    NUM("ci_level", JR_NUL),
    NUM("ci_target", JR_NUL),
    INT("processes", 0, 0, UINT_MAX),
    INT("sample_target_ns", 0, 0, LLONG_MAX),
    INT("samples", 0, 0, UINT_MAX),
    INT("seed", 0, 0, LLONG_MAX),
    INT("timeout_ns", 0, 0, LLONG_MAX),
    INT("warmup_ns", 0, 0, LLONG_MAX),
    INT("warmup_runs", 0, 0, UINT_MAX),
    END,
};

/* read_stats and read_ci */
static const struct field ci_fields[] = {
    NUM("level", JR_REQ | JR_NUL),
    FN("mean", JR_REQ | JR_NUL, fn_ci_pair),
    FN("median", JR_REQ | JR_NUL, fn_ci_median),
    STR("method", 0),
    INT("resamples", JR_REQ, 0, UINT_MAX),
    INT("seed", JR_REQ, 0, LLONG_MAX),
    END,
};
static const struct field outlier_fields[] = {
    INT("high_mild", JR_REQ, 0, LLONG_MAX),
    INT("high_severe", JR_REQ, 0, LLONG_MAX),
    INT("low_mild", JR_REQ, 0, LLONG_MAX),
    INT("low_severe", JR_REQ, 0, LLONG_MAX),
    END,
};
static const struct field stats_fields[] = {
    OBJ("ci", JR_REQ, ci_fields),
    NUM("cv", JR_REQ | JR_NUL),
    NUM("mad", JR_REQ | JR_NUL),
    NUM("max", JR_REQ | JR_NUL),
    NUM("mean", JR_REQ | JR_NUL),
    NUM("median", JR_REQ | JR_NUL),
    NUM("min", JR_REQ | JR_NUL),
    FN("n", JR_REQ, fn_stats_n),
    OBJ("outliers", JR_REQ, outlier_fields),
    NUM("p25", JR_REQ | JR_NUL),
    NUM("p5", JR_REQ | JR_NUL),
    NUM("p75", JR_REQ | JR_NUL),
    NUM("p95", JR_REQ | JR_NUL),
    NUM("p99", JR_REQ | JR_NUL),
    NUM("stddev", JR_REQ | JR_NUL),
    END,
};

/* read_metric */
static const struct field metric_fields[] = {
    WORD("direction", F_DIR, JR_REQ, KEEP_NONE),
    FN("samples", JR_REQ, fn_samples),
    FN("stats", JR_NUL, fn_stats),   /* required with samples: see sampled_ok */
    STR("unit", JR_REQ | JR_NONEMPTY),
    END,
};

/* read_error, and the rest of read_bench */
static const struct field error_fields[] = {
    INT("exit_code", JR_NUL, INT_MIN, INT_MAX),
    STR("message", JR_REQ),
    INT("signal", JR_NUL, INT_MIN, INT_MAX),
    STR("stderr_tail", JR_NUL),
    BOOL("timed_out", 0),
    END,
};
static const struct field source_fields[] = {
    STR("binary", JR_NUL),
    STR("command", JR_NUL),
    END,
};
static const struct field throughput_fields[] = {
    NUM("bytes_per_op", JR_NONNEG),
    NUM("items_per_op", JR_NONNEG),
    END,
};
static const struct field bench_fields[] = {
    FULL("capacity", JR_NUL),
    FULL("counters", JR_NUL),
    WORD("direction", F_DIR, JR_REQ, KEEP_DIR),
    FN("error", JR_NUL, fn_error),
    INT("iterations", JR_REQ, 1, LLONG_MAX),
    WORD("kind", F_KIND, JR_REQ, KEEP_NONE),
    FULL("load", JR_NUL),
    FN("metrics", JR_NUL, fn_metrics),
    KEPT("name", JR_REQ | JR_NONEMPTY, KEEP_NAME),
    FN("params", JR_NUL, fn_params),
    FN("process_samples", JR_NUL, fn_proc_samples),
    INT("processes", 0, 1, UINT_MAX),
    FN("reference", JR_NUL, fn_reference),
    FN("samples", JR_REQ, fn_samples),
    STR("skipped", JR_NUL),
    OBJ("source", JR_NUL, source_fields),
    FN("stats", JR_NUL, fn_stats),   /* required with samples: see sampled_ok */
    OBJ("throughput", JR_NUL, throughput_fields),
    KEPT("unit", JR_REQ | JR_NONEMPTY, KEEP_UNIT),
    END,
};

/* result_from_json */
static const struct field root_fields[] = {
    FULL("ab", JR_NUL),
    FN("argv", JR_NUL, fn_argv),
    FN("benchmarks", JR_REQ, fn_benchmarks),
    BOOL("complete", 0),
    FULL("complexity", JR_NUL),
    OBJ("context", JR_REQ, context_fields),
    FN("schema", JR_REQ, fn_schema),
    FULL("segment", JR_NUL),
    OBJ("settings", JR_NUL, settings_fields),
    STR("suite", JR_NUL),
    END,
};

/* ---- walking an object against its table ---------------------------------- */

static const char **kept_str(struct walk *w, enum keep keep)
{
    switch (keep) {
    case KEEP_TIME:
        return &w->f->time;
    case KEEP_COMMIT:
        return &w->f->commit;
    case KEEP_BRANCH:
        return &w->f->branch;
    case KEEP_COMMIT_TIME:
        return &w->f->commit_time;
    case KEEP_NAME:
        return &w->b->name;
    case KEEP_UNIT:
        return &w->b->unit;
    default:
        return NULL;
    }
}

/* A kind's or a direction's name, checked (and the direction kept). */
static int word(struct jscan *s, const struct field *fd, struct walk *w)
{
    size_t mark = s->alen;
    const char *v;
    enum bench_kind k;
    enum direction d;
    int rc;

    if (jscan_string(s, &v) < 0)
        return GIVE_UP;
    if (fd->type == F_KIND) {
        rc = kind_parse(v, &k);
    } else {
        rc = direction_parse(v, &d);
        if (rc == 0 && fd->keep == KEEP_DIR)
            w->b->dir = d;
    }
    s->alen = mark;   /* not kept: the arena is given back */
    return rc < 0 ? GIVE_UP : 0;
}

static int fields(struct jscan *s, const struct field *t, struct walk *w, int depth);

/* The value of field fd at s->p. */
static int value(struct jscan *s, const struct field *fd, struct walk *w, int depth)
{
    long long i;
    double d;

    if (jscan_null(s))
        return (fd->flags & JR_NUL) ? 0 : GIVE_UP;
    switch (fd->type) {
    case F_STR:
        if ((fd->flags & JR_NONEMPTY) && s->p[0] == '"' && s->p[1] == '"')
            return GIVE_UP;
        return jscan_string(s, kept_str(w, fd->keep));
    case F_INT:
        return jscan_int(s, &i) < 0 || i < fd->lo || i > fd->hi ? GIVE_UP : 0;
    case F_NUM:
        if (!(fd->flags & JR_NONNEG))
            return jscan_number(s, NULL, NULL);
        return jscan_number(s, NULL, &d) < 0 || d < 0 ? GIVE_UP : 0;
    case F_BOOL:
        return *s->p == 't' || *s->p == 'f' ? jscan_skip(s, depth) : GIVE_UP;
    case F_KIND:
    case F_DIR:
        return word(s, fd, w);
    case F_OBJ:
        return fields(s, fd->sub, w, depth);
    case F_FN:
        return fd->fn(s, w, depth);
    case F_FULL:
        break;
    }
    return GIVE_UP;
}

/* The byte order of a table's key and a file's (klen bytes). */
static int keycmp(const struct field *fd, const char *key, size_t klen)
{
    int c = memcmp(fd->key, key, fd->klen < klen ? fd->klen : klen);

    return c ? c : (fd->klen > klen) - (fd->klen < klen);
}

struct fields_ctx {
    const struct field *t;    /* the next field of the table */
    struct walk *w;
};

/* Both the file's keys and the table's are in ascending order: the table
 * is walked beside the object, and a required field passed over is
 * missing. */
static int fields_member(struct jscan *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct fields_ctx *c = ctx;
    int cmp = 1;

    while (c->t->key && (cmp = keycmp(c->t, key, klen)) < 0) {
        if (c->t->flags & JR_REQ)
            return GIVE_UP;
        c->t++;
    }
    if (!c->t->key || cmp > 0)
        return jscan_skip(s, depth);   /* a key the full reader does not read */
    return value(s, c->t++, c->w, depth);
}

/* An object with the fields of table t. */
static int fields(struct jscan *s, const struct field *t, struct walk *w, int depth)
{
    struct fields_ctx c = {t, w};

    if (jscan_object(s, fields_member, &c, depth) < 0)
        return GIVE_UP;
    for (; c.t->key; c.t++)
        if (c.t->flags & JR_REQ)
            return GIVE_UP;
    return 0;
}

/* ---- what a table cannot say ----------------------------------------------- */

/* "MAJOR.MINOR" with our major, each one to nine digits (read_schema). */
static int version_ok(const char *v)
{
    unsigned major = 0, digits = 0;

    while (*v >= '0' && *v <= '9' && digits < 9) {
        major = major * 10 + (unsigned)(*v++ - '0');
        digits++;
    }
    if (digits == 0 || *v++ != '.' || major != RESULT_SCHEMA_MAJOR)
        return 0;
    digits = 0;
    while (*v >= '0' && *v <= '9' && digits < 9) {
        v++;
        digits++;
    }
    return digits > 0 && *v == '\0';
}

static int fn_schema(struct jscan *s, struct walk *w, int depth)
{
    size_t mark = s->alen;
    const char *v;
    int ok;

    (void)w;
    (void)depth;
    if (jscan_string(s, &v) < 0)
        return GIVE_UP;
    ok = version_ok(v);
    s->alen = mark;   /* not kept: the arena is given back */
    return ok ? 0 : GIVE_UP;
}

/* 16 hex digits (read_context), kept. */
static int fn_fingerprint(struct jscan *s, struct walk *w, int depth)
{
    const char *q = s->p + 1;
    size_t i;

    (void)depth;
    if (jscan_string(s, NULL) < 0 || s->p - q != 17)
        return GIVE_UP;
    for (i = 0; i < 16; i++)
        if (jscan_hex(q[i]) < 0)
            return GIVE_UP;
    memcpy(w->f->fp, q, 16);
    w->f->fp[16] = '\0';
    w->f->fingerprint = w->f->fp;
    return 0;
}

static int string_elem(struct jscan *s, size_t i, void *ctx, int depth)
{
    (void)i;
    (void)ctx;
    (void)depth;
    return jscan_string(s, NULL);
}

/* Strings (read_argv). */
static int fn_argv(struct jscan *s, struct walk *w, int depth)
{
    (void)w;
    return jscan_array(s, string_elem, NULL, depth);
}

static int loadavg_elem(struct jscan *s, size_t i, void *ctx, int depth)
{
    (void)depth;
    if (i >= 3)
        return GIVE_UP;
    *(size_t *)ctx = i + 1;
    return jscan_null(s) ? 0 : jscan_number(s, NULL, NULL);
}

/* Three numbers or nulls (read_context). */
static int fn_loadavg(struct jscan *s, struct walk *w, int depth)
{
    size_t n = 0;

    (void)w;
    if (jscan_array(s, loadavg_elem, &n, depth) < 0)
        return GIVE_UP;
    return n == 3 ? 0 : GIVE_UP;
}

static int param_member(struct jscan *s, const char *key, size_t klen, void *ctx, int depth)
{
    long long v;

    (void)key;
    (void)klen;
    (void)ctx;
    (void)depth;
    return *s->p == '"' ? jscan_string(s, NULL) : jscan_int(s, &v);
}

/* Integers or strings (read_bench). */
static int fn_params(struct jscan *s, struct walk *w, int depth)
{
    (void)w;
    return jscan_object(s, param_member, NULL, depth);
}

/* Numbers >= 0, counted (read_samples); a benchmark's are kept. */
static int fn_samples(struct jscan *s, struct walk *w, int depth)
{
    struct jscan_nums *nums = w->cur->keep ? &w->f->nums : NULL;

    if (nums)
        nums->n = 0;
    return jscan_numbers(s, 1, &w->cur->nsamples, nums, depth);
}

static int proc_elem(struct jscan *s, size_t i, void *ctx, int depth)
{
    struct walk *w = ctx;
    struct trend_file *f = w->f;
    long long v;

    (void)i;
    (void)depth;
    if (jscan_int(s, &v) < 0 || v < 0)
        return GIVE_UP;
    w->cur->nproc++;
    w->cur->proc_sum += (size_t)v;
    if (!w->cur->keep)
        return 0;
    if (f->nprocs == f->proccap) {
        size_t cap = f->proccap ? 2 * f->proccap : 16;
        size_t *np = realloc(f->procs, cap * sizeof *np);

        if (!np)
            return GIVE_UP;
        f->procs = np;
        f->proccap = cap;
    }
    f->procs[f->nprocs++] = (size_t)v;
    return 0;
}

/* Counts, each an integer >= 0; that there is one and that they add up to
 * the samples is checked afterwards (read_proc_samples).  A benchmark's
 * are kept. */
static int fn_proc_samples(struct jscan *s, struct walk *w, int depth)
{
    w->cur->have_proc = 1;
    if (w->cur->keep)
        w->f->nprocs = 0;
    return jscan_array(s, proc_elem, w, depth);
}

/* "reference" (read_reference): "compute_ns" and "memory_ns", arrays of
 * times above zero of one length, neither empty; the lean reader takes
 * nothing else (keys it does not know included) and lets the full reader
 * word what is wrong. */
struct ref_walk {
    size_t n[2];
    int seen[2];
};

static int ref_elem(struct jscan *s, size_t i, void *ctx, int depth)
{
    double v;

    (void)i;
    (void)depth;
    if (jscan_number(s, NULL, &v) < 0 || !(v > 0))
        return GIVE_UP;
    ++*(size_t *)ctx;
    return 0;
}

static int ref_member(struct jscan *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct ref_walk *r = ctx;
    int k = klen == 10 && !memcmp(key, "compute_ns", 10) ? 0
          : klen == 9 && !memcmp(key, "memory_ns", 9)   ? 1
                                                         : -1;

    if (k < 0 || jscan_null(s) || jscan_array(s, ref_elem, &r->n[k], depth) < 0)
        return GIVE_UP;
    r->seen[k] = 1;
    return 0;
}

static int fn_reference(struct jscan *s, struct walk *w, int depth)
{
    struct ref_walk r = {{0, 0}, {0, 0}};

    (void)w;
    if (jscan_object(s, ref_member, &r, depth) < 0)
        return GIVE_UP;
    return r.seen[0] && r.seen[1] && r.n[0] > 0 && r.n[0] == r.n[1] ? 0 : GIVE_UP;
}

/* A stats object (null is taken by the table). */
static int fn_stats(struct jscan *s, struct walk *w, int depth)
{
    w->cur->have_stats = 1;
    return fields(s, stats_fields, w, depth);
}

static int fn_stats_n(struct jscan *s, struct walk *w, int depth)
{
    (void)depth;
    return jscan_int(s, &w->cur->n) < 0 || w->cur->n < 0 ? GIVE_UP : 0;
}

/* [lo, hi] (read_ci; null is taken by the table), into lo and hi unless
 * they are NULL. */
static int pair(struct jscan *s, double *lo, double *hi)
{
    if (jscan_expect(s, '[') < 0)
        return GIVE_UP;
    jscan_ws(s);
    if (jscan_number(s, NULL, lo) < 0 || jscan_expect(s, ',') < 0)
        return GIVE_UP;
    jscan_ws(s);
    if (jscan_number(s, NULL, hi) < 0 || jscan_expect(s, ']') < 0)
        return GIVE_UP;
    return 0;
}

static int fn_ci_median(struct jscan *s, struct walk *w, int depth)
{
    (void)depth;
    return pair(s, &w->cur->lo, &w->cur->hi);
}

static int fn_ci_pair(struct jscan *s, struct walk *w, int depth)
{
    (void)w;
    (void)depth;
    return pair(s, NULL, NULL);
}

/* What read_stats and read_proc_samples check once everything is read. */
static int sampled_ok(const struct sampled *x)
{
    if (x->nsamples > 0 && !x->have_stats)
        return GIVE_UP;   /* stats: missing, or null */
    if (x->have_stats && (size_t)x->n != x->nsamples)
        return GIVE_UP;
    if (x->have_proc && (x->nproc == 0 || x->proc_sum != x->nsamples))
        return GIVE_UP;
    return 0;
}

static void sampled_init(struct sampled *x)
{
    memset(x, 0, sizeof *x);
    x->lo = x->hi = NAN;
}

static int metric_member(struct jscan *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct walk *w = ctx;
    struct sampled m, *outer = w->cur;
    int rc;

    (void)key;
    (void)klen;
    sampled_init(&m);
    w->cur = &m;
    rc = fields(s, metric_fields, w, depth);
    w->cur = outer;
    return rc < 0 ? GIVE_UP : sampled_ok(&m);
}

/* Metrics by name, each with its samples and stats (read_metric). */
static int fn_metrics(struct jscan *s, struct walk *w, int depth)
{
    return jscan_object(s, metric_member, w, depth);
}

/* An error object (read_error): the benchmark failed. */
static int fn_error(struct jscan *s, struct walk *w, int depth)
{
    w->b->failed = 1;
    return fields(s, error_fields, w, depth);
}

/* ---- benchmarks ------------------------------------------------------------- */

/* One benchmark object, checked as read_bench checks it; the centre of its
 * samples from what fn_samples and fn_proc_samples kept. */
static int bench_elem(struct jscan *s, size_t i, void *ctx, int depth)
{
    struct walk *w = ctx;
    struct trend_file *f = w->f;
    struct sampled x;

    (void)i;
    sampled_init(&x);
    x.keep = 1;
    f->nums.n = 0;
    f->nprocs = 0;
    w->cur = &x;
    if (trend_file_add_bench(f, &w->b) < 0 || fields(s, bench_fields, w, depth) < 0 ||
        sampled_ok(&x) < 0)
        return GIVE_UP;
    w->b->n = x.nsamples;
    w->b->centre = trend_centre_text(f->nums.d, f->nums.n, x.have_proc ? f->procs : NULL,
                                     x.have_proc ? f->nprocs : 0);
    if (x.nsamples && isnan(w->b->centre))
        return GIVE_UP;   /* out of memory: the full reader says so */
    if (f->want_samples && trend_file_add_samples(f, w->b, NULL, f->nums.d, f->nums.n) < 0)
        return GIVE_UP;
    if (x.have_stats && x.n > 0) {   /* no samples, no statistics */
        w->b->lo = x.lo;
        w->b->hi = x.hi;
    }
    return 0;
}

static int fn_benchmarks(struct jscan *s, struct walk *w, int depth)
{
    return jscan_array(s, bench_elem, w, depth);
}

int trend_lean_read(struct trend_file *f, size_t len)
{
    struct jscan s = {f->buf, f->buf + len, f->arena, 0};
    struct walk w = {f, NULL, NULL};

    if (fields(&s, root_fields, &w, 1) < 0)
        return -1;
    jscan_ws(&s);
    return s.p == s.end ? 0 : -1;
}
