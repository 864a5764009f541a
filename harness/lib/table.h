/*
 * table.h: aligned text tables for the terminal (first column left, the
 * others right), and the one row layout every benchmark table shares.
 */
#ifndef PACER_TABLE_H
#define PACER_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct table {
    size_t ncols, nrows, cap;
    size_t nin;            /* cells table_add takes (ncols at init); the
                              columns added since are left empty */
    char **cells;          /* nrows x ncols, owned */
};

void table_init(struct table *t, size_t ncols);
/* Add a row of the ncols strings given to table_init (copied; NULL
 * prints empty). */
int table_add(struct table *t, const char *const *cells);
void table_print(const struct table *t, FILE *f);
/* The column whose header (row 0) is name: found, or added at the right
 * with empty cells; its index, or -1 when out of memory. */
long table_col(struct table *t, const char *name);
/* Set the cell of the last row in column col to text (copied). */
int table_set_last(struct table *t, size_t col, const char *text);
void table_free(struct table *t);

/* The benchmark table: benchmark, time/op (median), the median's 95 % CI
 * as +-% of it, CV, throughput, samples, iterations per sample. */
#define BENCH_COLS 7
void table_bench_header(struct table *t, const char *unit_title);
int table_add_bench(struct table *t, const char *name, const char *unit, const struct stats *st,
                    double bytes_per_op, double items_per_op, uint64_t iters);
/* A user counter (pacer_counter) of the row just added: its value (the
 * median of its samples) in a column of its name, made at the first row
 * that has it, as Google Benchmark's tabular counters.  unit "/s" for a
 * rate, "s" for an inverted rate, "" for a plain figure. */
int table_add_counter(struct table *t, const char *name, double value, const char *unit);
/* The rows of a complexity fit (bigo.h) as Google Benchmark prints them:
 * family_BigO with c and the shape ("1.30 N"), family_RMS with the RMS
 * ("2 %"). */
int table_add_bigo(struct table *t, const char *family, const char *big_o, double coef,
                   double rms);

#endif
