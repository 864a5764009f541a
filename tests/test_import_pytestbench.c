/*
 * test_import_pytestbench.c: pytest-benchmark's JSON read as a result
 * (compare/import/import_pytestbench.c).  tests/data/import/good/ holds
 * files pytest-benchmark 3.2.2 wrote itself for
 * tests/data/import/pytest/test_sums.py in a git repository:
 * pytestbench_json.json from --benchmark-json (raw rounds in stats.data)
 * and pytestbench_saved.json from --benchmark-autosave (statistics only).
 * The expected numbers are copied from those files.  When pytest and
 * pytest-benchmark are installed, pytest runs live too, so that a change
 * of their format shows here.  The bad files are tests/data/import/bad's
 * pytestbench_* (test_import.c checks their messages).  Run from the
 * repository root (the paths are relative to it).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/import/import.h"
#include "helpers.h"
#include "result_files.h"

#define DATA "tests/data/import"

TestSuite(pytestbench, .init = tmp_setup, .fini = tmp_teardown, .timeout = 120);

/* The parameter of b of that name, or NULL. */
static const struct param *param_of(const struct bench *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nparams; i++)
        if (!strcmp(b->params[i].name, name))
            return &b->params[i];
    return NULL;
}

static const char *const names[] = {
    "test_sums.py::test_sum",         "test_sums.py::test_sum_n[10]",
    "test_sums.py::test_sum_n[1000]", "test_sums.py::test_build[list]",
    "test_sums.py::test_build[tuple]",
};

Test(pytestbench, raw_rounds_are_the_samples)
{
    struct result r;
    const struct bench *b;
    const struct param *p;
    size_t i;

    import_ok(DATA "/good/pytestbench_json.json", &r, IMPORT_PYTESTBENCH);
    cr_expect_str_eq(r.suite, "pytestbench_json");
    cr_expect_str_eq(r.ctx.pacer_version, "imported");
    cr_expect_str_eq(r.ctx.time, "2026-12-07T01:39:50Z");
    cr_expect_str_eq(r.ctx.hostname, "vm");
    cr_expect_str_eq(r.ctx.cpu_model, "AMD EPYC");
    cr_expect_str_eq(r.ctx.kernel, "Linux 6.18.44-fc-v1272");
    cr_expect_str_eq(r.ctx.compiler, "CPython 3.11.2");
    cr_expect_str_eq(r.ctx.cflags, "pytest-benchmark 3.2.2, Python built by GCC 12.2.0");
    cr_expect_str_eq(r.ctx.git_commit, "645ef2f23de8c37ec2c99821f99c6346b5d88c3c");
    cr_expect_str_eq(r.ctx.git_branch, "main");
    cr_expect_str_eq(r.ctx.git_commit_time, "2026-12-07T01:39:48Z");
    cr_expect_eq(r.ctx.git_dirty, 0);
    cr_expect(is_hex16(r.ctx.fingerprint));
    cr_assert_eq(r.nbenches, 5u);
    for (i = 0; i < 5; i++)
        cr_expect_str_eq(r.benches[i].name, names[i]);

    b = &r.benches[0];
    cr_expect_eq(b->kind, KIND_MICRO);
    cr_expect_str_eq(b->unit, "ns");
    cr_expect_eq(b->dir, DIR_LOWER);
    cr_expect_eq(b->iterations, 20u);
    cr_expect_eq(b->nparams, 0u);
    cr_assert_eq(b->nsamples, 70u);   /* stats.rounds */
    cr_expect(rel_eq(b->samples[0], 5.650501407217234e-07 * 1e9, 1e-15), "%.17g", b->samples[0]);
    cr_expect(rel_eq(b->samples[1], 5.405501724453643e-07 * 1e9, 1e-15), "%.17g", b->samples[1]);
    /* pytest-benchmark's own statistics of the same rounds */
    cr_expect(rel_eq(b->st.min, 5.294998118188232e-07 * 1e9, 1e-12), "%.17g", b->st.min);
    cr_expect(rel_eq(b->st.max, 2.03929994313512e-06 * 1e9, 1e-12), "%.17g", b->st.max);
    cr_expect(rel_eq(b->st.median, 5.339999916031956e-07 * 1e9, 1e-12), "%.17g", b->st.median);
    cr_expect(rel_eq(b->st.mean, 5.772150117471548e-07 * 1e9, 1e-12), "%.17g", b->st.mean);

    b = &r.benches[2];
    cr_expect_eq(b->iterations, 1u);
    cr_expect_eq(b->nsamples, 225u);
    cr_expect(rel_eq(b->st.median, 7.433998689521104e-06 * 1e9, 1e-12), "%.17g", b->st.median);
    cr_assert_not_null(p = param_of(b, "n"));
    cr_expect(p->is_int);
    cr_expect_eq(p->ival, 1000);
    cr_assert_not_null(p = param_of(&r.benches[4], "kind"));
    cr_expect_not(p->is_int);
    cr_expect_str_eq(p->value, "tuple");
    result_free(&r);
}

