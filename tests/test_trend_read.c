/*
 * test_trend_read.c: compare/trend_read.c, the lean reader of result files
 * for a trend, against the full reader (import_load).  The two must agree
 * on every file: the lean read either gives up (and the full reader reads
 * the file, or words its error) or takes the same values.  Checked on
 * every JSON file under tests/data (good and bad, pacer's and other
 * tools'), on files result_save writes, and on the results of real
 * `pacer run`s; the files pacer writes must be read by the lean reader
 * itself.  Run from the repository root (the paths are relative to it).
 */
#include <criterion/criterion.h>
#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/cluster.h"
#include "harness/result/jscan.h"
#include "compare/trend_read.h"
#include "compare/trend_read_private.h"
#include "harness/lib/rng.h"
#include "helpers.h"

TestSuite(trend_read, .init = tmp_setup, .fini = tmp_teardown, .timeout = 60);

Test(trend_read, lean_and_full_reads_agree)
{
    static const struct tf_bench bs[] = {
        {"q\"uote\\d/\xc3\xa9t\xc3\xa9", 123.5, NULL, DIR_LOWER, 0},
        {"rate", 9000, "req/s", DIR_HIGHER, 0},
        {"dead", 1, NULL, DIR_LOWER, 1},
    };
    struct trend_file f;
    struct err e = {0};
    size_t i;
    int full;

    tf_write(tmp_path("a.json"), "2026-01-01T10:00:00Z", "abcdef0", "2026-01-01T09:00:00Z", bs, 3);
    trend_file_init(&f);
    for (full = 0; full <= 1; full++) {
        cr_assert_eq(trend_file_read(&f, tmp_path("a.json"), full, &e), 0, "%s", e.msg);
        cr_expect_eq(f.full, full);
        cr_expect_str_eq(f.time, "2026-01-01T10:00:00Z");
        cr_expect_str_eq(f.commit, "abcdef0");
        cr_expect_str_eq(f.commit_time, "2026-01-01T09:00:00Z");
        cr_expect_str_eq(f.branch, "main");
        cr_assert_eq(f.nb, 3);
        for (i = 0; i < 3; i++) {
            cr_expect_str_eq(f.b[i].name, bs[i].name);
            cr_expect_str_eq(f.b[i].unit, bs[i].unit ? bs[i].unit : "ns");
            cr_expect_eq(f.b[i].dir, bs[i].dir);
            cr_expect_eq(f.b[i].failed, bs[i].failed);
        }
        cr_expect_eq(f.b[0].centre, 123.5);
        cr_expect_eq(f.b[0].n, 5);
        cr_expect(isfinite(f.b[0].lo) && isfinite(f.b[0].hi));
        cr_expect(isnan(f.b[2].centre));
        cr_expect_str_eq(f.fingerprint, "3f2a9c0d11e4b7a5");
        cr_expect_eq(f.untimed, 0);
    }
    trend_file_free(&f);
}

/* Three processes: two of three samples at 10 and one of seven at 20.  The
 * stored median of the thirteen samples is 20; the centre, as compare
 * takes it, is the median of the processes' medians: 10. */
Test(trend_read, centre_from_the_samples_not_the_stored_median)
{
    static const double x[] = {10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20, 20};
    static const size_t counts[] = {3, 3, 7};
    struct trend_file f;
    struct err e = {0};
    int full;

    tf_write_procs(tmp_path("p.json"), "2026-01-01T10:00:00Z", x, 13, counts, 3);
    trend_file_init(&f);
    for (full = 0; full <= 1; full++) {
        cr_assert_eq(trend_file_read(&f, tmp_path("p.json"), full, &e), 0, "%s", e.msg);
        cr_expect_eq(f.full, full);
        cr_assert_eq(f.nb, 1);
        cr_expect_eq(f.b[0].n, 13);
        cr_expect_eq(f.b[0].centre, 10, "centre %g", f.b[0].centre);
        cr_expect(f.b[0].lo <= 20 && f.b[0].hi >= 20, "CI of the stored median [%g, %g]",
                  f.b[0].lo, f.b[0].hi);
    }
    trend_file_free(&f);
}

