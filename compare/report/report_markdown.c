/* report_markdown.c: a comparison as a pull-request comment. */
#include <math.h>
#include <string.h>

#include "escape.h"
#include "harness/lib/fmt.h"
#include "report.h"

static void put_rows(FILE *f, const struct comparison *c)
{
    size_t i;

    fprintf(f, "| benchmark | base | new | change | 95%% CI | p (adj) | MDE | verdict |\n");
    fprintf(f, "|---|---:|---:|---:|---|---:|---:|---|\n");
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];
        struct report_cells k;
        const char *v = verdict_name(r->verdict);
        int strong = r->verdict == VERDICT_REGRESSED || r->verdict == VERDICT_ERROR;

        report_row_cells(r, &k);
        fputs("| ", f);
        escape_md_code(f, r->name, 1);
        fprintf(f, " | %s | %s | %s | %s | %s | %s | %s%s%s |\n", k.base, k.nw, k.change, k.ci,
                k.p, k.mde, strong ? "**" : "", v, strong ? "**" : "");
    }
}

static void put_limits(FILE *f, const struct comparison *c)
{
    size_t i;

    fprintf(f, "\n| limit | benchmark | value | result |\n|---|---|---:|---|\n");
    for (i = 0; i < c->nchecks; i++) {
        char v[48];
        fputs("| ", f);
        escape_md_code(f, c->checks[i].limit->text, 1);
        fputs(" | ", f);
        escape_md_code(f, c->checks[i].bench, 1);
        fprintf(f, " | %s | %s |\n", report_limit_value(v, sizeof v, &c->checks[i]),
                c->checks[i].pass ? "ok" : "**failed**");
    }
}

int report_markdown(FILE *f, const struct comparison *c, const struct report_opts *ro)
{
    char line[2048];
    size_t i;

    if (c->nrows == 0) {   /* limits alone */
        fprintf(f, "### pacer limits: %zu of %zu failed\n", c->limits_failed, c->nchecks);
        goto limits;
    }
    fprintf(f, "### pacer compare: %s\n\n", report_summary(line, sizeof line, c));
    if (isfinite(c->geomean)) {
        char g[24];
        fprintf(f, "Geometric mean of the changes over %zu benchmark%s: **%s** (change > 0 is "
                   "worse).\n\n",
                c->ngeomean, c->ngeomean == 1 ? "" : "s", report_pct(g, sizeof g, c->geomean - 1));
    }
    put_rows(f, c);
    fprintf(f, "\n%s.\n\n", report_method(line, sizeof line, c));
    report_legend(f, c);
    fputc('\n', f);
    for (i = 0; i < c->nrows; i++)
        if (c->rows[i].note[0]) {
            fputs("- ", f);
            escape_md_code(f, c->rows[i].name, 0);
            fputs(": ", f);
            escape_md_text(f, c->rows[i].note);
            fputc('\n', f);
        }
limits:
    if (c->nchecks)
        put_limits(f, c);
    fputc('\n', f);
    report_outcome(f, c, ro->require_conclusive, escape_md_put);
    return 0;
}
