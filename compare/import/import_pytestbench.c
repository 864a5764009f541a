/*
 * import_pytestbench.c: pytest-benchmark's JSON (pytest --benchmark-json=FILE,
 * and the files --benchmark-save / --benchmark-autosave keep under
 * .benchmarks/) into a struct result (import.h).  Checked against the
 * output of pytest-benchmark 3.2.2:
 *   {"machine_info": {...}, "commit_info": {...}, "datetime": "...",
 *    "version": "3.2.2",
 *    "benchmarks": [{"group", "name", "fullname", "params", "param",
 *                    "extra_info", "options",
 *                    "stats": {"min", "max", "mean", "stddev", "rounds",
 *                              "median", "iqr", "q1", "q3", "iterations",
 *                              ..., "data": [s, ...]?}}, ...]}
 *
 * Context:
 *   datetime        time (pytest-benchmark writes UTC without an offset);
 *                   when absent, the file's modification time
 *   machine_info    node: hostname; cpu.brand_raw (or cpu.brand): CPU model;
 *                   system and release: kernel; python_implementation and
 *                   python_version: compiler ("CPython 3.11.2", as pacer run
 *                   records a Python benchmark file's); python_compiler:
 *                   cflags, after "pytest-benchmark VERSION"
 *   commit_info     id: git commit (not "unversioned"); branch: git branch
 *                   (not "(unknown)"); dirty; time: git commit time
 * and pacer_version "imported", fingerprint computed by env_fingerprint.
 *
 * Each entry of benchmarks is one benchmark: kind micro, unit ns, direction
 * lower, processes 1, named by its fullname ("test_x.py::test_sum[10]",
 * unique in a pytest run; its name when it has none).
 *   stats.data        the samples: pytest-benchmark's rounds, each the
 *                     time of one round divided by its iterations
 *                     (seconds per iteration), seconds to ns.  --benchmark-
 *                     json always writes them; saved files only with
 *                     --benchmark-save-data.  When there, min, max, mean,
 *                     stddev and the rest are not read: pacer recomputes
 *                     them
 *   no stats.data     APPROXIMATED: stats.rounds samples are made from the
 *                     five-number summary the file keeps (min, q1, median,
 *                     q3, max; min, median, max when it has no quartiles)
 *                     and its mean: sample i of n is a quantile function
 *                     through those points at i / (n - 1), linear between
 *                     them but for the top quarter, which rises from q3 to
 *                     max as t^e with e >= 1 chosen so that the samples'
 *                     mean is the file's (rebuild()).  The median, the
 *                     minimum, the maximum, n and (where one e gives it)
 *                     the mean are then the file's, the quartiles within
 *                     one step of it; the shape inside each quarter, the
 *                     stddev and all that is computed from them (CV,
 *                     intervals, tests) are estimates.  The context's cflags end in
 *                     "; samples rebuilt from quartiles (no stats.data)"
 *                     when any benchmark of the file was read this way
 *   stats.iterations  iterations (1 when absent)
 *   params            params: an integer value is an integer parameter, a
 *                     string a string one, any other value (a float, a
 *                     list, null, true) its compact JSON text
 *   group, param, extra_info, options, stats' other fields: not kept (a
 *                     pacer metric has one value per sample, and extra_info
 *                     has one per benchmark)
 * Errors: a sample below 0 or not finite, data whose length is not rounds,
 * a summary out of order (min <= q1 <= median <= q3 <= max) and two
 * entries of one name are the file's error, "path: json.path: cause".
 */
#include "import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness/result/env.h"
#include "harness/result/isotime.h"
#include "harness/result/jsonread.h"
#include "import_private.h"

#define PT_MAX_SECONDS 1e6       /* 11.6 days: no round pytest-benchmark timed */
#define PT_MAX_ROUNDS 10000000   /* rounds rebuilt from a summary, at most */
#define PT_REBUILT "; samples rebuilt from quartiles (no stats.data)"

/* ---- context -------------------------------------------------------------- */

/* A new "a b" (either may be NULL or empty: the other alone), or NULL. */
static char *join2(const char *a, const char *b)
{
    char *s = NULL;

    if ((!a || !*a) && (!b || !*b))
        return NULL;
    if (asprintf(&s, "%s%s%s", a && *a ? a : "", a && *a && b && *b ? " " : "",
                 b && *b ? b : "") < 0)
        return NULL;
    return s;
}

