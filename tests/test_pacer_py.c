/*
 * test_pacer_py.c: Python benchmark files (harness/lib/pacer.py) under
 * pacer run, and on their own.  Each test writes a small benchmark file
 * into its scratch directory and runs the pacer of the build directory on
 * it (so /usr/bin/python3 with the source tree's pacer.py): the benchmarks
 * and their samples in the result, a function sleeping twice as long
 * measured about twice as long, coroutines on a fresh and a reused event
 * loop, an exception as that benchmark's error while the others run, a
 * syntax error as bad input, what Python cannot count, a suite file's
 * micro entry, and the standalone table.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(pacer_py, .init = tmp_setup, .fini = tmp_teardown, .timeout = 120);

/* Settings that keep a run short. */
#define QUICK "--samples", "5", "--warmup", "20ms", "--sample-time", "3ms"

static const char bench_py[] =
    "import asyncio, os, time\n"
    "import pacer\n"
    "\n"
    "OUT = os.path.dirname(os.path.abspath(__file__))\n"
    "\n"
    "@pacer.bench\n"
    "def sleep_1ms():\n"
    "    time.sleep(0.001)\n"
    "\n"
    "@pacer.bench\n"
    "def sleep_2ms():\n"
    "    time.sleep(0.002)\n"
    "\n"
    "@pacer.bench(params={'n': [10, 1000]}, setup=lambda n: list(range(n)))\n"
    "def total(data, n):\n"
    "    sum(data)\n"
    "\n"
    "@pacer.bench\n"
    "def fails():\n"
    "    raise KeyError('missing')\n"
    "\n"
    "loops = []   # each loop seen, kept alive so that no two share an id\n"
    "\n"
    "def count_loops(name):\n"
    "    with open(os.path.join(OUT, name), 'w') as f:\n"
    "        f.write(str(len({id(x) for x in loops})))\n"
    "\n"
    "def seen(loop):\n"
    "    if not loops or loops[-1] is not loop:\n"
    "        loops.append(loop)\n"
    "\n"
    "@pacer.bench(loop='fresh', teardown=lambda _: count_loops('fresh.loops'))\n"
    "async def tick_fresh():\n"
    "    seen(asyncio.get_running_loop())\n"
    "    await asyncio.sleep(0)\n"
    "\n"
    "@pacer.bench(teardown=lambda _: count_loops('reused.loops'))\n"
    "async def tick_reused():\n"
    "    seen(asyncio.get_running_loop())\n"
    "    await asyncio.sleep(0)\n";

static char *file_text(const char *name)
{
    char *s = slurp(tmp_path(name), NULL);

    cr_assert_not_null(s, "%s not written", name);
    return s;
}

