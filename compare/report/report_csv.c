/* report_csv.c: a comparison as CSV (RFC 4180), raw numbers in base units. */
#include <math.h>
#include <string.h>

#include "report.h"

void csv_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void csv_num(FILE *f, double v)
{
    fputc(',', f);
    if (isfinite(v))
        fprintf(f, "%.17g", v);
}

int report_csv(FILE *f, const struct comparison *c, const struct report_opts *ro)
{
    size_t i;

    (void)ro;
    fprintf(f, "benchmark,unit,direction,base_median,new_median,n_base,n_new,ratio,"
               "change,change_lo,change_hi,p,p_adj,mde,threshold,allowance,verdict,note\r\n");
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];

        csv_str(f, r->name);
        fputc(',', f);
        csv_str(f, r->unit);
        fputc(',', f);
        csv_str(f, direction_name(r->dir));
        csv_num(f, r->base_value);
        csv_num(f, r->new_value);
        fprintf(f, ",%zu,%zu", r->n_base, r->n_new);
        csv_num(f, r->ratio);
        csv_num(f, r->change);
        csv_num(f, r->change_lo);
        csv_num(f, r->change_hi);
        csv_num(f, r->p);
        csv_num(f, r->p_adj);
        csv_num(f, r->mde);
        csv_num(f, r->threshold);
        csv_num(f, r->allowance);
        fputc(',', f);
        csv_str(f, verdict_name(r->verdict));
        fputc(',', f);
        csv_str(f, r->note);
        fputs("\r\n", f);
    }
    return 0;
}