Test(pytestbench, a_summary_gives_its_rounds_through_its_quartiles)
{
    struct result r;
    const struct bench *b;
    size_t i;

    import_ok(DATA "/good/pytestbench_saved.json", &r, IMPORT_PYTESTBENCH);
    cr_expect_str_eq(r.ctx.cflags, "pytest-benchmark 3.2.2, Python built by GCC 12.2.0; samples "
                                   "rebuilt from quartiles (no stats.data)");
    cr_assert_eq(r.nbenches, 5u);
    for (i = 0; i < 5; i++)
        cr_expect_str_eq(r.benches[i].name, names[i]);
    b = &r.benches[0];
    cr_expect_eq(b->iterations, 20u);
    cr_assert_eq(b->nsamples, 147u);   /* stats.rounds */
    /* the file's min, median, max and mean come back, and its quartiles lie
     * between the samples around them (36.5 and 109.5 steps of 146) */
    cr_expect(rel_eq(b->st.min, 5.2800023695454e-07 * 1e9, 1e-12), "%.17g", b->st.min);
    cr_expect(rel_eq(b->st.max, 1.1742002243408934e-06 * 1e9, 1e-12), "%.17g", b->st.max);
    cr_expect(rel_eq(b->st.median, 5.339999916031956e-07 * 1e9, 1e-12), "%.17g", b->st.median);
    cr_expect(b->samples[36] <= 5.309624611982144e-07 * 1e9 &&
              5.309624611982144e-07 * 1e9 <= b->samples[37]);
    cr_expect(b->samples[109] <= 5.388750651036389e-07 * 1e9 &&
              5.388750651036389e-07 * 1e9 <= b->samples[110]);
    for (i = 1; i < b->nsamples; i++)
        cr_expect(b->samples[i] >= b->samples[i - 1]);
    cr_expect(rel_eq(b->st.mean, 5.651788954737083e-07 * 1e9, 1e-9), "%.17g", b->st.mean);
    /* the stddev is an estimate (the file's: 1.22e-07 s) */
    cr_expect(b->st.stddev > 0.3e-07 * 1e9 && b->st.stddev < 3e-07 * 1e9, "%.17g", b->st.stddev);
    result_free(&r);
}

/* The output of a shell command, as a new string (NULL when it failed). */
static char *capture(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c, rc;

    cr_assert_not_null(f, "%s", cmd);
    while ((c = fgetc(f)) != EOF)
        fputc(c, m);
    rc = pclose(f);
    fclose(m);
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

Test(pytestbench, pytest_as_installed_writes_what_imports)
{
    char cmd[2048], *s, path[1024];
    struct result r;
    size_t i;

    if (system("/usr/bin/python3 -c 'import pytest, pytest_benchmark' 2>/dev/null") != 0)
        cr_skip_test("pytest-benchmark is not installed (python3-pytest-benchmark)");
    snprintf(cmd, sizeof cmd,
             "cp " DATA "/pytest/test_sums.py %s/ && cd %s && /usr/bin/python3 -m pytest -q "
             "-p no:cacheprovider test_sums.py --benchmark-max-time=0.002 "
             "--benchmark-min-rounds=5 --benchmark-json=live.json --benchmark-storage=store "
             "--benchmark-autosave >pytest.out 2>&1 && ls store/*/*.json",
             tmp_dir(), tmp_dir());
    s = capture(cmd);
    cr_assert_not_null(s, "pytest failed: %s", slurp(tmp_path("pytest.out"), NULL));
    s[strcspn(s, "\n")] = '\0';
    snprintf(path, sizeof path, "%s/%s", tmp_dir(), s);
    free(s);

    import_ok(tmp_path("live.json"), &r, IMPORT_PYTESTBENCH);
    cr_assert_eq(r.nbenches, 5u);
    for (i = 0; i < 5; i++) {
        cr_expect_str_eq(r.benches[i].name, names[i]);
        cr_expect_geq(r.benches[i].nsamples, 5u);
        cr_expect_geq(r.benches[i].iterations, 1u);
        cr_expect(r.benches[i].st.median > 0);
    }
    result_free(&r);
    import_ok(path, &r, IMPORT_PYTESTBENCH);   /* the saved one: statistics only */
    cr_assert_eq(r.nbenches, 5u);
    cr_expect_not_null(strstr(r.ctx.cflags, "rebuilt from quartiles"), "%s", r.ctx.cflags);
    for (i = 0; i < 5; i++)
        cr_expect_geq(r.benches[i].nsamples, 5u);
    result_free(&r);
}

Test(pytestbench, compare_show_and_trend_read_it)
{
    struct out o;

    o = run_pacer("compare", DATA "/good/pytestbench_json.json",
                  DATA "/good/pytestbench_saved.json");
    cr_expect_neq(o.code, 2, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "test_sums.py::test_sum_n[1000]"), "%s", o.stdout_s);
    /* its advice is pytest's, not another tool's */
    cr_expect_not_null(strstr(o.stdout_s, "pytest-benchmark files: each benchmark's noise is "
                                          "from its rounds"), "%s", o.stdout_s);
    cr_expect_null(strstr(o.stdout_s, "Google Benchmark"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("show", DATA "/good/pytestbench_saved.json");
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "compiler CPython 3.11.2"), "%s", o.stdout_s);
    cr_expect_not_null(strstr(o.stdout_s, "test_sums.py::test_build[tuple]"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("trend", DATA "/good/pytestbench_json.json",
                  DATA "/good/pytestbench_saved.json");
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "test_sums.py::test_sum"), "%s", o.stdout_s);
    out_free(&o);
    o = run_pacer("compare", DATA "/good/pytestbench_json.json",
                  DATA "/bad/pytestbench_data_negative.json");
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: " DATA "/bad/pytestbench_data_negative.json: "
                                 "benchmarks[1].stats.data[3]: expected a finite number >= 0, "
                                 "got -1e-06\n");
    out_free(&o);
}