Test(pacer_py, functions_and_coroutines_in_a_result)
{
    struct result r;
    const struct bench *b1, *b2, *b;
    struct out o;
    char *s;
    double ratio;

    write_file(tmp_path("bench.py"), bench_py);
    o = run_pacer("run", tmp_path("bench.py"), QUICK, "--out", tmp_path("r.json"));
    cr_expect_eq(o.code, 3, "one benchmark fails: exit 3\n%s", o.stderr_s);
    cr_expect_not_null(strstr(o.stdout_s, "bench.py/fails: calibration: KeyError: 'missing' "
                                          "(bench.py:20)"), "%s", o.stdout_s);
    out_free(&o);
    load_ok(tmp_path("r.json"), &r);
    cr_expect_str_eq(r.suite, "bench.py");
    cr_expect_not_null(strstr(r.ctx.compiler, "CPython 3."), "%s", r.ctx.compiler);
    cr_assert_eq(r.nbenches, 7u);

    b1 = bench_named(&r, "bench.py/sleep_1ms");
    b2 = bench_named(&r, "bench.py/sleep_2ms");
    cr_expect_eq(b1->kind, KIND_MICRO);
    cr_expect_eq(b1->nsamples, 5u);
    cr_expect_eq(b2->nsamples, 5u);
    cr_expect_null(b1->error);
    cr_expect_gt(b1->nref, 0u, "the Python reference workload ran");
    metric(b1, "cpu");
    /* a sleep of 2 ms against one of 1 ms: their least samples, which a
     * busy machine lengthens least; each sleep oversleeps by up to half a
     * millisecond on a loaded machine, so their ratio is 1.4 to 2 there */
    ratio = b2->st.min / b1->st.min;
    cr_expect(ratio > 1.25 && ratio < 2.2, "2 ms / 1 ms: %g (%g ns, %g ns)", ratio, b2->st.min,
              b1->st.min);
    cr_expect(b1->st.min > 1e6 && b1->st.min < 3e6, "%g ns", b1->st.min);

    b = bench_named(&r, "bench.py/total/n=1000");
    cr_expect_eq(b->nsamples, 5u);
    cr_assert_eq(b->nparams, 1u);
    cr_expect_str_eq(b->params[0].name, "n");
    cr_expect(b->params[0].is_int);
    cr_expect_eq(b->params[0].ival, 1000);
    cr_expect_gt(b->iterations, 10u);
    cr_expect_gt(b->st.median, bench_named(&r, "bench.py/total/n=10")->st.median);

    b = bench_named(&r, "bench.py/fails");
    cr_assert_not_null(b->error);
    cr_expect_str_eq(b->error->message, "calibration: KeyError: 'missing' (bench.py:20)");
    cr_expect_not_null(strstr(b->error->stderr_tail, "Traceback"), "%s", b->error->stderr_tail);
    cr_expect_eq(b->nsamples, 0u);

    /* a fresh loop per sample (calibration, warmup and samples: many), one
     * loop for all of them */
    cr_expect_eq(bench_named(&r, "bench.py/tick_fresh")->nsamples, 5u);
    cr_expect_eq(bench_named(&r, "bench.py/tick_reused")->nsamples, 5u);
    /* the result says which loop: a parameter of each coroutine */
    b = bench_named(&r, "bench.py/tick_fresh");
    cr_assert_eq(b->nparams, 1u);
    cr_expect_str_eq(b->params[0].name, "loop");
    cr_expect_str_eq(b->params[0].value, "fresh");
    b = bench_named(&r, "bench.py/tick_reused");
    cr_assert_eq(b->nparams, 1u);
    cr_expect_str_eq(b->params[0].value, "reused");
    s = file_text("reused.loops");
    cr_expect_str_eq(s, "1");
    free(s);
    s = file_text("fresh.loops");
    cr_expect_geq(atoi(s), 6, "%s loops", s);
    free(s);
    result_free(&r);
}

Test(pacer_py, a_syntax_error_is_bad_input)
{
    struct out o;

    write_file(tmp_path("bad.py"), "import pacer\n\n@pacer.bench\ndef f(:\n    pass\n");
    o = run_pacer("run", tmp_path("bad.py"), QUICK, "--out", tmp_path("r.json"));
    cr_expect_eq(o.code, 2);
    cr_expect(ends_with(o.stderr_s, "bad.py: bad.py:4: SyntaxError: invalid syntax\n"), "%s",
              o.stderr_s);
    cr_expect_eq(strchr(o.stderr_s, '\n'), o.stderr_s + strlen(o.stderr_s) - 1, "one line: %s",
                 o.stderr_s);
    cr_expect_not(exists(tmp_path("r.json")), "no result written");
    out_free(&o);

    /* a definition pacer cannot use, and an import that fails */
    write_file(tmp_path("def.py"), "import pacer\n\n@pacer.bench(name='a b')\ndef f():\n"
                                   "    pass\n");
    o = run_pacer("run", tmp_path("def.py"), QUICK);
    cr_expect_eq(o.code, 2);
    cr_expect(ends_with(o.stderr_s, "def.py: def.py:3: benchmark a b: a name may hold only "
                                    "letters, digits, '_', '-', '.'\n"), "%s", o.stderr_s);
    out_free(&o);
    write_file(tmp_path("imp.py"), "import pacer\nimport no_such_module_here\n");
    o = run_pacer("run", tmp_path("imp.py"), QUICK);
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "imp.py: ModuleNotFoundError: No module named "
                                          "'no_such_module_here' (imp.py:2)"), "%s", o.stderr_s);
    out_free(&o);
    o = run_pacer("run", tmp_path("none.py"), QUICK);
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "none.py: not a suite file (*.json), an executable "
                                          "suite binary nor a readable Python file (*.py)"),
                       "%s", o.stderr_s);
    out_free(&o);
}

