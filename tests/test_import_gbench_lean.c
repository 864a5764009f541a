/*
 * test_import_gbench_lean.c: the lean read of Google Benchmark files
 * (compare/import/import_gbench_lean.c) held to the full reader
 * (import_gbench.c): on every file under tests/data/import and
 * tests/data/result and every input of the import fuzzer's corpus, the
 * lean reader either gives up or gives the very result the full reader
 * gives (compared as the JSON each writes), and never takes a file the
 * full reader refuses.  It must take Google Benchmark's own files (or it
 * would save nothing), and give up on pacer and hyperfine files at once.
 * Run from the repository root.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/import/import.h"
#include "harness/result/jsonread.h"
#include "harness/result/result_json.h"

/* What the full reader makes of buf: 0 with *out, or -1. */
static int full_read(const char *path, const char *buf, size_t len,
                     const struct import_opts *io, struct result *out)
{
    struct err e = {0};
    enum import_format f;
    json_t *root = jr_load_buf(path, buf, len, &e);
    int rc = -1;

    result_init(out);
    if (root && import_detect(root, &f) == 0 && f == IMPORT_GBENCH)
        rc = import_gbench_with(root, path, io, out, &e);
    json_decref(root);
    return rc;
}

static int same_results(const struct result *a, const struct result *b)
{
    struct err e = {0};
    json_t *ja = result_to_json(a, &e), *jb = result_to_json(b, &e);
    int same = ja && jb && json_equal(ja, jb);

    json_decref(ja);
    json_decref(jb);
    return same;
}

struct tally {
    size_t files, lean, full;
};

/* One file: lean against full; the counts into t. */
static void check_file(const char *path, const struct import_opts *io, struct tally *t)
{
    struct result rl, rf;
    struct err e = {0};
    char *buf;
    size_t len;
    int lean, full;

    if (jr_read_file(path, &buf, &len, &e) < 0)
        cr_assert_fail("%s", e.msg);
    result_init(&rl);
    lean = import_gbench_lean(buf, len, path, io, &rl);
    full = full_read(path, buf, len, io, &rf);
    t->files++;
    t->lean += lean == 0;
    t->full += full == 0;
    if (lean == 0) {
        cr_expect_eq(full, 0, "%s: the lean reader took a file the full one refuses", path);
        if (full == 0)
            cr_expect(same_results(&rl, &rf), "%s: the two readers differ", path);
    } else {
        cr_expect_eq(rl.nbenches, 0, "%s: a give-up left benchmarks", path);
    }
    result_free(&rl);
    result_free(&rf);
    free(buf);
}

static void check_dir(const char *dir, const char *prefix, const struct import_opts *io,
                      struct tally *t)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[1024];

    cr_assert_not_null(d, "%s", dir);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || (prefix && strncmp(de->d_name, prefix, strlen(prefix))) ||
            strstr(de->d_name, ".err"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        check_file(path, io, t);
    }
    closedir(d);
}

Test(gbench_lean, takes_what_google_benchmark_writes)
{
    struct tally t = {0};

    check_dir("tests/data/import/good", "gbench_", NULL, &t);
    cr_assert_eq(t.files, 4);
    cr_expect_eq(t.lean, t.files, "the lean reader took %zu of %zu of Google Benchmark's own "
                                  "files", t.lean, t.files);
}

Test(gbench_lean, gives_up_where_the_full_reader_fails)
{
    struct tally t = {0};

    check_dir("tests/data/import/bad", NULL, NULL, &t);
    cr_assert_gt(t.files, 20);
    cr_expect_eq(t.lean, 0);
    cr_expect_eq(t.full, 0);
}

Test(gbench_lean, leaves_other_formats_alone)
{
    struct tally t = {0};

    check_dir("tests/data/import/good", "hyperfine_", NULL, &t);
    check_dir("tests/data/result/good", NULL, NULL, &t);
    cr_assert_gt(t.files, 4);
    cr_expect_eq(t.lean, 0);
}

/* The fuzzer's corpus: thousands of near-misses of every kind. */
Test(gbench_lean, agrees_on_the_fuzz_corpus, .timeout = 120)
{
    struct tally t = {0};

    check_dir("tests/fuzz/corpus/import", NULL, NULL, &t);
    cr_assert_gt(t.files, 100);
    cr_expect_gt(t.lean, 10, "the corpus holds Google Benchmark files the lean reader takes");
    cr_log_info("corpus: %zu files, lean took %zu, full took %zu", t.files, t.lean, t.full);
}

/* Without statistics (compare without limits): the same benchmarks and
 * samples, statistics left at n = 0. */
Test(gbench_lean, without_statistics)
{
    struct import_opts io = {0};
    struct tally t = {0};
    struct result r;
    struct err e = {0};
    char *buf;
    size_t len, i;

    io.no_stats = 1;
    check_dir("tests/data/import/good", "gbench_", &io, &t);
    cr_expect_eq(t.lean, t.files);
    cr_assert_eq(jr_read_file("tests/data/import/good/gbench_reps.json", &buf, &len, &e), 0);
    result_init(&r);
    cr_assert_eq(import_gbench_lean(buf, len, "gbench_reps.json", &io, &r), 0);
    cr_assert_gt(r.nbenches, 0);
    for (i = 0; i < r.nbenches; i++) {
        cr_expect_eq(r.benches[i].st.n, 0);
        cr_expect(r.benches[i].nsamples > 0 || r.benches[i].error);
    }
    result_free(&r);
    free(buf);
}
