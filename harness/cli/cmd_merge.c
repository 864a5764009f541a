/* cmd_merge.c: `pacer merge OUT SEGMENT...`: the segments of a load run
 * split over several generators merged into one result (merge.h). */
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "compare/report/report.h"
#include "harness/lib/fmt.h"
#include "harness/result/limit.h"
#include "harness/result/loadlimit.h"
#include "harness/result/loadres.h"
#include "harness/result/merge.h"
#include "harness/result/result_json.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: pacer merge OUT.json SEGMENT.json... [--partial] [--limit EXPR]...\n"
               "Merges the segments of one load run split over several generators (pacer\n"
               "load --segment I/N --out, one file each, the same run id) into OUT, an\n"
               "ordinary result: for each load benchmark the latency histograms added\n"
               "bucket by bucket, counts, errors and throughput summed, percentiles and\n"
               "metrics recomputed from the merged histograms, series summed interval by\n"
               "interval, the other segments' monitor series kept as HOST:label; and a\n"
               "record of the merge (segments, hosts, the spread of their starts, each\n"
               "one's clock offset).  OUT is written whole or not at all, never over an\n"
               "input.\n"
               "  --partial      merge what is there (segments missing or incomplete):\n"
               "                 the result is marked incomplete, the missing named\n"
               "  --limit EXPR   a limit checked on the merged result, as pacer load's\n"
               "                 (e.g. 'latency.p99 < 50ms'); repeatable\n"
               "  -q, --quiet    no summary\n"
               "exit codes: 0 merged and every limit held, 1 a limit failed, 2 bad input\n"
               "(not segments of one run, a segment missing or twice, settings that\n"
               "differ, OUT an input), 3 a segment incomplete or a repetition invalid\n");
}

/* 1 when OUT names one of the inputs (the same file, or the same path). */
static int is_input(const char *out, char **in, size_t n)
{
    struct stat so, si;
    int have = stat(out, &so) == 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(out, in[i]) ||
            (have && stat(in[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino))
            return 1;
    return 0;
}

/* The limits parsed, then checked on r with their lines printed: 1 when
 * one failed, 0, or -1 after saying why. */
static int check_limits(const struct result *r, char **texts, size_t n)
{
    struct limit_checks lc = {0};
    struct err e = {0};
    struct limit *ls = calloc(n + 1, sizeof *ls);
    size_t i, nparsed = 0;
    int rc = -1;

    if (!ls)
        return -1;
    for (; nparsed < n; nparsed++)
        if (load_limit_parse(texts[nparsed], &ls[nparsed], &e) < 0)
            goto cleanup;
    for (i = 0; i < n; i++)
        if (limit_check(&ls[i], r->benches, ls[i].pattern ? r->nbenches : 1, NULL, 0, &lc,
                        &e) < 0)
            goto cleanup;
    report_limit_lines(stdout, lc.v, lc.n, "limit", 0);
    rc = lc.failed > 0;
cleanup:
    if (rc < 0)
        die_msg("merge: %s%s", strncmp(e.msg, "limit '", 7) ? "" : "--", e.msg);
    for (i = 0; i < nparsed; i++)
        limit_free(&ls[i]);
    free(ls);
    limit_checks_free(&lc);
    return rc;
}

/* One line per load benchmark of the merge: its requests and percentiles
 * over every repetition. */
static void summary(const struct result *r, const struct merge_info *mi)
{
    static const double ps[3] = {50, 99, 99.9};
    char a[32], b[32], c[32], sp[32];
    size_t i, k;

    if (isnan(mi->start_spread_s))
        snprintf(sp, sizeof sp, "unknown");
    else
        fmt_value(sp, sizeof sp, mi->start_spread_s * 1e9, "ns");
    printf("merged %zu segment%s of run %s%s, start spread %s\n", mi->merged,
           mi->merged == 1 ? "" : "s", r->seg.run_id, r->complete ? "" : " (incomplete)", sp);
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *bn = &r->benches[i];
        struct hist h;
        uint64_t req = 0, v[3];
        struct err e = {0};
        if (bn->kind != KIND_LOAD || load_merge_latency(bn, 0, &h, &e) < 0)
            continue;
        for (k = 0; k < bn->nload; k++)
            req += bn->load[k].requests;
        hist_percentiles(&h, ps, 3, v);
        printf("  %s: %llu requests, p50 %s  p99 %s  p99.9 %s\n", bn->name,
               (unsigned long long)req, fmt_value(a, sizeof a, (double)v[0], "ns"),
               fmt_value(b, sizeof b, (double)v[1], "ns"), fmt_value(c, sizeof c, (double)v[2], "ns"));
        hist_free(&h);
    }
}

