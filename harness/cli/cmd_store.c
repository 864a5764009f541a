/* cmd_store.c: `pacer store`: the history in SQLite (compare/store.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare/history.h"
#include "compare/report/escape.h"
#include "compare/store.h"
#include "harness/lib/fmt.h"

#define STORE_DEFAULT "results/" STORE_NAME

static void usage(FILE *f)
{
    fprintf(f,
            "usage: pacer store add [--store FILE] RESULTS...\n"
            "       pacer store baseline [--store FILE] NAME RESULT\n"
            "       pacer store show [--store FILE]\n"
            "       pacer store rebuild [--store FILE] [RESULTS...]\n"
            "The history in SQLite: runs by time, commit, branch, machine fingerprint and\n"
            "benchmark, for trends over many runs and for named baselines.  The result\n"
            "files stay the source of truth: the store indexes them (a file that changed\n"
            "is read again) and can be made again from them.\n"
            "  add       index result files (folders by their *.json files); made when\n"
            "            missing.  pacer run --save DIR adds its result to DIR/" STORE_NAME "\n"
            "            when that store exists; pacer trend DIR reads DIR/" STORE_NAME "\n"
            "            when it exists (and adds the files it lacks).\n"
            "  baseline  name a result (Criterion's --save-baseline): pacer compare\n"
            "            --baseline NAME NEW.json compares NEW.json with it;\n"
            "            --baseline latest takes the newest other run of NEW's branch and\n"
            "            machine\n"
            "  show      what the store holds: runs, benchmarks, size, baselines\n"
            "  rebuild   make the store again from the files it indexes and RESULTS,\n"
            "            keeping its baselines; written beside it and renamed over it\n"
            "            when complete (a store that cannot be read is made from RESULTS)\n"
            "  --store FILE  the store (default " STORE_DEFAULT ")\n"
            "exit codes: 0 done, 2 usage error, unreadable result, or a store that is\n"
            "damaged, not pacer's or of a newer schema\n");
}

static void print_info(struct store *s, const struct store_info *in)
{
    char sz[32], per[32], p[ESCAPE_MAX];

    printf("%s: %zu runs, %zu benchmarks, %zu points, %s", escape_term(p, sizeof p,
           store_path(s)), in->runs, in->benchmarks, in->points,
           fmt_bytes(sz, sizeof sz, (double)in->bytes));
    if (in->runs)
        printf(" (%s a run)", fmt_bytes(per, sizeof per, (double)in->bytes / (double)in->runs));
    printf(", %zu baselines\n", in->baselines);
    if (in->missing)
        printf("  %zu indexed files are gone (pacer store rebuild drops them)\n", in->missing);
}

static void print_baseline(const char *name, const char *file, void *arg)
{
    char a[ESCAPE_MAX], b[ESCAPE_MAX];

    (void)arg;
    printf("  baseline %s: %s\n", escape_term(a, sizeof a, name), escape_term(b, sizeof b, file));
}

static int do_add(struct store *s, char **paths, size_t n, struct err *e)
{
    struct history h = {0};
    struct trend_file f;
    struct store_info in;
    size_t i, added = 0, had = 0;
    int rc = -1;

    trend_file_init(&f);
    if (history_expand(&h, paths, n, e) < 0 || store_begin(s, e) < 0)
        goto done;
    for (i = 0; i < h.nfiles; i++) {
        int r = store_add_file(s, h.files[i], &f, e);
        if (r < 0)
            goto done;
        r ? added++ : had++;
    }
    if (store_commit(s, e) < 0 || store_info(s, &in, e) < 0)
        goto done;
    printf("added %zu runs (%zu already in, unchanged)\n", added, had);
    print_info(s, &in);
    rc = 0;
done:
    trend_file_free(&f);
    history_free(&h);
    return rc;
}

static int do_show(struct store *s, struct err *e)
{
    struct store_info in;

    if (store_info(s, &in, e) < 0)
        return -1;
    print_info(s, &in);
    return store_baselines(s, print_baseline, NULL, e);
}

int cmd_store(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"store", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *path = STORE_DEFAULT, *what;
    struct store *s = NULL;
    struct err e = {0};
    struct trend_file f;
    int o, rc = -1;

    optind = 1;
    while ((o = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
        if (o == 's')
            path = optarg;
        else if (o == 'h') {
            usage(stdout);
            return EXIT_OK;
        } else {
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    what = argv[optind++];
    while ((o = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {   /* after the action */
        if (o == 's')
            path = optarg;
        else {
            usage(o == 'h' ? stdout : stderr);
            return o == 'h' ? EXIT_OK : EXIT_BAD_INPUT;
        }
    }
    if (!strcmp(what, "rebuild")) {
        size_t runs, gone;

        if (store_rebuild(path, argv + optind, (size_t)(argc - optind), &runs, &gone, &e) < 0) {
            die_msg("store: %s", e.msg);
            return EXIT_BAD_INPUT;
        }
        printf("%s: made again: %zu runs", path, runs);
        if (gone)
            printf(" (%zu indexed files were gone)", gone);
        printf("\n");
        return EXIT_OK;
    }
    if (strcmp(what, "add") && strcmp(what, "show") && strcmp(what, "baseline")) {
        die_msg("store: '%s' is not add, baseline, show or rebuild", what);
        return EXIT_BAD_INPUT;
    }
    if (!strcmp(what, "add") ? optind >= argc
        : !strcmp(what, "show") ? optind != argc : argc - optind != 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (store_open(&s, path, !strcmp(what, "add") || !strcmp(what, "baseline"), &e) < 0) {
        die_msg("store: %s", e.msg);
        return EXIT_BAD_INPUT;
    }
    trend_file_init(&f);
    if (!strcmp(what, "add"))
        rc = do_add(s, argv + optind, (size_t)(argc - optind), &e);
    else if (!strcmp(what, "show"))
        rc = do_show(s, &e);
    else if ((rc = store_begin(s, &e)) == 0 &&
             (rc = store_name_baseline(s, argv[optind], argv[optind + 1], &f, &e)) == 0 &&
             (rc = store_commit(s, &e)) == 0)
        printf("baseline %s: %s\n", argv[optind], argv[optind + 1]);
    trend_file_free(&f);
    store_close(s);
    if (rc < 0) {
        die_msg("store: %s", e.msg);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}
