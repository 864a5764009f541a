/*
 * result_write.c: struct result to JSON (result_json.h, where the schema
 * is): the document, the context block alone, atomic saves and dumps.
 * Strings that are not UTF-8 are repaired on the way out (utf8.h); a
 * result is checked by reading its document back before it is saved.
 */
#include "fits.h"
#include "result_json.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonread.h"
#include "jsonwrite.h"
#include "capres.h"
#include "loadrep.h"
#include "result_json_private.h"
#include "segrec.h"
#include "utf8.h"
#include "version.h"

#define SAVE_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_INDENT(1))
#define DUMP_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_INDENT(2))

/* A new JSON integer for an unsigned 64-bit field; NULL with a message
 * when it does not fit a JSON integer (jansson's are signed 64-bit). */
static json_t *ju64(struct err *e, const char *at, const char *key, uint64_t v)
{
    if (v > (uint64_t)INT64_MAX) {
        err_set(e, "%s.%s: %" PRIu64 " is above the largest JSON integer (%" PRId64 ")", at,
                key, v, INT64_MAX);
        return NULL;
    }
    return json_integer((json_int_t)v);
}

/* obj[name] = v for a name taken from the struct (a parameter or metric
 * name): repaired to UTF-8, and refused when already there (the JSON
 * object would silently keep one).  Steals v. */
static int put_named(json_t *obj, const char *name, json_t *v, struct err *e, const char *at,
                     const char *what)
{
    char *key = utf8_repair(name ? name : "");
    int rc = -1;

    if (!key) {
        json_decref(v);
        return -1;
    }
    if (json_object_get(obj, key)) {
        err_set(e, "%s: duplicate %s \"%s\"", at, what, key);
        json_decref(v);
    } else {
        rc = jw_put(obj, key, v);
    }
    free(key);
    return rc;
}