/* The centre from the numbers' text (as jscan_numbers takes it) equals the
 * centre of their values, for numbers written in every way JSON allows
 * (integers, fractions, exponents, leading and trailing zeros, more digits
 * than a double holds), with one process and several, odd and even
 * counts, ties and zeros. */
Test(trend_read, centre_of_the_text_is_the_centre_of_the_values)
{
    static const char *const fmts[] = {"%.17g", "%.3f", "%g", "%.0f", "%.6e", "%.25f",
                                       "%.21e", "%.1f", "%.18e"};
    enum { N = 64 };
    char text[N * 64];
    struct jscan_nums nums = {0};
    double x[N];
    size_t counts[N], round, i, got;
    struct rng r;

    rng_seed(&r, 7);
    for (round = 0; round < 2000; round++) {
        size_t n = 1 + (size_t)rng_below(&r, N), k = 1 + (size_t)rng_below(&r, 5), left = n;
        size_t len = 0;
        const char *fmt = fmts[rng_below(&r, COUNT(fmts))];
        double scale = pow(10, (double)rng_below(&r, 30) - 15), c1, c2;
        struct jscan s;

        text[len++] = '[';
        for (i = 0; i < n; i++) {
            double v = scale * (1 + 0.05 * rng_normal(&r));
            char one[64];

            if (rng_below(&r, 10) == 0)
                v = i ? x[rng_below(&r, i)] : 0;   /* a tie, or a zero */
            snprintf(one, sizeof one, fmt, fabs(v));
            x[i] = strtod(one, NULL);
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i ? ", " : "", one);
        }
        text[len++] = ']';
        text[len] = '\0';
        for (i = 0; i < k; i++) {   /* k processes, some empty */
            counts[i] = i + 1 < k ? (size_t)rng_below(&r, left + 1) : left;
            left -= counts[i];
        }
        s = (struct jscan){text, text + len, NULL, 0};
        nums.n = 0;
        cr_assert_eq(jscan_numbers(&s, 1, &got, &nums, 1), 0, "%s", text);
        cr_assert_eq(got, n);
        cr_assert_eq(nums.n, n);
        {
            struct clustered cl = {x, n, k > 1 ? counts : NULL, k};
            c1 = cluster_centre(&cl);
        }
        c2 = trend_centre_text(nums.d, n, k > 1 ? counts : NULL, k);
        cr_assert(c1 == c2, "round %zu (%s, n %zu, k %zu): %.17g from the values, %.17g from the "
                  "text", round, fmt, n, k, c1, c2);
    }
    free(nums.d);
}

/* hyperfine records no time: the import's is the file's modification time,
 * and the trend is told it is not the run's own.  Google Benchmark's is. */
Test(trend_read, untimed_files)
{
    struct trend_file f;
    struct err e = {0};

    if (access("tests/data/import/good/hyperfine_basic.json", R_OK) != 0)
        cr_skip_test("run from the source directory to read tests/data");
    trend_file_init(&f);
    cr_assert_eq(trend_file_read(&f, "tests/data/import/good/hyperfine_basic.json", 0, &e), 0,
                 "%s", e.msg);
    cr_expect_eq(f.untimed, 1);
    cr_expect_not_null(f.time);
    cr_expect_not_null(f.fingerprint);
    cr_assert_eq(trend_file_read(&f, "tests/data/import/good/gbench_reps.json", 0, &e), 0, "%s",
                 e.msg);
    cr_expect_eq(f.untimed, 0);
    trend_file_free(&f);
}

/* ---- the two readers agree ------------------------------------------------ */

/* What a trend takes from one file, copied out of the trend_file (whose
 * strings last only until its next read). */
struct snap {
    int rc, full;
    char msg[ERR_MAX];
    char *time, *commit, *commit_time, *branch, *fingerprint;
    int untimed;
    struct trend_bench_rec *b;   /* names and units are copies */
    size_t nb;
};

