/* table.c: aligned text tables (table.h). */
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

void table_init(struct table *t, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->ncols = t->nin = ncols;
}

int table_add(struct table *t, const char *const *cells)
{
    size_t i;

    if (t->nrows == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 16;
        char **nc = realloc(t->cells, ncap * t->ncols * sizeof *nc);
        if (!nc)
            return -1;
        t->cells = nc;
        t->cap = ncap;
    }
    for (i = 0; i < t->ncols; i++)
        t->cells[t->nrows * t->ncols + i] = strdup(i < t->nin && cells[i] ? cells[i] : "");
    t->nrows++;
    return 0;
}

long table_col(struct table *t, const char *name)
{
    size_t c, r, nc = t->ncols + 1;
    char **cells;

    for (c = 0; t->nrows > 0 && c < t->ncols; c++)
        if (!strcmp(t->cells[c], name))
            return (long)c;
    cells = calloc(t->cap ? t->cap : 1, nc * sizeof *cells);
    if (!cells)
        return -1;
    for (r = 0; r < t->nrows; r++) {
        memcpy(&cells[r * nc], &t->cells[r * t->ncols], t->ncols * sizeof *cells);
        cells[r * nc + t->ncols] = strdup(r == 0 ? name : "");
        if (!cells[r * nc + t->ncols]) {
            while (r-- > 0)
                free(cells[r * nc + t->ncols]);
            free(cells);
            return -1;
        }
    }
    free(t->cells);
    t->cells = cells;
    t->ncols = nc;
    return (long)(nc - 1);
}

int table_set_last(struct table *t, size_t col, const char *text)
{
    char *s, **cell;

    if (t->nrows == 0 || col >= t->ncols || !(s = strdup(text)))
        return -1;
    cell = &t->cells[(t->nrows - 1) * t->ncols + col];
    free(*cell);
    *cell = s;
    return 0;
}

/* Display width: UTF-8 lead bytes, not counting ANSI colour sequences
 * (ESC [ ... letter). */
static size_t width(const char *s)
{
    size_t w = 0;

    for (; *s; s++) {
        if (*s == '\033' && s[1] == '[') {
            for (s += 2; *s && !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')); s++)
                ;
            if (!*s)
                break;
            continue;
        }
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    }
    return w;
}

void table_print(const struct table *t, FILE *f)
{
    size_t *wd = calloc(t->ncols ? t->ncols : 1, sizeof *wd);
    size_t r, c;

    if (!wd)
        return;
    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++) {
            size_t w = width(t->cells[r * t->ncols + c]);
            if (w > wd[c])
                wd[c] = w;
        }
    /* a column with nothing under its header is left out (the throughput
     * of benchmarks that set none, the iterations of commands) */
    for (c = 1; t->nrows > 1 && c < t->ncols; c++) {
        for (r = 1; r < t->nrows; r++)
            if (width(t->cells[r * t->ncols + c]))
                break;
        if (r == t->nrows)
            wd[c] = SIZE_MAX;
    }
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t pad;
            if (wd[c] == SIZE_MAX)
                continue;
            pad = wd[c] - width(s);
            if (c == 0) {
                fputs(s, f);
                if (t->ncols > 1)
                    fprintf(f, "%*s", (int)pad, "");
            } else
                fprintf(f, "  %*s%s", (int)pad, "", s);
        }
        fputc('\n', f);
    }
    free(wd);
}

void table_free(struct table *t)
{
    size_t i;

    for (i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void table_bench_header(struct table *t, const char *unit_title)
{
    const char *h[BENCH_COLS] = {"benchmark", unit_title ? unit_title : "time/op", "±95% CI",
                                 "CV", "throughput", "samples", "iters"};

    table_add(t, h);
}

int table_add_bench(struct table *t, const char *name, const char *unit, const struct stats *st,
                    double bytes_per_op, double items_per_op, uint64_t iters)
{
    char med[32] = "-", ci[32] = "-", cv[32] = "-", tp[32] = "", n[32], it[32];
    const char *row[BENCH_COLS];

    if (st->n > 0)
        fmt_value(med, sizeof med, st->median, unit);
    if (st->n > 0 && isfinite(st->ci_median.lo) && st->median > 0)
        snprintf(ci, sizeof ci, "±%.1f%%",
                 100 * (st->ci_median.hi - st->ci_median.lo) / 2 / st->median);
    if (isfinite(st->cv))
        snprintf(cv, sizeof cv, "%.1f%%", 100 * st->cv);
    if (st->n > 0 && st->median > 0 && !strcmp(unit, "ns")) {
        if (bytes_per_op > 0)
            fmt_bytes_rate(tp, sizeof tp, bytes_per_op * 1e9 / st->median);
        else if (items_per_op > 0)
            fmt_items_rate(tp, sizeof tp, items_per_op * 1e9 / st->median);
    }
    snprintf(n, sizeof n, "%zu", st->n);
    it[0] = '\0';
    if (iters)
        snprintf(it, sizeof it, "%llu", (unsigned long long)iters);
    row[0] = name;
    row[1] = med;
    row[2] = ci;
    row[3] = cv;
    row[4] = tp;
    row[5] = n;
    row[6] = it;
    return table_add(t, row);
}

int table_add_bigo(struct table *t, const char *family, const char *big_o, double coef,
                   double rms)
{
    char name[300], v[64];
    const char *row[BENCH_COLS] = {name, v};

    snprintf(name, sizeof name, "%s_BigO", family);
    snprintf(v, sizeof v, "%.2f %s", coef, big_o);
    if (table_add(t, row) < 0)
        return -1;
    snprintf(name, sizeof name, "%s_RMS", family);
    snprintf(v, sizeof v, "%.0f %%", 100 * rms);
    return table_add(t, row);
}

int table_add_counter(struct table *t, const char *name, double value, const char *unit)
{
    char v[48];
    long col = table_col(t, name);

    if (col < 0)
        return -1;
    if (!strcmp(unit, "s"))
        fmt_time(v, sizeof v, value * 1e9);
    else
        fmt_value(v, sizeof v, value, *unit ? unit : "/s");
    if (!*unit && isfinite(value))   /* a plain figure: "/s" was for its SI prefix */
        v[strlen(v) - 2] = '\0';
    return table_set_last(t, (size_t)col, v);
}
