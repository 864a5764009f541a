/*
 * import_hyperfine.c: hyperfine --export-json into a struct result
 * (import.h).  Checked against the output of hyperfine 1.15.0:
 *   {"results": [{"command", "mean", "stddev", "median", "user", "system",
 *                 "min", "max", "times": [s, ...], "exit_codes": [...],
 *                 "parameters": {name: str}?}, ...]}
 *
 * Each entry of results is one benchmark: kind command, unit ns, direction
 * lower, iterations 1, processes 1.
 *   command      the name (the command line, or its -n name: the file does
 *                not say which, so source.command stays unset).  Names must
 *                be unique, as in any pacer result
 *   times        the samples, seconds to ns (and see below)
 *   parameters   params (--parameter-scan, -L); a value that is the
 *                canonical text of an integer ("3") is an integer
 *                parameter, any other a string
 *   user, system not kept: the file holds only their means over the runs,
 *                and a pacer metric has one value per sample; a made-up
 *                series or a one-value metric would let compare report
 *                differences that were never measured
 *   mean, stddev, median, min, max   not read: recomputed from times
 *   exit_codes   hyperfine stops at the first failing run unless -i was
 *                given, so non-zero codes in a file mean -i.  A command that
 *                exited with the same non-zero code in every run (a grep
 *                that finds nothing) is refused unless ignore_failure
 *                (struct import_opts), as pacer's own command benchmarks
 *                refuse a failing run unless --ignore-failure: the
 *                benchmark gets the error "exited with status C in all N
 *                runs (hyperfine -i): refused unless --ignore-failure"
 *                (exit_code C).  When the codes differ, the runs did not
 *                do the same work, whatever the options: the error "exited
 *                with status A (in run J), with status B in run K" (J the
 *                first run with a non-zero code, K the first whose code
 *                differs from it; exit_code A).  A null code (no exit
 *                status: killed by a signal) gives "killed by a signal (in
 *                run K)".  The samples are kept either way.
 *   times        a time of HF_MAX_SECONDS (11.6 days) or more is refused
 *                as the file's error: hyperfine times ten runs by default,
 *                and no command it timed runs for weeks; such a number is
 *                a broken file, and would turn every interval into noise
 * Context: hyperfine records none.  time is the file's modification time
 * in UTC (the time of the import when name is not a file); compiler
 * "hyperfine" names the tool that measured; pacer_version "imported";
 * host, CPU and the rest unknown; the fingerprint of that.
 */
#include "import.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness/result/env.h"
#include "harness/result/jsonread.h"
#include "import_private.h"

#define HF_MAX_SECONDS 1e6   /* 11.6 days: no run of a command hyperfine timed */

/* ---- one entry of results ------------------------------------------------- */

static int read_times(const struct jr *rd, const json_t *a, const char *at, struct bench *b)
{
    char p[JR_PATH_LEN];
    size_t i, n = json_array_size(a);

    if (n == 0)
        return 0;
    b->samples = malloc(n * sizeof *b->samples);
    if (!b->samples)
        return jr_oom(rd);
    for (i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        double t;

        jr_pathf(p, "%s.times[%zu]", at, i);
        if (!json_is_number(v))
            return jr_expected(rd, p, "number", v);
        t = json_number_value(v);
        if (!isfinite(t) || !isfinite(t * 1e9))
            return jr_fail(rd, p, "expected a finite number");
        if (t < 0)
            return jr_fail(rd, p, "expected a number >= 0, got %g", t);
        if (t >= HF_MAX_SECONDS)
            return jr_fail(rd, p, "expected a time below %g s, got %g", HF_MAX_SECONDS, t);
        b->samples[b->nsamples++] = t * 1e9;
    }
    return 0;
}

/* The exit codes of the runs, one per time; see the header for what
 * becomes an error. */
static int read_exit_codes(const struct jr *rd, const json_t *a, const char *at, int ignore,
                           struct bench *b)
{
    char p[JR_PATH_LEN];
    size_t i, n = json_array_size(a), first = 0;
    long long code0 = 0;
    struct bench_error *be;

    jr_pathf(p, "%s.exit_codes", at);
    if (n != b->nsamples)
        return jr_fail(rd, p, "expected %zu codes (one per time), got %zu", b->nsamples, n);
    for (i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);

