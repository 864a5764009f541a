/* cmd_show.c: `pacer show FILE`: a result file back as a table. */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "loadcap.h"
#include "profiles.h"
#include "compare/import/import.h"
#include "compare/report/escape.h"
#include "harness/lib/fmt.h"
#include "harness/lib/table.h"
#include "harness/result/result_json.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: pacer show [--format table|json] [--filter REGEX] [--profile] FILE...\n"
               "Prints result files (pacer, Google Benchmark or hyperfine JSON): where\n"
               "they ran, then one row per benchmark.\n"
               "--profile prints instead the profiles kept beside a result (pacer run\n"
               "--profile): each benchmark's top functions by inclusive instructions,\n"
               "self and inclusive, with file:line, and writes its flame graph (SVG)\n"
               "beside its profile.\n"
               "exit codes: 0 shown, 2 unreadable, malformed or newer-schema file\n");
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
        if (b->capacity) {   /* a capacity search: its steps and answer */
            printf("  %s: ", vis(name, b->name));
            loadcap_print(stdout, b->capacity, b);
        }
    }
}

int cmd_show(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"format", required_argument, 0, 'f'}, {"filter", required_argument, 0, 'r'},
        {"profile", no_argument, 0, 'p'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *format = "table", *filter = NULL;
    regex_t re;
    int o, rc = EXIT_OK, have_re = 0, i, profile = 0;

    optind = 1;
    while ((o = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        switch (o) {
        case 'f':
            if (strcmp(optarg, "table") && strcmp(optarg, "json")) {
                die_msg("show: --format: '%s' is not table or json", optarg);
                return EXIT_BAD_INPUT;
            }
            format = optarg;
            break;
        case 'r':
            filter = optarg;
            break;
        case 'p':
            profile = 1;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if ((have_re = cmd_filter("show", filter, &re)) < 0)
        return EXIT_BAD_INPUT;
    for (i = optind; i < argc; i++) {
        struct result r;
        struct err e = {0};
        if (import_load(argv[i], &r, NULL, &e) < 0) {
            die_msg("%s", e.msg);
            result_free(&r);
            rc = EXIT_BAD_INPUT;
            continue;
        }
        if (profile) {
            int n = profiles_show(stdout, argv[i], &r, have_re ? &re : NULL);
            if (n == 0)
                die_msg("show: %s: no profiles beside it (%s.profiles/; run with --profile)",
                        argv[i], argv[i]);
            if (n <= 0)
                rc = EXIT_BAD_INPUT;
        } else if (!strcmp(format, "json"))
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
    return rc;
}
