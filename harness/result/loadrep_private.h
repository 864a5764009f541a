/*
 * loadrep_private.h: what the writer (loadrep.c) and the reader
 * (loadrep_read.c) of a load block share: the keys of its fields and the
 * columns of its tables, each beside the struct member it holds.
 */
#ifndef PACER_LOADREP_PRIVATE_H
#define PACER_LOADREP_PRIVATE_H

#include <stddef.h>

#include "loadrep.h"

/* A member of a struct (at off) and its key or column name. */
struct load_field {
    const char *key;
    size_t off;
};

/* The member f of the struct at base, as a T. */
#define LOAD_AT(T, base, f) ((T *)(void *)((char *)(base) + (f)->off))
#define LOAD_AT_C(T, base, f) ((const T *)(const void *)((const char *)(base) + (f)->off))

/* The uint64_t totals of struct load_rep. */
#define LOAD_NCOUNTS 9
extern const struct load_field load_counts[LOAD_NCOUNTS];

/* The uint64_t totals of struct load_rep that older blocks lack. */
#define LOAD_NCOUNTS_OPT 6
extern const struct load_field load_counts_opt[LOAD_NCOUNTS_OPT];

/* The uint64_t times of struct load_settings. */
#define LOAD_NTIMES 4
extern const struct load_field load_times[LOAD_NTIMES];

/* The series: "t" (a number), the uint64_t members of struct
 * load_interval below, then "errors.CLASS" for every class, then (since
 * schema 1.10) "target" and "achieved" (numbers, null when unknown). */
#define LOAD_NIVCOUNTS 9
/* before schema 1.10: no target, achieved nor too_large */
#define LOAD_SERIES_NCOLS_OLD (1 + LOAD_NIVCOUNTS + LC_NCLASS_OLD)
#define LOAD_SERIES_NCOLS (1 + LOAD_NIVCOUNTS + LC_NCLASS + 2)
extern const struct load_field load_iv_counts[LOAD_NIVCOUNTS];
/* The name of column i of the series into buf (size bytes). */
const char *load_series_column(size_t i, char *buf, size_t size);

/* A monitor row: the doubles of struct mon_row, then its int64_t
 * members; the columns in that order. */
#define LOAD_MON_NREALS 3
#define LOAD_MON_NINTS 8
#define LOAD_MON_NCOLS (LOAD_MON_NREALS + LOAD_MON_NINTS)
extern const struct load_field load_mon_reals[LOAD_MON_NREALS];
extern const struct load_field load_mon_ints[LOAD_MON_NINTS];

/* A tree's TCP counts (since schema 1.11: "tcp" beside its rows, a row
 * each): listen, established, other, then the ports as [["in"|"out",
 * port, count], ...]. */
#define LOAD_TCP_NCOLS 4
extern const char *const load_tcp_cols[LOAD_TCP_NCOLS];

/* The network's rows (since schema 1.11: "monitor_net"): "t", then the
 * int64_t members of struct mon_net_row. */
#define LOAD_NET_NINTS 9
#define LOAD_NET_NCOLS (1 + LOAD_NET_NINTS)
extern const struct load_field load_net_ints[LOAD_NET_NINTS];

/* The doubles of struct mon_summary. */
#define LOAD_NSUMMARY 13
extern const struct load_field load_summary[LOAD_NSUMMARY];

/* "closed", "open"; "constant", "poisson". */
extern const char *const load_modes[2];
extern const char *const load_arrivals[2];

#endif
