/* report_table.c: the aligned terminal table of a comparison. */
#include <math.h>
#include <string.h>

#include "escape.h"
#include "harness/lib/fmt.h"
#include "harness/lib/table.h"
#include "report.h"

static const char *colour_of(enum verdict v)
{
    switch (v) {
    case VERDICT_REGRESSED: return "\033[1;31m";
    case VERDICT_IMPROVED: return "\033[32m";
    case VERDICT_INCONCLUSIVE: return "\033[33m";
    case VERDICT_ERROR: return "\033[1;35m";
    default: return NULL;
    }
}

/* One row per benchmark; the number of rows with a note. */
static size_t put_rows(FILE *f, const struct comparison *c, const struct report_opts *ro)
{
    static const char *head[] = {"benchmark", "base", "new", "change", "95% CI", "p (adj)",
                                 "MDE", "verdict"};
    struct table t;
    size_t i, nnotes = 0;

    table_init(&t, 8);
    table_add(&t, head);
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];
        struct report_cells k;
        char v[48], name[ESCAPE_MAX];
        const char *row[8], *col = ro->color ? colour_of(r->verdict) : NULL;

        report_row_cells(r, &k);
        /* Escape codes have no display width: table.c counts them, so pad
         * the plain word and colour only through the terminal. */
        snprintf(v, sizeof v, "%s%s%s", col ? col : "", verdict_name(r->verdict),
                 col ? "\033[0m" : "");
        row[0] = escape_term(name, sizeof name, r->name);
        row[1] = k.base;
        row[2] = k.nw;
        row[3] = k.change;
        row[4] = k.ci;
        row[5] = k.p;
        row[6] = k.mde;
        row[7] = v;
        table_add(&t, row);
        nnotes += r->note[0] != '\0';
    }
    table_print(&t, f);
    table_free(&t);
    return nnotes;
}

int report_table(FILE *f, const struct comparison *c, const struct report_opts *ro)
{
    char line[2048], name[ESCAPE_MAX], note[ESCAPE_MAX];
    size_t i, nnotes;

    if (c->nrows == 0)   /* limits alone */
        goto limits;
    nnotes = put_rows(f, c, ro);
    if (isfinite(c->geomean)) {
        char g[24];
        fprintf(f, "geometric mean of the changes (%zu benchmark%s): %s\n", c->ngeomean,
                c->ngeomean == 1 ? "" : "s", report_pct(g, sizeof g, c->geomean - 1));
    }
    fprintf(f, "%s\n", report_summary(line, sizeof line, c));
    fprintf(f, "%s\n", report_method(line, sizeof line, c));
    report_legend(f, c);
    if (nnotes) {
        fprintf(f, "notes:\n");
        for (i = 0; i < c->nrows; i++)
            if (c->rows[i].note[0])
                fprintf(f, "  %s: %s\n", escape_term(name, sizeof name, c->rows[i].name),
                        escape_term(note, sizeof note, c->rows[i].note));
    }
limits:
    if (c->nchecks) {
        fprintf(f, "limits:\n");
        for (i = 0; i < c->nchecks; i++) {
            const struct limit_check *k = &c->checks[i];
            char v[48];
            fprintf(f, "  %s  %s: %s  ", k->pass ? "ok  " : "FAIL",
                    escape_term(name, sizeof name, k->bench),
                    report_limit_value(v, sizeof v, k));
            fprintf(f, "%s\n", escape_term(name, sizeof name, k->limit->text));
        }
    }
    report_outcome(f, c, ro->require_conclusive, escape_term_put);
    return 0;
}