static int read_machine(const struct jr *rd, const json_t *mi, struct context *c)
{
    const char *node = NULL, *sys = NULL, *rel = NULL, *impl = NULL, *ver = NULL, *cpu = NULL;
    const json_t *co = NULL;

    if (jr_get_cstr(rd, mi, "machine_info", "node", JR_NUL, &node) < 0 ||
        jr_get_cstr(rd, mi, "machine_info", "system", JR_NUL, &sys) < 0 ||
        jr_get_cstr(rd, mi, "machine_info", "release", JR_NUL, &rel) < 0 ||
        jr_get_cstr(rd, mi, "machine_info", "python_implementation", JR_NUL, &impl) < 0 ||
        jr_get_cstr(rd, mi, "machine_info", "python_version", JR_NUL, &ver) < 0 ||
        jr_get_obj(rd, mi, "machine_info", "cpu", JR_NUL, &co) < 0)
        return -1;
    if (co && (jr_get_cstr(rd, co, "machine_info.cpu", "brand_raw", JR_NUL, &cpu) < 0 ||
               (!cpu && jr_get_cstr(rd, co, "machine_info.cpu", "brand", JR_NUL, &cpu) < 0)))
        return -1;
    if ((node && *node && !(c->hostname = strdup(node))) ||
        (cpu && *cpu && !(c->cpu_model = strdup(cpu))))
        return jr_oom(rd);
    if ((rel || sys) && !(c->kernel = join2(sys, rel)) && ((rel && *rel) || (sys && *sys)))
        return jr_oom(rd);
    if ((impl || ver) && !(c->compiler = join2(impl, ver)) && ((impl && *impl) || (ver && *ver)))
        return jr_oom(rd);
    return 0;
}

static int read_commit(const struct jr *rd, const json_t *ci, struct context *c)
{
    const char *id = NULL, *branch = NULL, *t = NULL;
    char q[JR_QUOTE_BUF], utc[32];
    int dirty = -1;

    if (jr_get_cstr(rd, ci, "commit_info", "id", JR_NUL, &id) < 0 ||
        jr_get_cstr(rd, ci, "commit_info", "branch", JR_NUL, &branch) < 0 ||
        jr_get_cstr(rd, ci, "commit_info", "time", JR_NUL, &t) < 0 ||
        jr_get_bool(rd, ci, "commit_info", "dirty", JR_NUL, &dirty) < 0)
        return -1;
    if (!id || !*id || !strcmp(id, "unversioned"))
        return 0;   /* not in a repository: nothing of the rest is known */
    if (t && iso_time_utc(t, utc, sizeof utc) < 0)
        return jr_fail(rd, "commit_info.time",
                       "expected a date like \"2026-11-24T10:00:00+01:00\", got %s",
                       jr_quote(q, sizeof q, t));
    if (!(c->git_commit = strdup(id)) || (t && !(c->git_commit_time = strdup(utc))) ||
        (branch && *branch && strcmp(branch, "(unknown)") && !(c->git_branch = strdup(branch))))
        return jr_oom(rd);
    c->git_dirty = dirty;
    return 0;
}

/* The modification time of the file name in UTC ISO 8601, or the current
 * time when name is not a file. */