static void snap_read(struct trend_file *f, const char *path, int force_full, struct snap *s)
{
    struct err e = {0};
    size_t i;

    memset(s, 0, sizeof *s);
    s->rc = trend_file_read(f, path, force_full, &e);
    snprintf(s->msg, sizeof s->msg, "%s", e.msg);
    if (s->rc < 0)
        return;
    s->full = f->full;
    s->time = xstrdup(f->time);
    s->commit = xstrdup(f->commit);
    s->commit_time = xstrdup(f->commit_time);
    s->branch = xstrdup(f->branch);
    s->fingerprint = xstrdup(f->fingerprint);
    s->untimed = f->untimed;
    s->nb = f->nb;
    s->b = calloc(f->nb ? f->nb : 1, sizeof *s->b);
    cr_assert_not_null(s->b);
    for (i = 0; i < f->nb; i++) {
        s->b[i] = f->b[i];
        s->b[i].name = xstrdup(f->b[i].name);
        s->b[i].unit = xstrdup(f->b[i].unit);
    }
}

static void snap_free(struct snap *s)
{
    size_t i;

    for (i = 0; i < s->nb; i++) {
        free((char *)s->b[i].name);
        free((char *)s->b[i].unit);
    }
    free(s->b);
    free(s->time);
    free(s->commit);
    free(s->commit_time);
    free(s->branch);
    free(s->fingerprint);
}

/* Read path both ways and expect the same outcome, field by field; 1 when
 * the lean reader read it itself. */
static int expect_alike(struct trend_file *f, const char *path)
{
    struct snap lean, full;
    size_t i;
    int own;

    snap_read(f, path, 0, &lean);
    snap_read(f, path, 1, &full);
    own = lean.rc == 0 && !lean.full;
    cr_expect_eq(lean.rc, full.rc, "%s: lean %d (%s), full %d (%s)", path, lean.rc, lean.msg,
                 full.rc, full.msg);
    cr_expect_str_eq(lean.msg, full.msg, "%s", path);
    if (lean.rc == 0 && full.rc == 0) {
        cr_expect(full.full, "%s: the full read was not full", path);
        cr_expect(same_str(lean.time, full.time), "%s: time", path);
        cr_expect(same_str(lean.commit, full.commit), "%s: commit", path);
        cr_expect(same_str(lean.commit_time, full.commit_time), "%s: commit_time", path);
        cr_expect(same_str(lean.branch, full.branch), "%s: branch", path);
        cr_expect(same_str(lean.fingerprint, full.fingerprint), "%s: fingerprint", path);
        cr_expect_eq(lean.untimed, full.untimed, "%s: untimed", path);
        cr_expect_eq(lean.nb, full.nb, "%s: benchmarks", path);
        for (i = 0; i < lean.nb && i < full.nb; i++) {
            const struct trend_bench_rec *x = &lean.b[i], *y = &full.b[i];

            cr_expect(same_str(x->name, y->name), "%s: [%zu].name", path, i);
            cr_expect(same_str(x->unit, y->unit), "%s: %s: unit", path, y->name);
            cr_expect_eq(x->dir, y->dir, "%s: %s: direction", path, y->name);
            cr_expect(same_double(x->centre, y->centre), "%s: %s: centre %.17g, %.17g", path,
                      y->name, x->centre, y->centre);
            cr_expect(same_double(x->lo, y->lo), "%s: %s: lo %.17g, %.17g", path, y->name,
                      x->lo, y->lo);
            cr_expect(same_double(x->hi, y->hi), "%s: %s: hi %.17g, %.17g", path, y->name,
                      x->hi, y->hi);
            cr_expect_eq(x->n, y->n, "%s: %s: n", path, y->name);
            cr_expect_eq(x->failed, y->failed, "%s: %s: failed", path, y->name);
        }
    }
    snap_free(&lean);
    snap_free(&full);
    return own;
}

/* Every *.json under tests/data, for nftw. */
static char **data_files;
static size_t ndata_files;

static int add_data_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    size_t n = strlen(path);

    (void)st;
    (void)ftw;
    if (type == FTW_F && n > 5 && strcmp(path + n - 5, ".json") == 0) {
        data_files = realloc(data_files, (ndata_files + 1) * sizeof *data_files);
        cr_assert_not_null(data_files);
        data_files[ndata_files++] = xstrdup(path);
    }
    return 0;
}

/* The document of path written again as pacer writes its results (keys
 * sorted, reals with 17 digits) into sorted, when it is JSON; 1 then. */
