/*
 * test_suite.c: suite files (suite.c).  Every bad file under
 * tests/data/suite/bad/ must be refused with exactly the message in its
 * .err file; the good one must be read field by field.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

#define BAD_DIR "tests/data/suite/bad"

static char *slurp_line(const char *path)
{
    static char buf[2048];
    FILE *f = fopen(path, "r");

    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_not_null(fgets(buf, sizeof buf, f));
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

Test(suite, bad_files_give_exact_errors)
{
    DIR *d = opendir(BAD_DIR);
    struct dirent *de;
    int ncases = 0;

    cr_assert_not_null(d);
    while ((de = readdir(d))) {
        char path[512], errpath[512];
        struct suite s;
        struct err e = {0};
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
            continue;
        snprintf(path, sizeof path, "%s/%s", BAD_DIR, de->d_name);
        snprintf(errpath, sizeof errpath, "%s/%.*s.err", BAD_DIR, (int)(len - 5), de->d_name);
        cr_expect_eq(suite_load(path, &s, &e), -1, "%s was accepted", path);
        cr_expect_str_eq(e.msg, slurp_line(errpath), "%s", path);
        suite_free(&s);
        ncases++;
    }
    closedir(d);
    cr_assert_geq(ncases, 20);
}

Test(suite, missing_file)
{
    struct suite s;
    struct err e = {0};

    cr_assert_eq(suite_load("tests/data/suite/nope.json", &s, &e), -1);
    cr_assert_str_eq(e.msg, "tests/data/suite/nope.json: unable to open "
                            "tests/data/suite/nope.json: No such file or directory");
    suite_free(&s);
}

Test(suite, good_file)
{
    struct suite s;
    struct err e = {0};
    struct settings set;

    unsetenv("PACER_BUILD");
    cr_assert_eq(suite_load("tests/data/suite/good/full.json", &s, &e), 0, "%s", e.msg);
    cr_assert_str_eq(s.name, "sample");
    cr_assert_eq(s.nmicro, 2);
    cr_assert_str_eq(s.micro[0].binary, "tests/data/suite/good/../build/suites/micro/hash");
    cr_assert_str_eq(s.micro[0].filter, "copy");
    cr_assert_str_eq(s.micro[1].binary, "tests/data/suite/good/bin/local");
    cr_assert_eq(s.micro[1].ov.mask, OV_PROCESSES | OV_CI_TARGET);
    cr_assert_eq(s.micro[1].ov.s.processes, 3);
    cr_assert_float_eq(s.micro[1].ov.s.ci_target, 0.01, 1e-12);
    cr_assert_eq(s.ncmds, 2);
    cr_assert_str_eq(s.cmds[0].spec.name, "sleep 0.01");
    cr_assert_str_eq(s.cmds[0].spec.line, "sleep 0.01");
    cr_assert_null(s.cmds[0].spec.argv);
    cr_assert_str_eq(s.cmds[1].spec.name, "ls");
    cr_assert_str_eq(s.cmds[1].spec.argv[2], "tests/data/suite/good/../build");
    cr_assert_null(s.cmds[1].spec.argv[3]);
    cr_assert_str_eq(s.cmds[1].spec.prepare, "sync");
    cr_assert_str_eq(s.cmds[1].spec.cleanup, "true");
    cr_assert_eq(s.cmds[1].spec.ignore_failure, 1);
    /* Suite settings, then the entry's. */
    settings_default(&set);
    settings_apply(&set, &s.ov);
    settings_apply(&set, &s.cmds[1].ov);
    cr_assert_eq(set.samples, 7);
    cr_assert_eq(set.warmup_ns, 50000000ULL);
    cr_assert_eq(set.sample_target_ns, 5000000ULL);
    cr_assert_eq(set.timeout_ns, 30000000000ULL);
    cr_assert_eq(set.warmup_runs, 0);
    cr_assert_eq(set.budget_ns, 2000000000ULL);
    suite_free(&s);
}

Test(suite, build_dir_from_environment)
{
    struct suite s;
    struct err e = {0};

    setenv("PACER_BUILD", "build/san", 1);
    cr_assert_eq(suite_load("tests/data/suite/good/full.json", &s, &e), 0, "%s", e.msg);
    cr_assert_str_eq(s.micro[0].binary, "build/san/suites/micro/hash");
    suite_free(&s);
}

Test(suite, suggestions)
{
    static const char *const known[] = {"binary", "filter", "settings", NULL};

    cr_assert_str_eq(suite_suggest("bianry", known), "binary");
    cr_assert_str_eq(suite_suggest("filtre", known), "filter");
    cr_assert_null(suite_suggest("colour", known));
}
