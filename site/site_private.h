/*
 * site_private.h: what the files of the report site share: the files kept
 * and the history built from them (site.c), the pages (site_index.c,
 * site_bench.c, site_cmp.c, site_load.c) and the assets (site_assets.c).
 */
#ifndef PACER_SITE_PRIVATE_H
#define PACER_SITE_PRIVATE_H

#include <stddef.h>

#include "compare/compare_files.h"
#include "compare/store.h"
#include "compare/trend.h"
#include "compare/trend_read.h"
#include "harness/result/result.h"
#include "html.h"
#include "site.h"

/* A result file kept (read, not a duplicate). */
struct site_file {
    char *path, *time, *commit, *branch, *fp;
    int kind;                 /* TREND_RUN, TREND_LOAD, TREND_AB */
    size_t nb;                /* benchmarks */
};

/* A file read whole (for its samples, loads, context), kept once read. */
struct site_loaded {
    char *path;
    struct result r;
    int ok;
};

/* The runs of one machine and branch: the newest and the one before it,
 * compared. */
struct site_group {
    const char *fp, *branch;  /* borrowed from the trend's runs */
    size_t latest, prev;      /* trend run indexes; prev SIZE_MAX: none */
    size_t nruns;
    struct compare_files cf;
    struct compare_opts co;
    int compared;             /* cf holds the comparison */
    char slug[96];            /* its page: cmp/SLUG.html */
};

struct site {
    const struct site_opts *o;
    struct site_out *out;
    struct site_file *files;
    size_t nfiles, filecap;
    struct trend t;
    int have_trend;
    struct site_loaded *loaded;
    size_t nloaded, loadcap;
    struct site_group *groups;
    size_t ngroups;
    int plots_off;            /* a picture failed: the rest are left out */
    struct store *db;         /* the store read, or NULL */
};

/* One line for the user (printf-like), kept in out->warnings. */
void site_warn(struct site *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The result of the file at path read whole (cached); NULL when it cannot
 * be read (said once). */
const struct result *site_result(struct site *s, const char *path);
/* The kind (TREND_*) of the file kept at path, TREND_RUN when unknown. */
int site_kind(const struct site *s, const char *path);
/* The file name of a path (after its last /). */
const char *site_base(const char *path);
/* A benchmark's page from a page one folder down: "../bench/SLUG.html",
 * into buf; from the top ("index.html"): without "../" when top. */
char *site_bench_href(char *buf, size_t len, const char *name, int top);
/* The index of the series named name, or SIZE_MAX. */
size_t site_series(const struct site *s, const char *name);
/* How a series' runs are named on its axis: by commit when each run is
 * of a commit of its own, by the time of day when all ran on one day,
 * else by date and time. */
enum { TICK_COMMIT, TICK_CLOCK, TICK_DATE };
int site_tick_mode(const struct site *s, const struct trend_series *ser);
/* The tick of run r (number i) in that mode (its number when it has
 * neither commit nor time). */
void site_tick(char *buf, size_t len, const struct trend_run *r, size_t i, int mode);

int site_assets(const char *dir, struct err *e);
int site_index(struct site *s, struct err *e);
int site_benches(struct site *s, struct err *e);
int site_cmps(struct site *s, struct err *e);
int site_loads(struct site *s, struct err *e);
/* The comparison table as the terminal shows it (no colour), in a <pre>. */
void site_cmp_table(FILE *f, const struct comparison *c);

#endif
