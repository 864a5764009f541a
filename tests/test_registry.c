/* test_registry.c: benchmark definitions expanded into instances (registry.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/registry.h"

static void body(pacer_state *st)
{
    while (pacer_loop(st))
        ;
}

static void expand_ok(struct instance **in, size_t *n)
{
    struct err e = {0};

    cr_assert_eq(registry_expand(in, n, &e), 0, "%s", e.msg);
}

static void expand_fails(const char *msg)
{
    struct instance *in = NULL;
    size_t n = 0;
    struct err e = {0};

    cr_assert_eq(registry_expand(&in, &n, &e), -1);
    cr_assert_str_eq(e.msg, msg);
    free(in);
}

Test(registry, range_like_google_benchmark)
{
    struct pacer_axis ax = PACER_RANGE("size", 64, 64 << 10, 4);
    long long *v;
    size_t n;
    struct err e = {0};

    cr_assert_eq(registry_axis_values(&ax, &v, &n, &e), 0);
    cr_assert_eq(n, 6);
    cr_assert_arr_eq(v, ((long long[]){64, 256, 1024, 4096, 16384, 65536}), 6 * sizeof *v);
    free(v);
}

Test(registry, range_ends_with_hi)
{
    struct pacer_axis ax = PACER_RANGE("n", 1, 100, 8);
    struct pacer_axis zero = PACER_RANGE("n", 0, 4, 2);
    long long *v;
    size_t n;
    struct err e = {0};

    cr_assert_eq(registry_axis_values(&ax, &v, &n, &e), 0);
    cr_assert_eq(n, 4);
    cr_assert_arr_eq(v, ((long long[]){1, 8, 64, 100}), 4 * sizeof *v);
    free(v);
    cr_assert_eq(registry_axis_values(&zero, &v, &n, &e), 0);
    cr_assert_eq(n, 4);
    cr_assert_arr_eq(v, ((long long[]){0, 1, 2, 4}), 4 * sizeof *v);
    free(v);
}

Test(registry, bad_ranges)
{
    struct pacer_axis a = PACER_RANGE("n", 10, 1, 2), b = PACER_RANGE("n", 1, 10, 1);
    long long *v = NULL;
    size_t n;
    struct err e = {0};

    cr_assert_eq(registry_axis_values(&a, &v, &n, &e), -1);
    cr_assert_str_eq(e.msg, "parameter n: range 10..1 is empty or negative");
    err_clear(&e);
    cr_assert_eq(registry_axis_values(&b, &v, &n, &e), -1);
    cr_assert_str_eq(e.msg, "parameter n: range multiplier 1 must be at least 2");
}

static struct pacer_def second = {.name = "second", .fn = body, .file = "a.c", .line = 20};
static struct pacer_def first = {.name = "first", .fn = body, .group = "g", .file = "a.c",
                                 .line = 10,
                                 .params = {PACER_LIST("a", 1, 2), PACER_LIST("b", 7, 8, 9)}};

Test(registry, cartesian_product_in_source_order)
{
    struct instance *in;
    size_t n;

    registry_reset();
    pacer_register(&second);
    pacer_register(&first);
    expand_ok(&in, &n);
    cr_assert_eq(n, 7);
    cr_assert_str_eq(in[0].name, "g/first/a=1/b=7");
    cr_assert_str_eq(in[1].name, "g/first/a=1/b=8");
    cr_assert_str_eq(in[2].name, "g/first/a=1/b=9");
    cr_assert_str_eq(in[3].name, "g/first/a=2/b=7");
    cr_assert_str_eq(in[5].name, "g/first/a=2/b=9");
    cr_assert_eq(in[5].nargs, 2);
    cr_assert_eq(in[5].args[0], 2);
    cr_assert_eq(in[5].args[1], 9);
    cr_assert_str_eq(in[6].name, "second");
    free(in);
}

Test(registry, duplicate_names)
{
    static struct pacer_def a = {.name = "x", .fn = body, .file = "a.c", .line = 1};
    static struct pacer_def b = {.name = "x", .fn = body, .file = "b.c", .line = 2};

    registry_reset();
    pacer_register(&a);
    pacer_register(&b);
    expand_fails("two benchmarks are named x (a.c:1 and b.c:2)");
}

Test(registry, bad_names)
{
    static struct pacer_def a = {.name = "has space", .fn = body, .file = "a.c", .line = 3};
    static struct pacer_def g = {.name = "ok", .group = "g h", .fn = body, .file = "a.c", .line = 4};
    static struct pacer_def r = {.name = "ok", .fn = body, .file = "a.c", .line = 5,
                                 .params = {PACER_RANGE("n", 4, 2, 2)}};

    registry_reset();
    pacer_register(&a);
    expand_fails("a.c:3: benchmark name 'has space' may hold only letters, digits, '_', '-', '.'");
    registry_reset();
    pacer_register(&g);
    expand_fails("a.c:4: group 'g h' may hold only letters, digits, '_', '-', '.', '/'");
    registry_reset();
    pacer_register(&r);
    expand_fails("a.c:5: benchmark ok: parameter n: range 4..2 is empty or negative");
}

/* Manual time and threads in the name as Google Benchmark puts them
 * (BM_x/8/manual_time/threads:2), thread counts inside each point of the
 * axes; ->ThreadRange(1, 6) is 1, 2, 4, 6. */