static json_t *jreals(const double *x, size_t n)
{
    json_t *a = json_array();
    size_t i;

    if (!a)
        return NULL;
    for (i = 0; i < n; i++) {
        if (json_array_append_new(a, jw_real(x[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *jci(struct ci ci)
{
    if (!isfinite(ci.lo) || !isfinite(ci.hi))
        return json_null();
    return json_pack("[ff]", ci.lo, ci.hi);
}

/* Statistics of nsamples samples; at is the path of the stats object. */
static json_t *stats_json(const struct stats *st, size_t nsamples, struct err *e, const char *at)
{
    struct stats s = *st;
    json_t *o, *ci, *out;
    char p[JR_PATH_LEN];
    size_t i;
    int rc = 0;

    if (s.n == 0 && nsamples == 0)
        return json_null();   /* no samples, no statistics */
    o = json_object();
    ci = json_object();
    out = json_object();
    rc |= jw_put(o, "n", json_integer((json_int_t)s.n));
    for (i = 0; i < NSTAT_FIELDS; i++)
        rc |= jw_put(o, stat_fields[i].key, jw_real(*stat_field(&s, i)));
    jr_pathf(p, "%s.ci", at);
    rc |= jw_put(ci, "level", jw_real(s.ci_level));
    rc |= jw_put(ci, "method", json_string("percentile-bootstrap"));
    rc |= jw_put(ci, "resamples", json_integer(s.resamples));
    rc |= jw_put(ci, "seed", ju64(e, p, "seed", s.seed));
    rc |= jw_put(ci, "median", jci(s.ci_median));
    rc |= jw_put(ci, "mean", jci(s.ci_mean));
    rc |= jw_put(o, "ci", ci);
    rc |= jw_put(out, "low_severe", json_integer((json_int_t)s.outliers.low_severe));
    rc |= jw_put(out, "low_mild", json_integer((json_int_t)s.outliers.low_mild));
    rc |= jw_put(out, "high_mild", json_integer((json_int_t)s.outliers.high_mild));
    rc |= jw_put(out, "high_severe", json_integer((json_int_t)s.outliers.high_severe));
    rc |= jw_put(o, "outliers", out);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A metric (its unit and direction), or a user counter (1.7: its flags
 * by name); its samples and their stats. */
static json_t *metric_json(const struct metric *m, int counter, struct err *e, const char *at)
{
    json_t *o = json_object(), *fl;
    char p[JR_PATH_LEN];
    size_t i;
    int rc = 0;

    jr_pathf(p, "%s.stats", at);
    if (counter) {
        rc |= jw_put(o, "flags", fl = json_array());
        for (i = 0; fl && counter_flags[i].name; i++)
            if (m->flags & counter_flags[i].bit)
                rc |= jw_push(fl, json_string(counter_flags[i].name));
    } else {
        rc |= jw_put(o, "unit", jw_str(m->unit));
        rc |= jw_put(o, "direction", json_string(direction_name(m->dir)));
    }
    rc |= jw_put(o, "samples", jreals(m->samples, m->nsamples));
    rc |= jw_put(o, "stats", stats_json(&m->st, m->nsamples, e, p));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* o[key] = {name: metric_json, ...} for the n metrics (or counters) of the
 * benchmark at path at. */
static int put_metrics(json_t *o, const char *key, const struct metric *ms, size_t n,
                       int counter, struct err *e, const char *at)
{
    char mp[JR_PATH_LEN], p[JR_PATH_LEN];
    json_t *obj = json_object();
    size_t i;
    int rc = 0;

    jr_pathf(mp, "%s.%s", at, key);
    for (i = 0; i < n && rc == 0; i++) {
        jr_pathf(p, "%s.%s", mp, ms[i].name ? ms[i].name : "");
        rc |= put_named(obj, ms[i].name, metric_json(&ms[i], counter, e, p), e, mp,
                        counter ? "counter" : "metric");
    }
    return rc | jw_put(o, key, obj);
}

static json_t *error_json(const struct bench_error *be)
{
    json_t *o;
    int rc = 0;

    if (!be)
        return json_null();
    o = json_object();
    rc |= jw_put(o, "message", jw_str(be->message));
    rc |= jw_put(o, "signal", be->signal ? json_integer(be->signal) : json_null());
    rc |= jw_put(o, "exit_code", be->exit_code != -1 ? json_integer(be->exit_code) : json_null());
    rc |= jw_put(o, "timed_out", json_boolean(be->timed_out));
    rc |= jw_put(o, "stderr_tail", jw_str(be->stderr_tail));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The "load" array of a load benchmark into o (nothing for other kinds). */
static int put_load(json_t *o, const struct bench *b)
{
    if (b->capacity && jw_put(o, "capacity", capacity_to_json(b->capacity)) < 0)
        return -1;
    if (!b->nload)
        return 0;
    return jw_put(o, "load", load_reps_to_json(b->load, b->nload));
}

static json_t *bench_json(const struct bench *b, size_t idx, struct err *e)
{
    json_t *o = json_object(), *params = json_object(), *tp, *src;
    char at[JR_PATH_LEN], p[JR_PATH_LEN];
    size_t i;
    int rc = 0;

    jr_pathf(at, "benchmarks[%zu]", idx);
    rc |= jw_put(o, "name", jw_str(b->name));
    rc |= jw_put(o, "kind", json_string(kind_name(b->kind)));
    rc |= jw_put(o, "unit", jw_str(b->unit));
    rc |= jw_put(o, "direction", json_string(direction_name(b->dir)));
    jr_pathf(p, "%s.params", at);
    for (i = 0; i < b->nparams && rc == 0; i++) {
        const struct param *pa = &b->params[i];

        rc |= put_named(params, pa->name, pa->is_int ? json_integer(pa->ival) : jw_str(pa->value),
                        e, p, "parameter");
    }
    rc |= jw_put(o, "params", params);
    rc |= jw_put(o, "iterations", ju64(e, at, "iterations", b->iterations));
    rc |= jw_put(o, "processes", json_integer(b->processes));
    rc |= jw_put(o, "samples", jreals(b->samples, b->nsamples));
    if (b->nproc_samples > 1) {
        json_t *ps = json_array();
        for (i = 0; i < b->nproc_samples; i++)
            rc |= json_array_append_new(ps, json_integer((json_int_t)b->proc_samples[i]));
        rc |= jw_put(o, "process_samples", ps);
    }
    if (b->nref) {
        json_t *ref = json_object();
        rc |= jw_put(ref, "compute_ns", jreals(b->ref_compute, b->nref));
        rc |= jw_put(ref, "memory_ns", jreals(b->ref_memory, b->nref));
        rc |= jw_put(o, "reference", ref);
    }
    jr_pathf(p, "%s.stats", at);
    rc |= jw_put(o, "stats", stats_json(&b->st, b->nsamples, e, p));
    if (b->bytes_per_op != 0 || b->items_per_op != 0) {
        tp = json_object();
        if (b->bytes_per_op != 0)
            rc |= jw_put(tp, "bytes_per_op", jw_real(b->bytes_per_op));
        if (b->items_per_op != 0)
            rc |= jw_put(tp, "items_per_op", jw_real(b->items_per_op));
        rc |= jw_put(o, "throughput", tp);
    }
    if (b->nmetrics > 0)
        rc |= put_metrics(o, "metrics", b->metrics, b->nmetrics, 0, e, at);
    if (b->ncounters > 0)
        rc |= put_metrics(o, "counters", b->counters, b->ncounters, 1, e, at);
    if (b->binary || b->command) {
        src = json_object();
        if (b->binary)
            rc |= jw_put(src, "binary", jw_str(b->binary));
        if (b->command)
            rc |= jw_put(src, "command", jw_str(b->command));
        rc |= jw_put(o, "source", src);
    }
    rc |= jw_put(o, "error", error_json(b->error));
    if (b->skipped)
        rc |= jw_put(o, "skipped", jw_str(b->skipped));
    rc |= put_load(o, b);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *context_json(const struct context *c, struct err *e)
{
    json_t *o = json_object(), *git = json_object(), *host = json_object();
    json_t *build = json_object(), *clk = json_object();
    int rc = 0;

    rc |= jw_put(o, "pacer_version", jw_str(c->pacer_version));
    rc |= jw_put(o, "time", jw_str(c->time));
    rc |= jw_put(o, "fingerprint", jw_str(c->fingerprint));

    rc |= jw_put(git, "commit", jw_str(c->git_commit));
    rc |= jw_put(git, "branch", jw_str(c->git_branch));
    rc |= jw_put(git, "commit_time", jw_str(c->git_commit_time));
    rc |= jw_put(git, "dirty", c->git_dirty < 0 ? json_null() : json_boolean(c->git_dirty));
    rc |= jw_put(o, "git", git);

    rc |= jw_put(host, "hostname", jw_str(c->hostname));
    rc |= jw_put(host, "cpu_model", jw_str(c->cpu_model));
    rc |= jw_put(host, "cpus", c->cpus > 0 ? json_integer(c->cpus) : json_null());
    rc |= jw_put(host, "memory_bytes",
              c->memory_bytes ? ju64(e, "context.host", "memory_bytes", c->memory_bytes)
                              : json_null());
    rc |= jw_put(host, "kernel", jw_str(c->kernel));
    rc |= jw_put(host, "os", jw_str(c->os));
    rc |= jw_put(host, "governor", jw_str(c->governor));
    rc |= jw_put(host, "turbo", jw_str(c->turbo));
    rc |= jw_put(host, "loadavg", jreals(c->loadavg, 3));
    rc |= jw_put(o, "host", host);

    rc |= jw_put(build, "compiler", jw_str(c->compiler));
    rc |= jw_put(build, "cflags", jw_str(c->cflags));
    if (c->valgrind)
        rc |= jw_put(build, "valgrind", jw_str(c->valgrind));
    rc |= jw_put(o, "build", build);

    rc |= jw_put(clk, "resolution_ns", jw_real(c->clock_resolution_ns));
    rc |= jw_put(clk, "read_ns", jw_real(c->clock_read_ns));
    rc |= jw_put(o, "clock", clk);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *context_to_json(const struct context *c)
{
    return context_json(c, NULL);
}

static json_t *settings_json(const struct settings *s, struct err *e)
{
    json_t *o = json_object();
    int rc = 0;

    rc |= jw_put(o, "warmup_ns", ju64(e, "settings", "warmup_ns", s->warmup_ns));
    rc |= jw_put(o, "sample_target_ns",
                 ju64(e, "settings", "sample_target_ns", s->sample_target_ns));
    rc |= jw_put(o, "samples", json_integer(s->samples));
    rc |= jw_put(o, "budget_ns", ju64(e, "settings", "budget_ns", s->budget_ns));
    rc |= jw_put(o, "ci_target", jw_real(s->ci_target));
    rc |= jw_put(o, "processes", json_integer(s->processes));
    rc |= jw_put(o, "timeout_ns", ju64(e, "settings", "timeout_ns", s->timeout_ns));
    rc |= jw_put(o, "warmup_runs", json_integer(s->warmup_runs));
    rc |= jw_put(o, "seed", ju64(e, "settings", "seed", s->seed));
    rc |= jw_put(o, "ci_level", jw_real(s->ci_level));
    if (s->mode == RUN_MODE_INSTRUCTIONS)
        rc |= jw_put(o, "mode", jw_str("instructions"));
    if (s->counters[0])
        rc |= jw_put(o, "counters", jw_str(s->counters));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Builds the document as it is; it does not validate it (result_save
 * does, by reading it back).  Errors name the JSON path, no file. */
json_t *result_to_json(const struct result *r, struct err *e)
{
    struct err le = {0};
    json_t *o = json_object(), *argv = NULL, *benches = json_array();
    char schema[32];
    size_t i;
    int rc = 0;

    snprintf(schema, sizeof schema, "%d.%d", RESULT_SCHEMA_MAJOR, RESULT_SCHEMA_MINOR);
    rc |= jw_put(o, "schema", json_string(schema));
    rc |= jw_put(o, "suite", jw_str(r->suite));
    rc |= jw_put(o, "complete", json_boolean(r->complete));
    if (r->argv) {
        argv = json_array();
        for (i = 0; r->argv[i] && rc == 0; i++)
            rc |= json_array_append_new(argv, jw_str(r->argv[i])) == 0 ? 0 : -1;
    }
    rc |= jw_put(o, "argv", r->argv ? argv : json_null());
    rc |= jw_put(o, "context", context_json(&r->ctx, &le));
    rc |= jw_put(o, "settings", settings_json(&r->set, &le));
    for (i = 0; i < r->nbenches && rc == 0; i++)
        rc |= json_array_append_new(benches, bench_json(&r->benches[i], i, &le)) == 0 ? 0 : -1;
    rc |= jw_put(o, "benchmarks", benches);
    if (r->ab && rc == 0) {
        json_t *ab = json_object(), *bb = json_array();
        rc |= jw_put(ab, "base_label", jw_str(r->ab->base_label));
        rc |= jw_put(ab, "new_label", jw_str(r->ab->new_label));
        rc |= jw_put(ab, "order", jw_str(r->ab->order));
        for (i = 0; i < r->ab->nbase && rc == 0; i++)
            rc |= json_array_append_new(bb, bench_json(&r->ab->base[i], i, &le)) == 0 ? 0 : -1;
        rc |= jw_put(ab, "base_benchmarks", bb);
        rc |= jw_put(ab, "analysis", r->ab->analysis ? json_incref(r->ab->analysis) : json_null());
        rc |= jw_put(o, "ab", ab);
    }
    if (r->nfits && rc == 0)
        rc |= jw_put(o, "complexity", fits_json(r));
    if (r->seg.run_id && rc == 0)
        rc |= jw_put(o, "segment", segment_json(r));
    if (rc) {
        json_decref(o);
        err_set(&le, "out of memory");
        err_set(e, "%s", le.msg);
        return NULL;
    }
    return o;
}

/* Validates r by reading its document back (a file pacer writes is one
 * pacer reads), then writes it to a new temporary file beside path
 * (path.tmp.PID, created exclusively), flushed and fsync'd: its name in
 * *tmp.  On failure nothing is left behind.  Messages start with path;
 * "path: not written: ..." when r itself is at fault. */
static int save_tmp(const struct result *r, const char *path, char **tmp, struct err *e)
{
    struct err le = {0};
    struct result check;
    json_t *root;
    struct sigaction old;
    char *name = NULL;
    FILE *f = NULL;
    int fd, rc = -1, created = 0, closed, dumped, saved_errno;

    *tmp = NULL;
    root = result_to_json(r, &le);
    if (!root)
        return err_set(e, "%s: not written: %s", path, le.msg);
    if (asprintf(&name, "%s: not written", path) < 0) {
        name = NULL;
        err_set(e, "%s: out of memory", path);
        goto cleanup;
    }
    rc = result_from_json(root, name, &check, e);
    result_free(&check);
    if (rc < 0)
        goto cleanup;
    rc = -1;
    if (asprintf(tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        *tmp = NULL;
        err_set(e, "%s: out of memory", path);
        goto cleanup;
    }
    fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        err_set(e, "%s: cannot create %s: %s", path, *tmp, strerror(errno));
        goto cleanup;
    }
    created = 1;
    f = fdopen(fd, "w");
    if (!f) {
        err_set(e, "%s: cannot write %s: %s", path, *tmp, strerror(errno));
        close(fd);
        goto cleanup;
    }
    errno = 0;
    /* past RLIMIT_FSIZE a write fails with EFBIG rather than a SIGXFSZ
     * that ends pacer with the temporary file half written */
    sigaction(SIGXFSZ, &(struct sigaction){.sa_handler = SIG_IGN}, &old);
    dumped = json_dumpf(root, f, SAVE_FLAGS) == 0 && fputc('\n', f) != EOF && fflush(f) == 0;
    saved_errno = errno;
    sigaction(SIGXFSZ, &old, NULL);
    if (!dumped) {
        err_set(e, "%s: cannot write %s: %s", path, *tmp,
                saved_errno ? strerror(saved_errno) : "write error");
        goto cleanup;
    }
    if (fsync(fileno(f)) != 0) {
        err_set(e, "%s: cannot sync %s: %s", path, *tmp, strerror(errno));
        goto cleanup;
    }
    closed = fclose(f);
    f = NULL;
    if (closed != 0) {
        err_set(e, "%s: cannot write %s: %s", path, *tmp, strerror(errno));
        goto cleanup;
    }
    created = 0;
    rc = 0;
cleanup:
    if (f)
        fclose(f);
    if (created)
        unlink(*tmp);
    if (rc < 0) {
        free(*tmp);
        *tmp = NULL;
    }
    free(name);
    json_decref(root);
    return rc;
}

/* Make the rename of a file in path's folder durable: fsync the folder. */
static void sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int result_save(const struct result *r, const char *path, struct err *e)
{
    char *tmp;

    if (save_tmp(r, path, &tmp, e) < 0)
        return -1;
    if (rename(tmp, path) != 0) {
        err_set(e, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    sync_dir_of(path);
    free(tmp);
    return 0;
}

/* Put tmp at path unless path exists: 0, 1 when it exists (tmp kept), -1
 * with errno.  renameat2's RENAME_NOREPLACE, or where the file system has
 * not got it, a hard link (which never replaces either) and an unlink. */
static int place_new(const char *tmp, const char *path)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno == EEXIST)
        return 1;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (link(tmp, path) != 0)
        return errno == EEXIST ? 1 : -1;
    unlink(tmp);
    return 0;
}

/* DIR/20261124T101500.123Z-abc1234[suffix][-K].json: the time of the save
 * to the millisecond (UTC), the commit outside git left out; K from 2 on
 * when the name is taken. */
static char *save_name(const char *dir, const struct context *ctx, const char *suffix,
                       const struct timespec *now, unsigned k)
{
    char stamp[40], kbuf[16] = "", *path;
    struct tm tm;
    time_t t = now->tv_sec;

    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    snprintf(stamp + strlen(stamp), sizeof stamp - strlen(stamp), ".%03ldZ",
             now->tv_nsec / 1000000);
    if (k > 1)
        snprintf(kbuf, sizeof kbuf, "-%u", k);
    if (ctx->git_commit && asprintf(&path, "%s/%s-%.7s%s%s.json", dir, stamp, ctx->git_commit,
                                    suffix, kbuf) >= 0)
        return path;
    if (!ctx->git_commit && asprintf(&path, "%s/%s%s%s.json", dir, stamp, suffix, kbuf) >= 0)
        return path;
    return NULL;
}

int result_save_new(const struct result *r, const char *dir, const char *suffix, char **out,
                    struct err *e)
{
    struct timespec now;
    char *path, *tmp = NULL;
    unsigned k;
    int placed = -1;

    *out = NULL;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return err_set(e, "%s: cannot create the folder: %s", dir, strerror(errno));
    clock_gettime(CLOCK_REALTIME, &now);
    for (k = 1; k < 10000; k++) {
        if (!(path = save_name(dir, &r->ctx, suffix, &now, k)))
            break;
        if (!tmp && save_tmp(r, path, &tmp, e) < 0) {
            free(path);
            return -1;
        }
        placed = place_new(tmp, path);
        if (placed == 0) {
            sync_dir_of(path);
            free(tmp);
            *out = path;
            return 0;
        }
        if (placed < 0) {
            err_set(e, "%s: cannot move %s into place: %s", path, tmp, strerror(errno));
            free(path);
            break;
        }
        free(path);
    }
    if (placed > 0 || !path)
        err_set(e, "%s: %s", dir, path ? "no free name for the result" : "out of memory");
    if (tmp)
        unlink(tmp);
    free(tmp);
    return -1;
}

int result_dump(const struct result *r, FILE *f, struct err *e)
{
    json_t *root = result_to_json(r, e);
    int rc = 0;

    if (!root)
        return -1;
    errno = 0;
    if (json_dumpf(root, f, DUMP_FLAGS) != 0 || fputc('\n', f) == EOF || fflush(f) != 0)
        rc = err_set(e, "cannot write the result: %s", errno ? strerror(errno) : "write error");
    json_decref(root);
    return rc;
}
