/* report_markdown.c: a comparison as a pull-request comment. */
#include <math.h>
#include <string.h>

#include "fmt.h"
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
        char b[32], n[32], ch[24], ci[48], p[24], mde[24];
        const char *v = verdict_name(r->verdict);

        fmt_value(b, sizeof b, r->base_value, r->unit);
        fmt_value(n, sizeof n, r->new_value, r->unit);
        report_pct(ch, sizeof ch, r->change);
        report_ci(ci, sizeof ci, r->change_lo, r->change_hi);
        report_p(p, sizeof p, r->p_adj);
        if (isnan(r->mde))
            snprintf(mde, sizeof mde, "-");
        else
            snprintf(mde, sizeof mde, "%.1f%%", 100 * r->mde);
        fputs("| `", f);
        md_cell(f, r->name);
        fprintf(f, "` | %s | %s | %s | %s | %s | %s | %s%s%s |\n", b, n, ch, ci, p, mde,
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
