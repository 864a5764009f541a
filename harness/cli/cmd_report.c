/* cmd_report.c: `pacer report`: a static HTML site of results (site/site.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "site/site.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: pacer report [-o DIR] [--store FILE] [--no-plots] [RESULTS...]\n"
            "Writes a static HTML site of result files (folders by their *.json files;\n"
            "default: results), to open from disk or serve from any web server; it\n"
            "fetches nothing from the network.\n"
            "  index.html        the newest run of each machine and branch against the\n"
            "                    run before it (regressed and improved counts, the\n"
            "                    worst five), every benchmark's latest level and last\n"
            "                    change, the A/B and load results, what was skipped\n"
            "  bench/*.html      a benchmark's history: its level with the CI band,\n"
            "                    change points with their size and commits, changes of\n"
            "                    machine (drag to zoom; the run under the cursor is\n"
            "                    described), its latest run's distribution, its family\n"
            "                    against its parameter\n"
            "  cmp/*.html        a comparison as pacer compare prints it, and its picture\n"
            "  load/*.html       a load run: throughput, percentiles, errors, the\n"
            "                    server; latency by percentile and each benchmark's\n"
            "                    timeline\n"
            "Charts of histories are drawn in the browser with uPlot (MIT, written\n"
            "into DIR/assets/); pictures of comparisons and load runs by gnuplot (SVG,\n"
            "kept with their .dat and .gp).  Files that cannot be read, and files\n"
            "holding a run another file holds, are skipped with a warning.\n"
            "  -o, --out DIR   the site's folder (default results/site)\n"
            "  --store FILE    read the history from this store (pacer store); a single\n"
            "                  folder holding one (DIR/pacer.db) is read without asking\n"
            "  --no-plots      leave out the gnuplot pictures\n"
            "exit codes: 0 written, 2 usage error, nothing readable, or the site or\n"
            "store cannot be written or read\n");
}

int cmd_report(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"out", required_argument, 0, 'o'}, {"store", required_argument, 0, 's'},
        {"no-plots", no_argument, 0, 'n'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    static char *deflt[] = {"results"};
    struct site_opts so = {"results/site", NULL, 1};
    struct site_out out;
    struct err e = {0};
    char **paths = deflt;
    size_t n = 1, i;
    int o, rc;

    optind = 1;
    while ((o = getopt_long(argc, argv, "ho:", lopts, NULL)) != -1) {
        switch (o) {
        case 'o': so.out = optarg; break;
        case 's': so.store = optarg; break;
        case 'n': so.plots = 0; break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) {
        paths = argv + optind;
        n = (size_t)(argc - optind);
    }
    rc = site_build(paths, n, &so, &out, &e);
    for (i = 0; i < out.nwarnings; i++)
        warn_msg("report: %s", out.warnings[i]);
    if (rc < 0) {
        die_msg("report: %s", e.msg);
        site_out_free(&out);
        return EXIT_BAD_INPUT;
    }
    printf("%s/index.html: %zu pages: %zu runs of %zu benchmarks, %zu A/B results, %zu load "
           "runs\n",
           so.out, out.pages, out.runs, out.benchmarks, out.ab, out.loads);
    site_out_free(&out);
    return EXIT_OK;
}