static int write_sorted(const char *path, const char *sorted)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    int rc;

    if (!root)
        return 0;
    rc = json_dump_file(root, sorted, JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_INDENT(1));
    json_decref(root);
    cr_assert_eq(rc, 0, "%s: cannot write %s", path, sorted);
    return 1;
}

/* Every file as it is, and written again with its keys in pacer's order:
 * most files under tests/data are written by hand, in another order, which
 * the lean reader leaves to the full one; in pacer's order it takes them
 * on, and must then refuse every bad one itself. */
Test(trend_read, every_data_file_reads_alike)
{
    struct trend_file f;
    size_t i, own = 0, own_sorted = 0, nsorted = 0;

    if (access("tests/data/result/good", R_OK) != 0)
        cr_skip_test("run from the source directory to read tests/data");
    cr_assert_eq(nftw("tests/data", add_data_file, 16, FTW_PHYS), 0);
    cr_assert_gt(ndata_files, 100);
    trend_file_init(&f);
    for (i = 0; i < ndata_files; i++) {
        own += (size_t)expect_alike(&f, data_files[i]);
        if (write_sorted(data_files[i], tmp_path("sorted.json"))) {
            nsorted++;
            own_sorted += (size_t)expect_alike(&f, tmp_path("sorted.json"));
        }
        free(data_files[i]);
    }
    trend_file_free(&f);
    free(data_files);
    cr_log_info("read by the lean reader: %zu of %zu files under tests/data, %zu of %zu of "
                "them in pacer's order", own, ndata_files, own_sorted, nsorted);
    cr_expect_geq(own_sorted, 20);
}

Test(trend_read, the_results_pacer_run_writes_read_alike)
{
    char out[3][300];
    struct trend_file f;
    struct out o;
    int i;

    snprintf(out[0], sizeof out[0], "%s", tmp_path("micro.json"));
    snprintf(out[1], sizeof out[1], "%s", tmp_path("command.json"));
    snprintf(out[2], sizeof out[2], "%s", tmp_path("params.json"));
    o = run_pacer("run", faulty_bin(), "--filter", "^faulty/(ok|segv)$", "--samples", "3",
                  "--warmup", "1ms", "--sample-time", "1ms", "--out", out[0], "-q");
    cr_assert_eq(o.code, 3, "stderr: %s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", "--cmd", "true", "-n", "noop", "--samples", "3", "--out", out[1], "-q");
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", faulty_bin(), "--filter", "ok$", "--samples", "2", "--processes", "2",
                  "--warmup", "1ms", "--sample-time", "1ms", "--out", out[2], "-q");
    cr_assert_eq(o.code, 0, "stderr: %s", o.stderr_s);
    out_free(&o);
    trend_file_init(&f);
    for (i = 0; i < 3; i++)
        cr_expect(expect_alike(&f, out[i]), "%s: not read by the lean reader", out[i]);
    trend_file_free(&f);
}

Test(trend_read, the_files_result_save_writes_read_alike)
{
    static const struct tf_bench bs[] = {
        {"q\"uote\\d/\xc3\xa9t\xc3\xa9\t\x01", 123.5, NULL, DIR_LOWER, 0},
        {"rate", 9000, "req/s", DIR_HIGHER, 0},
        {"dead", 1, NULL, DIR_LOWER, 1},
        {"tiny", 5e-324, "s", DIR_LOWER, 0},
        {"huge", 1.7976931348623157e308 / 2, "bytes", DIR_HIGHER, 0},
    };
    struct trend_file f;

    tf_write(tmp_path("a.json"), "2026-01-01T10:00:00Z", "abcdef0", "2026-01-01T09:00:00Z", bs, 5);
    tf_write(tmp_path("b.json"), "2026-01-01T10:00:00+02:00", NULL, NULL, bs + 1, 2);
    tf_write(tmp_path("c.json"), "2026-01-01T10:00:00Z", NULL, NULL, bs, 0);
    trend_file_init(&f);
    cr_expect(expect_alike(&f, tmp_path("a.json")), "a.json: not read by the lean reader");
    cr_expect(expect_alike(&f, tmp_path("b.json")), "b.json: not read by the lean reader");
    cr_expect(expect_alike(&f, tmp_path("c.json")), "c.json: not read by the lean reader");
    trend_file_free(&f);
}