Test(registry, threads_and_manual_time_in_the_name)
{
    struct pacer_def a = {.name = "a", .fn = body, .file = "a.c", .line = 1,
                          .params = {PACER_LIST("n", 8, 9)}, .manual_time = 1,
                          .threads = 2};
    static struct pacer_def b = {.name = "b", .fn = body, .file = "a.c", .line = 2,
                                 .threads = 1, .threads_max = 6};
    static struct pacer_def c = {.name = "c", .fn = body, .file = "a.c", .line = 3,
                                 .threads = 4, .threads_max = 2};
    struct pacer_def d = {.name = "d", .fn = body, .file = "a.c", .line = 4,
                          .params = {PACER_LIST("threads", 1)}, .threads = 2};
    static struct pacer_def f = {.name = "f", .fn = body, .file = "a.c", .line = 5,
                                 .threads = 2000};
    const char *want[] = {"a/n=8/manual_time/threads:2", "a/n=9/manual_time/threads:2",
                          "b/threads:1", "b/threads:2", "b/threads:4", "b/threads:6"};
    const unsigned threads[] = {2, 2, 1, 2, 4, 6};
    struct instance *in;
    size_t n, i;

    registry_reset();
    pacer_register(&a);
    pacer_register(&b);
    expand_ok(&in, &n);
    cr_assert_eq(n, 6);
    for (i = 0; i < n; i++) {
        cr_assert_str_eq(in[i].name, want[i]);
        cr_assert_eq(in[i].threads, threads[i]);
    }
    free(in);
    registry_reset();
    pacer_register(&c);
    expand_fails("a.c:3: benchmark c: .threads_max 2 is below .threads 4");
    registry_reset();
    pacer_register(&d);
    expand_fails("a.c:4: benchmark d: a parameter named threads and .threads");
    registry_reset();
    pacer_register(&f);
    expand_fails("a.c:5: benchmark f: at most 1024 threads");
}

static void macro_bench(pacer_state *st)
{
    while (pacer_loop(st))
        ;
}
PACER_BENCHMARK(macro_bench, .params = {PACER_RANGE("size", 8, 32, 2)});

Test(registry, macro_registers_with_file_and_line)
{
    struct instance *in;
    size_t n;

    expand_ok(&in, &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(in[0].name, "macro_bench/size=8");
    cr_assert_str_eq(in[2].name, "macro_bench/size=32");
    cr_assert_str_eq(in[0].def->file, "tests/test_registry.c");
    cr_assert_gt(in[0].def->line, 0);
    cr_assert_not_null(strstr(in[0].def->compiler, "gcc"));
    free(in);
}

/* pacer.h in C++: a benchmark written in C++ (g++ in C++11 and C++20,
 * warnings as errors) registers with its name, group, ranges and lists,
 * and runs. */
Test(registry, cxx_benchmarks_register)
{
    const char *b = getenv("PACER_BUILD");
    const char *stds[] = {"c++11", "c++20"};
    char dir[] = "/tmp/pacer-cxx-XXXXXX", cmd[2048], out[4096];
    FILE *f;
    size_t i, n;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "%s/b.cc", dir);
    cr_assert_not_null(f = fopen(cmd, "w"));
    fputs("#include <pacer.h>\n#include <vector>\n"
          "static void vec(pacer_state *st) {\n"
          "    std::vector<int> v((size_t)pacer_param(st, \"size\"), 1);\n"
          "    PACER_LOOP(st) { int s = 0; for (int x : v) s += x; pacer_do_not_optimize(s); }\n"
          "}\n"
          "PACER_BENCHMARK(vec, .group = \"cxx\", .params = {PACER_RANGE(\"size\", 8, 16, 2),\n"
          "                PACER_LIST(\"k\", 3, 5)});\n"
          "static void plain(pacer_state *st) { PACER_LOOP(st) { pacer_clobber(); } }\n"
          "PACER_BENCHMARK(plain);\n"
          "static void par(pacer_state *st) {\n"
          "    PACER_LOOP(st) { pacer_set_iteration_time(st, 1e-6 * (pacer_thread_index(st) + 1)); }\n"
          "}\n"
          "PACER_BENCHMARK(par, .params = {PACER_LIST(\"k\", 1)}, .samples = 3,\n"
          "                .manual_time = 1, .threads = 1, .threads_max = 2,\n"
          "                .complexity = PACER_OAUTO);\n", f);
    fclose(f);
    for (i = 0; i < 2; i++) {
        /* a sanitized build's library needs the sanitizers' runtime */
        snprintf(cmd, sizeof cmd,
                 "L=%s/libpacer.a; S=$(nm $L 2>/dev/null | grep -q __asan_ && "
                 "echo -fsanitize=address,undefined); g++ -std=%s -Wall -Wextra -Werror -O2 "
                 "-Iharness/lib %s/b.cc $L -lm -lpthread $S -o %s/b 2>&1 && %s/b --list 2>&1",
                 b && *b ? b : "build", stds[i], dir, dir, dir);
        cr_assert_not_null(f = popen(cmd, "r"));
        n = fread(out, 1, sizeof out - 1, f);
        out[n] = '\0';
        cr_assert_eq(pclose(f), 0, "%s\n%s", cmd, out);
        cr_assert_str_eq(out, "cxx/vec/size=8/k=3\ncxx/vec/size=8/k=5\ncxx/vec/size=16/k=3\n"
                              "cxx/vec/size=16/k=5\nplain\npar/k=1/manual_time/threads:1\n"
                              "par/k=1/manual_time/threads:2\n", "%s", stds[i]);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
