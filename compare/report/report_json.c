/* report_json.c: the full analysis, machine-readable. */
#include <math.h>
#include <string.h>

#include "report.h"

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *pair(double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi))
        return json_null();
    return json_pack("[f, f]", lo, hi);
}

/* One side of a row: its median in its unit, samples and processes. */
static json_t *side(double median, const char *unit, size_t n, size_t k)
{
    return json_pack("{s:o, s:s, s:I, s:I}", "median", num(median), "unit", unit ? unit : "",
                     "n", (json_int_t)n, "processes", (json_int_t)k);
}

json_t *report_json_object(const struct comparison *c)
{
    json_t *o = json_object(), *rows = json_array(), *lims = json_array(), *counts = json_object();
    size_t i;
    int v;

    json_object_set_new(o, "mode", json_string(c->paired ? "paired" : "unpaired"));
    json_object_set_new(o, "alpha", json_real(c->alpha));
    json_object_set_new(o, "ci_level", json_real(c->ci_level));
    json_object_set_new(o, "correction", json_string(adjust_name(c->adjust)));
    json_object_set_new(o, "fingerprint_diff",
                        c->fingerprint_diff[0] ? json_string(c->fingerprint_diff) : json_null());
    for (v = 0; v < VERDICT_COUNT; v++)
        json_object_set_new(counts, verdict_name((enum verdict)v),
                            json_integer((json_int_t)c->count[v]));
    json_object_set_new(o, "counts", counts);
    json_object_set_new(o, "geomean_change", num(c->geomean - 1));
    json_object_set_new(o, "drift", c->paired ? json_null()
                        : json_pack("{s:b, s:o, s:o}", "estimated", c->drift_estimated,
                                    "suite_shift",
                                    c->drift_estimated ? num(c->suite_shift) : json_null(),
                                    "excess_spread",
                                    c->drift_estimated ? num(c->drift_tau) : json_null()));
    json_object_set_new(o, "geomean_benchmarks", json_integer((json_int_t)c->ngeomean));
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];
        json_t *row = json_object();

        json_object_set_new(row, "name", json_string(r->name));
        json_object_set_new(row, "unit", json_string(r->unit ? r->unit : ""));
        json_object_set_new(row, "direction", json_string(direction_name(r->dir)));
        json_object_set_new(row, "base", side(r->base_value, r->base ? r->base->unit : r->unit,
                                              r->n_base, r->k_base));
        json_object_set_new(row, "new", side(r->new_value, r->nw ? r->nw->unit : r->unit,
                                             r->n_new, r->k_new));
        json_object_set_new(row, "ratio", num(r->ratio));
        json_object_set_new(row, "change", num(r->change));
        json_object_set_new(row, "change_ci", pair(r->change_lo, r->change_hi));
        json_object_set_new(row, "p", num(r->p));
        json_object_set_new(row, "p_adj", num(r->p_adj));
        json_object_set_new(row, "exact", json_boolean(r->exact));
        json_object_set_new(row, "mde", num(r->mde));
        json_object_set_new(row, "threshold", num(r->threshold));
        json_object_set_new(row, "drift_allowance", num(r->allowance));
        json_object_set_new(row, "verdict", json_string(verdict_name(r->verdict)));
        json_object_set_new(row, "note", r->note[0] ? json_string(r->note) : json_null());
        json_array_append_new(rows, row);
    }
    json_object_set_new(o, "benchmarks", rows);
    for (i = 0; i < c->nchecks; i++)
        json_array_append_new(lims, json_pack("{s:s, s:s, s:o, s:s, s:b}", "limit",
                                              c->checks[i].limit->text, "benchmark",
                                              c->checks[i].bench, "value",
                                              num(c->checks[i].value), "unit",
                                              c->checks[i].unit ? c->checks[i].unit : "",
                                              "pass", c->checks[i].pass));
    json_object_set_new(o, "limits", lims);
    return o;
}

int report_json(FILE *f, const struct comparison *c, const struct report_opts *ro)
{
    json_t *o = report_json_object(c);
    int rc;

    (void)ro;
    if (!o)
        return -1;
    rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    fputc('\n', f);
    json_decref(o);
    return rc;
}