static char *file_time(const char *name)
{
    struct stat st;
    struct tm tm;
    time_t t = stat(name, &st) == 0 ? st.st_mtime : time(NULL);
    char buf[32];

    if (!gmtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return strdup(buf);
}

static int read_context(const struct jr *rd, const json_t *root, struct context *c)
{
    const char *dt = NULL, *ver = NULL, *pyc = NULL;
    const json_t *mi, *ci;
    char q[JR_QUOTE_BUF], utc[32];

    c->git_dirty = -1;
    if (jr_get_cstr(rd, root, "", "datetime", JR_NUL, &dt) < 0 ||
        jr_get_cstr(rd, root, "", "version", JR_NUL, &ver) < 0 ||
        jr_get_obj(rd, root, "", "machine_info", JR_NUL, &mi) < 0 ||
        jr_get_obj(rd, root, "", "commit_info", JR_NUL, &ci) < 0)
        return -1;
    if (dt && iso_time_utc(dt, utc, sizeof utc) < 0)
        return jr_fail(rd, "datetime", "expected a date like \"2026-11-24T10:00:00\", got %s",
                       jr_quote(q, sizeof q, dt));
    if ((mi && (read_machine(rd, mi, c) < 0 ||
                jr_get_cstr(rd, mi, "machine_info", "python_compiler", JR_NUL, &pyc) < 0)) ||
        (ci && read_commit(rd, ci, c) < 0))
        return -1;
    c->pacer_version = strdup("imported");
    c->time = dt ? strdup(utc) : file_time(rd->name);
    if (asprintf(&c->cflags, "pytest-benchmark%s%s%s%s", ver ? " " : "", ver ? ver : "",
                 pyc && *pyc ? ", Python built by " : "", pyc && *pyc ? pyc : "") < 0)
        c->cflags = NULL;
    if (!c->pacer_version || !c->time || !c->cflags)
        return jr_oom(rd);
    return 0;
}

/* ---- one entry of benchmarks ---------------------------------------------- */

static int read_data(const struct jr *rd, const json_t *a, const char *at, struct bench *b)
{
    char p[JR_PATH_LEN];
    size_t i, n = json_array_size(a);

    if (n == 0)
        return jr_fail(rd, jr_join(p, at, "data"), "no samples");
    if (!(b->samples = malloc(n * sizeof *b->samples)))
        return jr_oom(rd);
    for (i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        double t;

        jr_pathf(p, "%s.data[%zu]", at, i);
        if (!json_is_number(v))
            return jr_expected(rd, p, "number", v);
        t = json_number_value(v);
        if (!isfinite(t) || t < 0)
            return jr_fail(rd, p, "expected a finite number >= 0, got %g", t);
        if (t >= PT_MAX_SECONDS)
            return jr_fail(rd, p, "expected a time below %g s, got %g", PT_MAX_SECONDS, t);
        b->samples[b->nsamples++] = t * 1e9;
    }
    return 0;
}

/* Fill x[0..n) with the quantile function through the points (pt[j], y[j]),
 * j < np, at i / (n - 1): linear between them but in the last segment,
 * which rises as t^e (t from 0 to 1 across it); their mean is returned. */
static double fill(double *x, size_t n, const double *pt, const double *y, size_t np, double e)
{
    double sum = 0;
    size_t i, k;

    for (i = 0; i < n; i++) {
        double q = n > 1 ? (double)i / (double)(n - 1) : 0.5, f;
        for (k = 1; k < np - 1 && q > pt[k]; k++)
            ;
        f = (q - pt[k - 1]) / (pt[k] - pt[k - 1]);
        if (k == np - 1 && e != 1)
            f = pow(f, e);
        x[i] = y[k - 1] + f * (y[k] - y[k - 1]);
        sum += x[i];
    }
    return sum / (double)n;
}

/* The samples of a summary without data (see the header): rounds points of
 * the quantile function through (0, min) (.25, q1) (.5, median) (.75, q3)
 * (1, max), or through min, median, max; its last segment rises as t^e,
 * e >= 1 found by bisection (on log e) so that the samples' mean is the
 * file's mean where one e can give it: timings sit near their upper
 * quartile with a few slow rounds above, not spread evenly up to the
 * slowest. */
static int rebuild(const struct jr *rd, const json_t *st, const char *at, struct bench *b)
{
    static const char *const key[5] = {"min", "q1", "median", "q3", "max"};
    double v, pt[5], y[5], mean = NAN, lo = 0, hi = log(1e6), m;
    char p[JR_PATH_LEN];
    long long rounds;
    size_t i, k, n = 0, prev = 0, it;

    if (jr_get_int(rd, st, at, "rounds", JR_REQ, 1, PT_MAX_ROUNDS, &rounds) < 0 ||
        jr_get_num(rd, st, at, "mean", JR_NUL | JR_NONNEG, &mean) < 0)
        return -1;
    for (k = 0; k < 5; k++) {
        int req = k == 0 || k == 2 || k == 4 || json_object_get(st, k == 1 ? "q3" : "q1");
        v = NAN;
        if (jr_get_num(rd, st, at, key[k], req ? JR_REQ | JR_NONNEG : JR_NONNEG, &v) < 0)
            return -1;
        if (isnan(v))
            continue;
        if (v >= PT_MAX_SECONDS)
            return jr_fail(rd, jr_join(p, at, key[k]), "expected a time below %g s, got %g",
                           PT_MAX_SECONDS, v);
        if (n && v < y[n - 1])
            return jr_fail(rd, jr_join(p, at, key[k]), "%g is below %s %g", v, key[prev],
                           y[n - 1]);
        pt[n] = (double)k / 4.0;
        y[n++] = v;
        prev = k;
    }
    if (!(b->samples = malloc((size_t)rounds * sizeof *b->samples)))
        return jr_oom(rd);
    b->nsamples = (size_t)rounds;
    if (isfinite(mean) && fill(b->samples, b->nsamples, pt, y, n, 1) > mean)
        for (it = 0; it < 50; it++) {
            m = (lo + hi) / 2;
            if (fill(b->samples, b->nsamples, pt, y, n, exp(m)) > mean)
                lo = m;
            else
                hi = m;
        }
    fill(b->samples, b->nsamples, pt, y, n, exp(lo));
    for (i = 0; i < b->nsamples; i++)
        b->samples[i] *= 1e9;
    return 1;
}

static int read_params(const struct jr *rd, const json_t *o, const char *at, struct bench *b)
{
    const char *key;
    json_t *v;

    (void)at;
    /* jansson's iterator takes a non-const object; it is only read */
    json_object_foreach((json_t *)o, key, v) {
        char *text;
        int rc;

        if (json_is_integer(v))
            rc = bench_add_param_int(b, key, (long long)json_integer_value(v));
        else if (json_is_string(v))
            rc = bench_add_param_str(b, key, json_string_value(v));
        else {
            if (!(text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)))
                return jr_oom(rd);
            rc = bench_add_param_str(b, key, text);
            free(text);
        }
        if (rc < 0)
            return jr_oom(rd);
    }
    return 0;
}

