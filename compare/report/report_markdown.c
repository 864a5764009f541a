/* report_markdown.c: a comparison as a pull-request comment. */
#include <math.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "report.h"

/* Benchmark names may hold '|': escape it for the table. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

int report_markdown(FILE *f, const struct comparison *c, const struct report_opts *ro)
{
    char line[1024];
    size_t i;

    (void)ro;
    if (c->nrows == 0) {   /* limits alone */
        fprintf(f, "### pacer limits: %zu of %zu failed\n", c->limits_failed, c->nchecks);
        goto limits;
    }
    fprintf(f, "### pacer compare: %s\n\n", report_summary(line, sizeof line, c));
    if (isfinite(c->geomean)) {
        char g[24];
        fprintf(f, "Geometric mean of the changes over %zu benchmarks: **%s** (change > 0 is "
                   "worse).\n\n",
                c->ngeomean, report_pct(g, sizeof g, c->geomean - 1));
    }
    fprintf(f, "| benchmark | base | new | change | 95%% CI | p (adj) | MDE | verdict |\n");
    fprintf(f, "|---|---:|---:|---:|---|---:|---:|---|\n");
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];
        struct report_cells k;
        const char *v = verdict_name(r->verdict);

        report_row_cells(r, &k);
        fputs("| `", f);
        md_cell(f, r->name);
        fprintf(f, "` | %s | %s | %s | %s | %s | %s | %s%s%s |\n", k.base, k.nw, k.change, k.ci,
                k.p, k.mde,
                r->verdict == VERDICT_REGRESSED || r->verdict == VERDICT_ERROR ? "**" : "", v,
                r->verdict == VERDICT_REGRESSED || r->verdict == VERDICT_ERROR ? "**" : "");
    }
    fprintf(f, "\n%s.\n", report_method(line, sizeof line, c));
    for (i = 0; i < c->nrows; i++)
        if (c->rows[i].note[0]) {
            fputs("- `", f);
            md_cell(f, c->rows[i].name);
            fprintf(f, "`: %s\n", c->rows[i].note);
        }
limits:
    if (c->nchecks) {
        fprintf(f, "\n| limit | benchmark | value | result |\n|---|---|---:|---|\n");
        for (i = 0; i < c->nchecks; i++) {
            fputs("| `", f);
            md_cell(f, c->checks[i].limit->text);
            fputs("` | `", f);
            md_cell(f, c->checks[i].bench);
            fprintf(f, "` | %.6g | %s |\n", c->checks[i].value,
                    c->checks[i].pass ? "ok" : "**failed**");
        }
    }
    return 0;
}
