/* cmd_show.c: `pacer show FILE`: a result file back as a table. */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "loadcap.h"
#include "monlines.h"
#include "profiles.h"
#include "compare/import/import.h"
#include "compare/report/escape.h"
#include "harness/lib/fmt.h"
#include "harness/lib/table.h"
#include "harness/result/result_json.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: pacer show [--format table|json] [--filter REGEX] [--profile] FILE...\n"
               "       pacer show --profile --diff BEFORE AFTER [--filter REGEX] FILE...\n"
               "Prints result files (pacer, Google Benchmark, hyperfine or pytest-benchmark\n"
               "JSON): where they ran, then one row per benchmark.\n"
               "--profile prints instead the profiles kept beside a result (pacer run\n"
               "--profile): each benchmark's top functions by inclusive instructions,\n"
               "self and inclusive, with file:line, and writes its flame graph (SVG)\n"
               "beside its profile.\n"
               "--diff BEFORE AFTER compares profiles of one result instead: each\n"
               "benchmark whose name holds BEFORE as whole /-separated parts (a\n"
               "scenario's name, or a full name) against the one named with AFTER in\n"
               "place of those parts (so a scenario's connections=N against the\n"
               "other's same N): the functions whose cost (a request, an iteration) changed\n"
               "most, and a differential flame graph (SVG) beside the second one's\n"
               "profile, red where it costs more.  Repeatable.\n"
               "exit codes: 0 shown, 2 unreadable, malformed or newer-schema file, or\n"
               "no profiles (of both benchmarks of a --diff pair)\n");
}

/* s as a terminal may show it (escape.h), "-" when NULL; into buf. */
static const char *vis(char *buf, const char *s)
{
    return s ? escape_term(buf, ESCAPE_MAX, s) : "-";
}

static void show_context(const struct result *r, const char *path)
{
    const struct context *c = &r->ctx;
    char mem[32], a[ESCAPE_MAX], b[ESCAPE_MAX], d[ESCAPE_MAX];

    printf("%s: suite %s%s\n", vis(a, path), vis(b, r->suite),
           r->complete ? "" : " (interrupted)");
    printf("  time %s  commit %.12s%s%s%s\n", vis(a, c->time), vis(b, c->git_commit),
           c->git_dirty == 1 ? " (dirty)" : "", c->git_branch ? "  branch " : "",
           c->git_branch ? vis(d, c->git_branch) : "");
    printf("  host %s  cpu %s x%d  memory %s  kernel %.40s\n", vis(a, c->hostname),
           vis(b, c->cpu_model), c->cpus, fmt_bytes(mem, sizeof mem, (double)c->memory_bytes),
           vis(d, c->kernel));
    printf("  compiler %s  fingerprint %s\n\n", vis(a, c->compiler), vis(b, c->fingerprint));
}

/* A load benchmark's monitored processes and network, per repetition. */
static void show_monitor(const struct bench *b)
{
    char name[ESCAPE_MAX];
    size_t k, i;

    for (k = 0; k < b->nload; k++) {
        const struct load_rep *r = &b->load[k];
        int any = r->nnet > 1;

        for (i = 0; i < r->nmon; i++)
            any |= strcmp(r->mon[i].label, "pacer") && r->mon[i].nrows > 1;
        if (!any)
            continue;
        printf("  %s, repetition %zu of %zu, monitored:\n", vis(name, b->name), k + 1, b->nload);
        monlines_rep(stdout, r);
    }
}

static void show_table(const struct result *r, const regex_t *re)
{
    struct table t;
    char name[ESCAPE_MAX], msg[ESCAPE_MAX];
    size_t i, k;

    table_init(&t, BENCH_COLS);
    table_bench_header(&t, "median");
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        if (re && regexec(re, b->name, 0, NULL, 0) != 0)
            continue;
        if (b->nsamples) {
            table_add_bench(&t, vis(name, b->name), b->unit, &b->st, b->bytes_per_op,
                            b->items_per_op, b->kind == KIND_COMMAND ? 0 : b->iterations);
            for (k = 0; k < b->ncounters; k++)   /* user counters: a column each */
                table_add_counter(&t, vis(msg, b->counters[k].name), b->counters[k].st.median,
                                  b->counters[k].unit);
        }
        cmd_table_fits(&t, r, b->name);
    }
    table_print(&t, stdout);
    table_free(&t);
    cmd_print_unfitted(stdout, r);
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        if (re && regexec(re, b->name, 0, NULL, 0) != 0)
            continue;
        for (k = 0; k < b->nmetrics; k++) {
            char v[32];
            if (k == 0)
                printf("  %s:", vis(name, b->name));
            printf(" %s %s", vis(msg, b->metrics[k].name),
                   fmt_value(v, sizeof v, b->metrics[k].st.median, b->metrics[k].unit));
            if (k + 1 == b->nmetrics)
                putchar('\n');
        }
        if (b->error)
            printf("  %s: error: %s\n", vis(name, b->name), vis(msg, b->error->message));
        show_monitor(b);
        if (b->capacity) {   /* a capacity search: its steps and answer */
            printf("  %s: ", vis(name, b->name));
            loadcap_print(stdout, b->capacity, b);
        }
    }
}

