/*
 * trend_read_private.h: what the two files of the trend reader share
 * (trend_read.c reads files, trend_lean.c walks a pacer result).
 */
#ifndef PACER_TREND_READ_PRIVATE_H
#define PACER_TREND_READ_PRIVATE_H

#include <stddef.h>

#include "trend_read.h"

/* A new benchmark record at the end of f->b (NaN median and CI), into *b.
 * 0, or -1 when out of memory. */
int trend_file_add_bench(struct trend_file *f, struct trend_bench_rec **b);

/* Append n samples to f->smp (b->smp is where they start): 0, or -1
 * when out of memory.  From doubles, or from their decimal forms. */
int trend_file_add_samples(struct trend_file *f, struct trend_bench_rec *b, const double *x,
                           const struct jscan_dec *d, size_t n);

/* cluster_centre (cluster.h) of n numbers >= 0 given by their decimal form (d[i], as
 * jscan_numbers takes them), valued as jansson values them: the same
 * double cluster_centre gives of those values. */
double trend_centre_text(const struct jscan_dec *d, size_t n, const size_t *counts, size_t k);

/* The lean read of the len bytes in f->buf (NUL-terminated) into f: 0, or
 * -1 when it gives up (the file is then for the full reader). */
int trend_lean_read(struct trend_file *f, size_t len);

#endif
