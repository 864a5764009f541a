/* main.c: the pacer binary's entry point: a table of subcommands. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "harness/result/version.h"

struct subcmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
};

static const struct subcmd subcmds[] = {
    {"run", cmd_run, "run micro, command and suite benchmarks, store the result"},
    {"load", cmd_load, "load-test a server: throughput, latency under load, errors, its CPU"},
    {"ab", cmd_ab, "paired A/B run of two builds or two commands, interleaved ABBA"},
    {"compare", cmd_compare, "regression gate: compare two results (or an A/B result)"},
    {"trend", cmd_trend, "change points over a history of results: where a benchmark moved"},
    {"plot", cmd_plot, "draw results with gnuplot: trend, compare, dist, latency, load"},
    {"show", cmd_show, "print a result file as a table"},
    {"env", cmd_env, "print the context block this machine gives a result"},
};

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: pacer <command> [options]\n\ncommands:\n");
    for (i = 0; i < sizeof subcmds / sizeof subcmds[0]; i++)
        fprintf(f, "  %-10s %s\n", subcmds[i].name, subcmds[i].help);
    fprintf(f, "\n'pacer <command> --help' describes a command.\n"
               "exit codes: 0 ok, 1 regression, 2 bad input or usage, 3 untrustworthy run\n");
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("pacer %s\n", PACER_VERSION);
        return EXIT_OK;
    }
    for (i = 0; i < sizeof subcmds / sizeof subcmds[0]; i++)
        if (!strcmp(argv[1], subcmds[i].name))
            return subcmds[i].fn(argc - 1, argv + 1);
    die_msg("'%s' is not a pacer command (see pacer --help)", argv[1]);
    return EXIT_BAD_INPUT;
}