Test(pacer_py, what_python_cannot_count_is_said)
{
    struct result r;
    struct out o;

    write_file(tmp_path("b.py"), "import pacer\n\n@pacer.bench\ndef nop():\n    pass\n");
    o = run_pacer("run", tmp_path("b.py"), QUICK, "--mode", "instructions", "--out",
                  tmp_path("r.json"));
    cr_expect_eq(o.code, 3, "%s", o.stderr_s);
    out_free(&o);
    load_ok(tmp_path("r.json"), &r);
    cr_assert_not_null(r.benches[0].error);
    cr_expect_str_eq(r.benches[0].error->message, "a Python benchmark cannot count "
                     "instructions (pacer run --mode instructions needs a C suite binary)");
    result_free(&r);
}

Test(pacer_py, a_suite_file_runs_a_python_file)
{
    struct result r;
    struct out o;
    const struct bench *b;

    write_file(tmp_path("b.py"),
               "import asyncio\nimport pacer\n\n@pacer.bench(samples=4)\ndef nop():\n"
               "    pass\n\n@pacer.bench(uvloop=True, samples=3)\nasync def uv():\n"
               "    await asyncio.sleep(0)\n");
    write_file(tmp_path("s.json"), "{\"name\": \"py\", \"settings\": {\"warmup\": \"20ms\", "
                                   "\"sample_time\": \"3ms\"},\n"
                                   " \"micro\": [{\"binary\": \"b.py\"}]}\n");
    o = run_pacer("run", tmp_path("s.json"), "--out", tmp_path("r.json"));
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    load_ok(tmp_path("r.json"), &r);
    cr_expect_eq(bench_named(&r, "b.py/nop")->nsamples, 4u, "the definition's samples=4");
    b = bench_named(&r, "b.py/uv");
    cr_expect_null(b->error);
    if (!b->skipped)   /* uvloop installed */
        cr_expect_eq(b->nsamples, 3u);
    else
        cr_expect_str_eq(b->skipped, "uvloop is not installed (python3-uvloop)");
    result_free(&r);
}

Test(pacer_py, standalone_prints_a_table)
{
    char cmd[1024], lib[512], line[512];
    FILE *f;
    int rows = 0;

    snprintf(lib, sizeof lib, "%s/harness/lib", getcwd(line, sizeof line));
    write_file(tmp_path("b.py"), "import pacer\n\n@pacer.bench(params={'n': pacer.range(8, "
                                 "512, 8)})\ndef loop(n):\n    for _ in range(n): pass\n\n"
                                 "if __name__ == '__main__':\n    pacer.main()\n");
    snprintf(cmd, sizeof cmd, "cd %s && PYTHONPATH=%s /usr/bin/python3 b.py --samples 3 "
             "--warmup 0.01 --sample-time 0.002", tmp_dir(), lib);
    f = popen(cmd, "r");
    cr_assert_not_null(f);
    cr_assert_not_null(fgets(line, sizeof line, f));
    cr_expect(!strncmp(line, "benchmark", 9), "%s", line);
    while (fgets(line, sizeof line, f))
        rows += !strncmp(line, "loop/n=", 7);
    cr_expect_eq(pclose(f), 0);
    cr_expect_eq(rows, 3, "loop/n=8, 64 and 512");
}