struct show_cli {
    const char *format, *filter;
    int profile;
    const char **diffs;          /* --diff: BEFORE, AFTER, ... */
    size_t ndiffs;
};

/* --diff's two words (AFTER taken from argv, moving optind): 0, or -1
 * after saying why not. */
static int add_diff(struct show_cli *c, int argc, char **argv)
{
    const char **nd;

    if (optind >= argc || argv[optind][0] == '-') {
        die_msg("show: --diff BEFORE AFTER: give the two benchmarks (or scenarios)");
        return -1;
    }
    if (!(nd = realloc(c->diffs, (c->ndiffs + 2) * sizeof *nd))) {
        die_msg("show: out of memory");
        return -1;
    }
    c->diffs = nd;
    c->diffs[c->ndiffs++] = optarg;
    c->diffs[c->ndiffs++] = argv[optind++];
    c->profile = 1;
    return 0;
}

/* The options into c: 0, 1 after --help, -1 after saying what is wrong. */
static int parse(int argc, char **argv, struct show_cli *c)
{
    static const struct option lopts[] = {
        {"format", required_argument, 0, 'f'}, {"filter", required_argument, 0, 'r'},
        {"profile", no_argument, 0, 'p'}, {"diff", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    int o;

    c->format = "table";
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        switch (o) {
        case 'f':
            if (strcmp(optarg, "table") && strcmp(optarg, "json")) {
                die_msg("show: --format: '%s' is not table or json", optarg);
                return -1;
            }
            c->format = optarg;
            break;
        case 'r':
            c->filter = optarg;
            break;
        case 'p':
            c->profile = 1;
            break;
        case 'd':
            if (add_diff(c, argc, argv) < 0)
                return -1;
            break;
        case 'h':
            usage(stdout);
            return 1;
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return -1;
    }
    return 0;
}

/* The profiles beside result r at path (--profile, --diff): 0, or -1
 * after saying that there are none. */
static int show_profiles(const struct show_cli *c, const char *path, const struct result *r,
                         const regex_t *re)
{
    size_t k;
    int n;

    if (!c->ndiffs) {
        n = profiles_show(stdout, path, r, re);
        if (n == 0)
            die_msg("show: %s: no profiles beside it (%s.profiles/; run with --profile)", path,
                    path);
        return n > 0 ? 0 : -1;
    }
    for (k = 0; k < c->ndiffs; k += 2) {
        if (k)
            putchar('\n');
        n = profiles_diff(stdout, path, r, re, c->diffs[k], c->diffs[k + 1]);
        if (n == 0)
            die_msg("show: %s: --diff %s %s: no pair of benchmarks with profiles (names "
                    "holding %s, and the same with %s in its place; pacer run --profile)",
                    path, c->diffs[k], c->diffs[k + 1], c->diffs[k], c->diffs[k + 1]);
        if (n <= 0)
            return -1;
    }
    return 0;
}

int cmd_show(int argc, char **argv)
{
    struct show_cli c = {0};
    regex_t re;
    int rc = EXIT_OK, have_re = 0, i;

    if ((i = parse(argc, argv, &c)) != 0) {
        free(c.diffs);
        return i > 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    if ((have_re = cmd_filter("show", c.filter, &re)) < 0) {
        free(c.diffs);
        return EXIT_BAD_INPUT;
    }
    for (i = optind; i < argc; i++) {
        struct result r;
        struct err e = {0};
        if (import_load(argv[i], &r, NULL, &e) < 0) {
            die_msg("%s", e.msg);
            result_free(&r);
            rc = EXIT_BAD_INPUT;
            continue;
        }
        if (c.profile) {
            if (show_profiles(&c, argv[i], &r, have_re ? &re : NULL) < 0)
                rc = EXIT_BAD_INPUT;
        } else if (!strcmp(c.format, "json"))
            result_dump(&r, stdout, &e);
        else {
            if (i > optind)
                putchar('\n');
            show_context(&r, argv[i]);
            show_table(&r, have_re ? &re : NULL);
        }
        result_free(&r);
    }
    if (have_re)
        regfree(&re);
    free(c.diffs);
    return rc;
}