        jr_pathf(p, "%s.exit_codes[%zu]", at, i);
        if (!json_is_integer(v) && !json_is_null(v))
            return jr_expected(rd, p, "integer or null", v);
    }
    for (i = 0; i < n && !b->error; i++) {
        const json_t *v = json_array_get(a, i);
        long long c = json_integer_value(v);

        if (json_is_null(v)) {
            if (!bench_set_error(b, "killed by a signal (in run %zu)", i + 1))
                return jr_oom(rd);
        } else if (c != 0 && first == 0) {
            first = i + 1;
            code0 = c;
        }
    }
    if (b->error || first == 0)
        return 0;
    for (i = 0; i < n; i++) {
        long long c = json_integer_value(json_array_get(a, i));

        if (c != code0) {
            be = bench_set_error(b, "exited with status %lld (in run %zu), "
                                    "with status %lld in run %zu",
                                 code0, first, c, i + 1);
            if (!be)
                return jr_oom(rd);
            be->exit_code = (int)code0;
            return 0;
        }
    }
    if (ignore)
        return 0;
    be = bench_set_error(b, "exited with status %lld in all %zu runs (hyperfine -i): refused "
                            "unless --ignore-failure", code0, n);
    if (!be)
        return jr_oom(rd);
    be->exit_code = (int)code0;
    return 0;
}

static int read_params(const struct jr *rd, const json_t *o, const char *at, struct bench *b)
{
    char p[JR_PATH_LEN];
    const char *key;
    json_t *v;

    /* jansson's iterator takes a non-const object; it is only read */
    json_object_foreach((json_t *)o, key, v) {
        long long iv;
        int rc;

        jr_pathf(p, "%s.parameters.%s", at, key);
        if (!json_is_string(v))
            return jr_expected(rd, p, "string", v);
        if (jr_parse_int(json_string_value(v), &iv))
            rc = bench_add_param_int(b, key, iv);
        else
            rc = bench_add_param_str(b, key, json_string_value(v));
        if (rc < 0)
            return jr_oom(rd);
    }
    return 0;
}

/* Entry idx of results into a new benchmark of out.  seen maps the names
 * read so far to their index. */
static int read_entry(const struct jr *rd, const json_t *jr, size_t idx, json_t *seen,
                      int ignore, struct result *out)
{
    char at[JR_PATH_LEN], p[JR_PATH_LEN], q[JR_QUOTE_BUF];
    const json_t *times, *codes, *params, *prev;
    const char *cmd = NULL;
    struct stats_opts so;
    struct bench *b;

    jr_pathf(at, "results[%zu]", idx);
    if (!json_is_object(jr))
        return jr_expected(rd, at, "object", jr);
    if (jr_get_cstr(rd, jr, at, "command", JR_REQ | JR_NONEMPTY, &cmd) < 0)
        return -1;
    prev = json_object_get(seen, cmd);
    if (prev)
        return jr_fail(rd, jr_join(p, at, "command"), "duplicate name %s (also results[%lld])",
                       jr_quote(q, sizeof q, cmd), (long long)json_integer_value(prev));
    if (json_object_set_new(seen, cmd, json_integer((json_int_t)idx)) != 0)
        return jr_oom(rd);

    b = result_add_bench(out);
    if (!b || !(b->name = strdup(cmd)))
        return jr_oom(rd);
    b->kind = KIND_COMMAND;
    if (jr_get_arr(rd, jr, at, "times", JR_REQ, &times) < 0 ||
        read_times(rd, times, at, b) < 0)
        return -1;
    if (jr_get_arr(rd, jr, at, "exit_codes", 0, &codes) < 0 ||
        (codes && read_exit_codes(rd, codes, at, ignore, b) < 0))
        return -1;
    if (jr_get_obj(rd, jr, at, "parameters", 0, &params) < 0 ||
        (params && read_params(rd, params, at, b) < 0))
        return -1;
    stats_opts_default(&so);
    return bench_compute_stats(b, &so) < 0 ? jr_oom(rd) : 0;
}

/* ---- the result ------------------------------------------------------------ */

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

int import_hyperfine(const json_t *root, const char *name, struct result *out, struct err *e)
{
    return import_hyperfine_with(root, name, NULL, out, e);
}

int import_hyperfine_with(const json_t *root, const char *name, const struct import_opts *io,
                          struct result *out, struct err *e)
{
    struct jr rd = {name, e};
    const json_t *ra;
    json_t *seen;
    size_t i;
    int rc = 0;

    result_init(out);
    if (!json_is_object(root))
        return jr_expected(&rd, "$", "object", root);
    if (jr_get_arr(&rd, root, "", "results", JR_REQ, &ra) < 0)
        return -1;
    if (json_array_size(ra) == 0)
        return jr_fail(&rd, "results", "no benchmarks");

    out->suite = import_suite_of(name);
    out->ctx.pacer_version = strdup("imported");
    out->ctx.time = file_time(name);
    out->ctx.compiler = strdup("hyperfine");
    if (!out->suite || !out->ctx.pacer_version || !out->ctx.time || !out->ctx.compiler ||
        env_fingerprint(&out->ctx) < 0)
        return jr_oom(&rd);

    seen = json_object();
    if (!seen)
        return jr_oom(&rd);
    for (i = 0; i < json_array_size(ra) && rc == 0; i++)
        rc = read_entry(&rd, json_array_get(ra, i), i, seen, io && io->ignore_failure, out);
    json_decref(seen);
    return rc;
}
