/*
 * test_profile.c: harness/result/profile.c, callgrind's output read as
 * stacks and functions.  The text below has the shape callgrind 3.19
 * writes with --separate-callers (a real dump, cut down); the expected
 * costs are summed by hand from its cost lines.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness/result/profile.h"
#include "helpers.h"

TestSuite(profile, .init = tmp_setup, .fini = tmp_teardown);

/* bench calls lcg (twice, from two lines) and extra; extra calls lcg.
 * Self: bench 3+4 = 7, lcg'bench 100+100 = 200, extra'bench 5,
 * lcg'extra'bench 50, measure_once's own 2 (cut: no frame), main's 1 (not
 * under measure_once: kept whole).  Total 265 over iters=5: 53 an
 * iteration.  Inclusive: bench 262, lcg 250, extra 55. */
static const char text[] =
    "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\n"
    "desc: Trigger: Client Request: pacer profile iters=5\n"
    "positions: line\nevents: Ir\nsummary: 265\n\n"
    "ob=/x/bench\nfl=/src/main.c\nfn=main'(below main)\n"
    "cfn=measure_once'main'(below main)\ncalls=1 7\n9 264\n12 1\n"
    "fl=/src/measure.c\nfn=measure_once'main'(below main)\n"
    "cfn=bench'measure_once'main'(below main)\ncalls=1 40\n45 262\n46 2\n"
    "fl=/src/bench.c\nfn=bench'measure_once'main'(below main)\n10 3\n"
    "cfn=lcg'bench'measure_once'main'(below main)\ncalls=1 20\n11 100\n"
    "cfn=lcg'bench'measure_once'main'(below main)\ncalls=1 20\n12 100\n"
    "cfn=extra'bench'measure_once'main'(below main)\ncalls=1 30\n13 55\n14 4\n"
    "fn=lcg'bench'measure_once'main'(below main)\n21 60\n20 140\n"
    "fn=extra'bench'measure_once'main'(below main)\n31 5\n"
    "cfn=lcg'extra'bench'measure_once'main'(below main)\ncalls=1 20\n32 50\n"
    "fn=lcg'extra'bench'measure_once'main'(below main)\n20 50\n"
    "totals: 265\n";

Test(profile, stacks_and_functions)
{
    struct profile p;
    struct err e = {0};
    const struct prof_fn *f;
    size_t i;
    int found = 0;

    cr_assert_eq(profile_parse(text, "t.callgrind", &p, &e), 0, "%s", e.msg);
    cr_expect_eq(p.iters, 5);
    cr_expect(rel_eq(p.total, 53, 1e-12), "%g", p.total);
    f = profile_fn(&p, "bench");
    cr_assert_not_null(f);
    cr_expect(rel_eq(f->self, 7.0 / 5, 1e-12) && rel_eq(f->incl, 262.0 / 5, 1e-12), "%g %g",
              f->self, f->incl);
    cr_expect_str_eq(f->file, "/src/bench.c");
    cr_expect_eq(f->line, 10);
    f = profile_fn(&p, "lcg");
    cr_assert_not_null(f);
    cr_expect(rel_eq(f->self, 250.0 / 5, 1e-12) && rel_eq(f->incl, 250.0 / 5, 1e-12));
    cr_expect_eq(f->line, 20);
    f = profile_fn(&p, "extra");
    cr_expect(rel_eq(f->self, 1, 1e-12) && rel_eq(f->incl, 11, 1e-12));
    /* the benchmark's stacks start at the benchmark function */
    for (i = 0; i < p.nstacks; i++)
        if (p.stacks[i].n == 3 && !strcmp(p.stacks[i].frames[0], "bench") &&
            !strcmp(p.stacks[i].frames[1], "extra") && !strcmp(p.stacks[i].frames[2], "lcg")) {
            found = 1;
            cr_expect(rel_eq(p.stacks[i].cost, 10, 1e-12));
        }
    cr_expect(found);
    /* largest inclusive first: bench, then lcg */
    cr_expect_str_eq(p.fns[0].name, "bench");
    cr_expect_str_eq(p.fns[1].name, "lcg");
    profile_free(&p);
}

Test(profile, recursion_counted_once)
{
    static const char rec[] = "events: Ir\n"
                              "fn=f'f'bench'measure_once\n1 30\n"
                              "fn=f'bench'measure_once\n1 10\n";
    struct profile p;
    struct err e = {0};

    cr_assert_eq(profile_parse(rec, "r", &p, &e), 0, "%s", e.msg);
    cr_expect_eq(p.iters, 1);
    cr_expect(rel_eq(profile_fn(&p, "f")->incl, 40, 1e-12));
    cr_expect(rel_eq(profile_fn(&p, "f")->self, 40, 1e-12));
    cr_expect(rel_eq(profile_fn(&p, "bench")->incl, 40, 1e-12));
    profile_free(&p);
}

Test(profile, bad_files)
{
    struct profile p;
    struct err e = {0};
    const char *path = tmp_path("nul.callgrind");
    FILE *f;

    cr_expect_eq(profile_parse("version: 1\n", "a", &p, &e), -1);
    cr_expect_str_eq(e.msg, "a: not a callgrind profile (no events: line)");
    e = (struct err){0};
    cr_expect_eq(profile_parse("events: Ir\n5 3\n", "b", &p, &e), -1);
    cr_expect_str_eq(e.msg, "b: line 2: a cost before any fn=");
    e = (struct err){0};
    cr_expect_eq(profile_parse("events: \nfn=x\n1 2 3\n", "c", &p, &e), -1);
    cr_expect_str_eq(e.msg, "c: line 1: no first event");
    e = (struct err){0};
    cr_expect_eq(profile_parse("events: Ir\nfn=(1) x\n+1 3\n", "d", &p, &e), -1);
    cr_expect_str_eq(e.msg, "d: line 2: compressed names (write with --compress-strings=no)");
    f = fopen(path, "wb");
    fwrite("events: Ir\n\0fn=x\n", 1, 17, f);
    fclose(f);
    e = (struct err){0};
    cr_expect_eq(profile_load(path, &p, &e), -1);
    cr_expect(strstr(e.msg, "a NUL byte") != NULL, "%s", e.msg);
    e = (struct err){0};
    cr_expect_eq(profile_load(tmp_path("none"), &p, &e), -1);
    cr_expect(strstr(e.msg, "cannot open") != NULL, "%s", e.msg);
}

Test(profile, file_names)
{
    char buf[256];

    cr_expect_str_eq(profile_file_name(buf, sizeof buf, "hash/fnv1a/size=64", ".svg"),
                     "hash%2Ffnv1a%2Fsize=64.svg");
    cr_expect_str_eq(profile_file_name(buf, sizeof buf, "a b%c\x01\xc3\xa9", ".callgrind"),
                     "a%20b%25c%01%C3%A9.callgrind");
    cr_expect_str_eq(profile_dir(buf, sizeof buf, "r/x.json"), "r/x.json.profiles");
}