/* Entry idx of benchmarks into a new benchmark of out; *rebuilt set when
 * its samples were made from the summary.  seen maps names to indexes. */
static int read_entry(const struct jr *rd, const json_t *en, size_t idx, json_t *seen,
                      struct result *out, int *rebuilt)
{
    char at[JR_PATH_LEN], sp[JR_PATH_LEN], p[JR_PATH_LEN], q[JR_QUOTE_BUF];
    const json_t *st, *data, *params, *prev;
    const char *name = NULL;
    struct stats_opts so;
    struct bench *b;
    long long iters = 1, rounds = 0;

    jr_pathf(at, "benchmarks[%zu]", idx);
    if (!json_is_object(en))
        return jr_expected(rd, at, "object", en);
    if (json_object_get(en, "fullname")
            ? jr_get_cstr(rd, en, at, "fullname", JR_REQ | JR_NONEMPTY, &name) < 0
            : jr_get_cstr(rd, en, at, "name", JR_REQ | JR_NONEMPTY, &name) < 0)
        return -1;
    if ((prev = json_object_get(seen, name)))
        return jr_fail(rd, jr_join(p, at, json_object_get(en, "fullname") ? "fullname" : "name"),
                       "duplicate name %s (also benchmarks[%lld])", jr_quote(q, sizeof q, name),
                       (long long)json_integer_value(prev));
    if (json_object_set_new(seen, name, json_integer((json_int_t)idx)) != 0)
        return jr_oom(rd);
    b = result_add_bench(out);
    if (!b || !(b->name = strdup(name)))
        return jr_oom(rd);
    b->kind = KIND_MICRO;
    if (jr_get_obj(rd, en, at, "stats", JR_REQ, &st) < 0)
        return -1;
    jr_pathf(sp, "%s.stats", at);
    if (jr_get_int(rd, st, sp, "iterations", 0, 1, (long long)1 << 50, &iters) < 0 ||
        jr_get_arr(rd, st, sp, "data", JR_NUL, &data) < 0)
        return -1;
    b->iterations = (uint64_t)iters;
    if (data) {
        if (read_data(rd, data, sp, b) < 0 ||
            jr_get_int(rd, st, sp, "rounds", 0, 1, PT_MAX_ROUNDS, &rounds) < 0)
            return -1;
        if (rounds && (size_t)rounds != b->nsamples)
            return jr_fail(rd, jr_join(p, sp, "data"), "expected %lld values (stats.rounds), "
                           "got %zu", rounds, b->nsamples);
    } else if (rebuild(rd, st, sp, b) < 0)
        return -1;
    else
        *rebuilt = 1;
    if (jr_get_obj(rd, en, at, "params", JR_NUL, &params) < 0 ||
        (params && read_params(rd, params, at, b) < 0))
        return -1;
    stats_opts_default(&so);
    return bench_compute_stats(b, &so) < 0 ? jr_oom(rd) : 0;
}

/* ---- the result ------------------------------------------------------------ */

int import_pytestbench(const json_t *root, const char *name, struct result *out, struct err *e)
{
    struct jr rd = {name, e};
    const json_t *ba;
    json_t *seen;
    size_t i;
    int rc = 0, rebuilt = 0;

    result_init(out);
    if (!json_is_object(root))
        return jr_expected(&rd, "$", "object", root);
    if (jr_get_arr(&rd, root, "", "benchmarks", JR_REQ, &ba) < 0)
        return -1;
    if (json_array_size(ba) == 0)
        return jr_fail(&rd, "benchmarks", "no benchmarks");
    out->suite = import_suite_of(name);
    if (!out->suite)
        return jr_oom(&rd);
    if (read_context(&rd, root, &out->ctx) < 0)
        return -1;
    if (!(seen = json_object()))
        return jr_oom(&rd);
    for (i = 0; i < json_array_size(ba) && rc == 0; i++)
        rc = read_entry(&rd, json_array_get(ba, i), i, seen, out, &rebuilt);
    json_decref(seen);
    if (rc < 0)
        return -1;
    if (rebuilt) {
        char *cf = NULL;
        if (asprintf(&cf, "%s%s", out->ctx.cflags, PT_REBUILT) < 0)
            return jr_oom(&rd);
        free(out->ctx.cflags);
        out->ctx.cflags = cf;
    }
    return env_fingerprint(&out->ctx) < 0 ? jr_oom(&rd) : 0;
}