/* 1 when a repetition of r is invalid or stopped early. */
static int untrusted(const struct result *r)
{
    size_t i, k;

    for (i = 0; i < r->nbenches; i++)
        for (k = 0; k < r->benches[i].nload; k++)
            if (!r->benches[i].load[k].valid || !r->benches[i].load[k].complete)
                return 1;
    return !r->complete;
}

/* Every --limit parsed before anything is read: 0, or -1 after saying why. */
static int limits_parse(char **texts, size_t n)
{
    struct err e = {0};
    struct limit l;
    size_t i;

    for (i = 0; i < n; i++) {
        if (load_limit_parse(texts[i], &l, &e) < 0) {
            die_msg("merge: %s%s", strncmp(e.msg, "limit '", 7) ? "" : "--", e.msg);
            return -1;
        }
        limit_free(&l);
    }
    return 0;
}

/* The segments read, merged, OUT written, the limits checked. */
/* Every other file of in read into segs, from the first: one of two
 * readers (reading is most of a merge's time). */
struct reader {
    char **in;
    struct result *segs;
    size_t n, first;
    size_t bad;                 /* the first file that could not be read, or n */
    struct err e;
};

static void *read_some(void *arg)
{
    struct reader *r = arg;
    size_t i;

    r->bad = r->n;
    for (i = r->first; i < r->n; i += 2)
        if (result_load(r->in[i], &r->segs[i], &r->e) < 0) {
            r->bad = i;
            break;
        }
    return NULL;
}

/* Every file of in read into segs (zeroed: each is then a result, read or
 * not), by two threads where one can be started.  0, or -1 after naming
 * the first file in order that could not be read. */
static int read_all(char **in, struct result *segs, size_t n)
{
    struct reader a = {in, segs, n, 0, 0, {0}}, b = {in, segs, n, 1, 0, {0}};
    pthread_t t;
    int threaded;
    size_t i;

    for (i = 0; i < n; i++)   /* before the second reader starts filling them */
        result_init(&segs[i]);
    threaded = n > 1 && pthread_create(&t, NULL, read_some, &b) == 0;
    read_some(&a);
    if (threaded)
        pthread_join(t, NULL);
    else if (a.bad == n)
        read_some(&b);
    if (a.bad == n && b.bad == n)
        return 0;
    die_msg("%s", (a.bad < b.bad ? &a : &b)->e.msg);
    return -1;
}

static int merge_files(const char *out, char **in, size_t n, int partial, char **limits,
                       size_t nlimits, int quiet)
{
    struct result *segs = calloc(n, sizeof *segs);
    struct merge_info mi;
    struct err e = {0};
    enum merge_status st;
    size_t i, nread = n, k = 0;
    int rc = EXIT_BAD_INPUT, lim;

    if (!segs) {
        die_msg("merge: out of memory");
        return EXIT_BAD_INPUT;
    }
    if (read_all(in, segs, n) < 0)
        goto cleanup;
    st = merge_segments(segs, (const char *const *)in, n, partial, &k, &mi, &e);
    if (st != MERGE_OK) {
        die_msg("merge: %s", e.msg);
        rc = st == MERGE_INCOMPLETE ? EXIT_UNTRUSTED : EXIT_BAD_INPUT;
        goto cleanup;
    }
    if (cmd_save(&segs[k], out, NULL, NULL, quiet, "merged result") < 0)
        goto cleanup;
    if (!quiet)
        summary(&segs[k], &mi);
    if ((lim = check_limits(&segs[k], limits, nlimits)) < 0)
        goto cleanup;
    rc = untrusted(&segs[k]) ? EXIT_UNTRUSTED : lim ? EXIT_REGRESSION : EXIT_OK;
cleanup:
    for (i = 0; i < nread; i++)
        result_free(&segs[i]);
    free(segs);
    return rc;
}

int cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        {"partial", no_argument, 0, 'p'}, {"limit", required_argument, 0, 'l'},
        {"quiet", no_argument, 0, 'q'},   {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    char **limits = calloc((size_t)argc + 1, sizeof *limits);
    size_t nlimits = 0;
    int c, partial = 0, quiet = 0, rc = EXIT_BAD_INPUT;

    if (!limits)
        return EXIT_BAD_INPUT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case 'p': partial = 1; break;
        case 'l': limits[nlimits++] = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); free(limits); return EXIT_OK;
        default: usage(stderr); free(limits); return EXIT_BAD_INPUT;
        }
    }
    if (argc - optind < 2) {
        die_msg("merge: expected OUT.json and at least one SEGMENT.json");
        usage(stderr);
    } else if (is_input(argv[optind], argv + optind + 1, (size_t)(argc - optind - 1))) {
        die_msg("merge: %s: OUT is one of the segments: it would be overwritten",
                argv[optind]);
    } else if (limits_parse(limits, nlimits) == 0) {
        rc = merge_files(argv[optind], argv + optind + 1, (size_t)(argc - optind - 1), partial,
                         limits, nlimits, quiet);
    }
    free(limits);
    return rc;
}
