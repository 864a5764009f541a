/* test_registry.c: benchmark definitions expanded into instances (registry.c). */
#include <criterion/criterion.h>
#include <stdlib.h>

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
