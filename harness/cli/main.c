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
    {"merge", cmd_merge, "merge the segments of a load run split over several generators"},
    {"k8s-job", cmd_k8s, "print a Kubernetes Indexed Job running a load split over N pods"},
    {"report", cmd_report, "write a static HTML site of results: histories, comparisons, loads"},
    {"store", cmd_store, "the history in SQLite: index results, named baselines"},
    {"show", cmd_show, "print a result file as a table"},
    {"env", cmd_env, "print the context block this machine gives a result"},
};

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: pacer <command> [options]\n\ncommands:\n");
    for (i = 0; i < sizeof subcmds / sizeof subcmds[0]; i++)
        fprintf(f, "  %-10s %s\n", subcmds[i].name, subcmds[i].help);
    fprintf(f, "\noptions:\n"
               "  --help               this text\n"
               "  --version            pacer's version\n"
               "  --completion SHELL   a completion script for bash or zsh (make install\n"
               "                       puts both where the shells look)\n"
               "\n'pacer <command> --help' describes a command.\n"
               "exit codes: 0 ok, 1 regression, 2 bad input or usage, 3 untrustworthy run\n");
}

/* Completion scripts: the commands from the table above; a command's
 * options read from its --help when asked, so they never go stale. */
static const char bash_completion[] =
    "# bash completion for pacer (pacer --completion bash)\n"
    "_pacer() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}\n"
    "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
    "        COMPREPLY=($(compgen -W \"%s --help --version --completion\" -- \"$cur\"))\n"
    "    elif [ \"$cmd\" = --completion ]; then\n"
    "        COMPREPLY=($(compgen -W \"bash zsh\" -- \"$cur\"))\n"
    "    elif [[ $cur == -* ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" \"$cmd\" --help 2>/dev/null |\n"
    "            grep -o -- '--[a-z][a-z0-9-]*' | sort -u)\" -- \"$cur\"))\n"
    "    else\n"
    "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
    "    fi\n"
    "}\n"
    "complete -o filenames -F _pacer pacer\n";

static const char zsh_completion[] =
    "#compdef pacer\n"
    "# zsh completion for pacer (pacer --completion zsh)\n"
    "_pacer() {\n"
    "    local -a opts\n"
    "    if (( CURRENT == 2 )); then\n"
    "        compadd -- %s --help --version --completion\n"
    "    elif [[ $words[2] == --completion ]]; then\n"
    "        compadd -- bash zsh\n"
    "    elif [[ $words[CURRENT] == -* ]]; then\n"
    "        opts=(${(f)\"$($words[1] $words[2] --help 2>/dev/null |\n"
    "            grep -o -- '--[a-z][a-z0-9-]*' | sort -u)\"})\n"
    "        compadd -a opts\n"
    "    else\n"
    "        _files\n"
    "    fi\n"
    "}\n"
    "_pacer \"$@\"\n";

static int completion(const char *shell)
{
    char names[256] = "";
    size_t i, n = 0;

    for (i = 0; i < sizeof subcmds / sizeof subcmds[0]; i++)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? " " : "",
                              subcmds[i].name);
    if (shell && !strcmp(shell, "bash"))
        printf(bash_completion, names);
    else if (shell && !strcmp(shell, "zsh"))
        printf(zsh_completion, names);
    else {
        die_msg("--completion: '%s' is not a shell pacer completes (bash or zsh)",
                shell ? shell : "");
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
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
    if (!strcmp(argv[1], "--completion"))
        return completion(argc > 2 ? argv[2] : NULL);
    for (i = 0; i < sizeof subcmds / sizeof subcmds[0]; i++)
        if (!strcmp(argv[1], subcmds[i].name))
            return subcmds[i].fn(argc - 1, argv + 1);
    die_msg("'%s' is not a pacer command (see pacer --help)", argv[1]);
    return EXIT_BAD_INPUT;
}
