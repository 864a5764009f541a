/*
 * cmd_env.c: `pacer env`: the context block this machine would give a
 * result, as an aligned field/value table or as the JSON of a result file,
 * with the machine's warnings (governor, turbo, load) on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "harness/lib/fmt.h"
#include "harness/result/env.h"
#include "harness/result/result.h"
#include "harness/result/result_json.h"
#include "harness/run/runner.h"

enum env_format { FORMAT_TABLE, FORMAT_JSON };

static void env_usage(FILE *f)
{
    fprintf(f, "usage: pacer env [--format table|json] [SUITE_BINARY]\n"
               "\n"
               "print the context block a result made on this machine would hold:\n"
               "version, time, git state, cpu, memory, kernel, governor, turbo, load,\n"
               "build, clock resolution and read cost, and the fingerprint that\n"
               "compare checks.  The build (compiler, cflags) is the measured code's:\n"
               "with a suite binary, its own (as its micro results record it, so the\n"
               "fingerprint is theirs); without, none (as command results have).\n"
               "warnings about the machine go to stderr.\n"
               "\n"
               "  -f, --format FMT   table (default) or json\n"
               "  -h, --help         show this help\n");
}

static void row(const char *name, const char *value)
{
    printf("%-*s  %s\n", 19, name, value ? value : "-");
}

static void print_table(const struct context *c)
{
    char buf[256], sz[32];

    row("pacer_version", c->pacer_version);
    row("time", c->time);
    row("git_commit", c->git_commit);
    row("git_branch", c->git_branch);
    row("git_commit_time", c->git_commit_time);
    row("git_dirty", c->git_dirty < 0 ? NULL : c->git_dirty ? "yes" : "no");
    row("hostname", c->hostname);
    row("cpu_model", c->cpu_model);
    snprintf(buf, sizeof buf, "%d", c->cpus);
    row("cpus", c->cpus > 0 ? buf : NULL);
    snprintf(buf, sizeof buf, "%" PRIu64 " (%s)", c->memory_bytes,
             fmt_bytes(sz, sizeof sz, (double)c->memory_bytes));
    row("memory_bytes", c->memory_bytes ? buf : NULL);
    row("kernel", c->kernel);
    row("os", c->os);
    row("governor", c->governor);
    row("turbo", c->turbo);
    snprintf(buf, sizeof buf, "%.2f %.2f %.2f", c->loadavg[0], c->loadavg[1], c->loadavg[2]);
    row("loadavg", buf);
    row("compiler", c->compiler);
    row("cflags", c->cflags);
    snprintf(buf, sizeof buf, "%.1f ns", c->clock_resolution_ns);
    row("clock_resolution", buf);
    snprintf(buf, sizeof buf, "%.1f ns", c->clock_read_ns);
    row("clock_read", buf);
    row("fingerprint", c->fingerprint);
}

static int print_json(const struct context *c)
{
    json_t *j = context_to_json(c);
    int rc;

    if (!j)
        return -1;
    rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (rc != 0)
        return -1;
    putchar('\n');
    return 0;
}

/* The build a suite binary tells (its hello), into ctx, and the
 * fingerprint again: -1 after saying why not. */
static int binary_build(const char *binary, struct context *ctx)
{
    struct listing l = {0};
    struct err e = {0};
    struct stat st;

    if (stat(binary, &st) < 0) {
        die_msg("env: %s: %s", binary, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode) || access(binary, X_OK) < 0) {
        die_msg("env: %s: not an executable suite binary", binary);
        return -1;
    }
    if (runner_list(binary, 10000000000ULL, &l, &e) < 0) {
        die_msg("env: %s", e.msg);
        listing_free(&l);
        return -1;
    }
    free(ctx->compiler);
    free(ctx->cflags);
    ctx->compiler = l.compiler;
    ctx->cflags = l.cflags;
    l.compiler = l.cflags = NULL;
    listing_free(&l);
    return env_fingerprint(ctx) < 0 ? (die_msg("env: out of memory"), -1) : 0;
}

int cmd_env(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum env_format format = FORMAT_TABLE;
    struct context ctx;
    int c, rc = EXIT_OK;

    opterr = 0;   /* our own messages, not getopt's */
    optind = 0;   /* glibc: start afresh, cmd_env may run more than once */
    while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "table")) {
                format = FORMAT_TABLE;
            } else if (!strcmp(optarg, "json")) {
                format = FORMAT_JSON;
            } else {
                die_msg("env: unknown format '%s' (expected table or json)", optarg);
                return EXIT_BAD_INPUT;
            }
            break;
        case 'h':
            env_usage(stdout);
            return EXIT_OK;
        case ':':
            die_msg("env: option '%s' needs a value", argv[optind - 1]);
            return EXIT_BAD_INPUT;
        default:
            if (!strncmp(argv[optind - 1], "--", 2) || !optopt)
                die_msg("env: unknown option '%s' (see pacer env --help)", argv[optind - 1]);
            else
                die_msg("env: unknown option '-%c' (see pacer env --help)", optopt);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind + 1 < argc) {
        die_msg("env: unexpected argument '%s' (see pacer env --help)", argv[optind + 1]);
        return EXIT_BAD_INPUT;
    }

    memset(&ctx, 0, sizeof ctx);
    if (env_collect(&ctx) < 0) {
        die_msg("env: out of memory");
        context_free(&ctx);
        return EXIT_UNTRUSTED;
    }
    if (optind < argc && binary_build(argv[optind], &ctx) < 0) {
        context_free(&ctx);
        return EXIT_BAD_INPUT;
    }
    if (format == FORMAT_JSON) {
        if (print_json(&ctx) < 0) {
            die_msg("env: cannot write the context as json");
            rc = EXIT_UNTRUSTED;
        }
    } else {
        print_table(&ctx);
    }
    fflush(stdout);
    env_warn(stderr, &ctx);
    context_free(&ctx);
    return rc;
}
