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
    char **cells;          /* nrows x ncols, owned */
};

void table_init(struct table *t, size_t ncols);
/* Add a row of ncols strings (copied; NULL prints empty). */
int table_add(struct table *t, const char *const *cells);
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

/* The benchmark table: benchmark, time/op (median), the median's 95 % CI
 * as +-% of it, CV, throughput, samples, iterations per sample. */
#define BENCH_COLS 7
void table_bench_header(struct table *t, const char *unit_title);
int table_add_bench(struct table *t, const char *name, const char *unit, const struct stats *st,
                    double bytes_per_op, double items_per_op, uint64_t iters);

#endif
