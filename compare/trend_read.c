/*
 * trend_read.c: the fast reader of trend_read.h: the file into memory, the
 * lean read (trend_lean.c), and whenever that gives up, import_load.
 * Names are checked for duplicates here, as read_bench does.
 */
#include "trend_read.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster.h"
#include "compare/import/import.h"
#include "trend_read_private.h"

/* ---- benchmarks ------------------------------------------------------------- */

int trend_file_add_bench(struct trend_file *f, struct trend_bench_rec **b)
{
    if (f->nb == f->bcap) {
        size_t cap = f->bcap ? 2 * f->bcap : 64;
        struct trend_bench_rec *nb = realloc(f->b, cap * sizeof *nb);

        if (!nb)
            return -1;
        f->b = nb;
        f->bcap = cap;
    }
    *b = &f->b[f->nb++];
    memset(*b, 0, sizeof **b);
    (*b)->centre = (*b)->lo = (*b)->hi = NAN;
    return 0;
}

int trend_file_add_samples(struct trend_file *f, struct trend_bench_rec *b, const double *x,
                           const struct jscan_dec *d, size_t n)
{
    if (f->nsmp + n > f->smpcap) {
        size_t cap = f->smpcap ? f->smpcap : 1024;
        double *ns;

        while (cap < f->nsmp + n)
            cap *= 2;
        if (!(ns = realloc(f->smp, cap * sizeof *ns)))
            return -1;
        f->smp = ns;
        f->smpcap = cap;
    }
    b->smp = f->nsmp;
    for (size_t i = 0; i < n; i++)
        f->smp[f->nsmp++] = x ? x[i] : jscan_dec_value(&d[i]);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const struct trend_bench_rec *const *)a)->name,
                  (*(const struct trend_bench_rec *const *)b)->name);
}

/* Whether two benchmarks of f have one name (read_bench refuses that). */
static int has_duplicates(struct trend_file *f)
{
    size_t i;

    if (f->nb > f->ordercap) {
        const struct trend_bench_rec **o = realloc(f->order, f->nb * sizeof *o);

        if (!o)
            return 1;
        f->order = o;
        f->ordercap = f->nb;
    }
    for (i = 0; i < f->nb; i++)
        f->order[i] = &f->b[i];
    qsort(f->order, f->nb, sizeof *f->order, by_name);
    for (i = 1; i < f->nb; i++)
        if (strcmp(f->order[i - 1]->name, f->order[i]->name) == 0)
            return 1;
    return 0;
}

/* ---- files --------------------------------------------------------------- */

void trend_file_init(struct trend_file *f)
{
    memset(f, 0, sizeof *f);
    result_init(&f->r);
}

void trend_file_free(struct trend_file *f)
{
    free(f->b);
    free(f->order);
    free(f->buf);
    free(f->arena);
    free(f->nums.d);
    free(f->procs);
    free(f->smp);
    result_free(&f->r);
    memset(f, 0, sizeof *f);
}

static void reset(struct trend_file *f)
{
    f->time = f->commit = f->commit_time = f->branch = f->fingerprint = NULL;
    f->untimed = 0;
    f->nb = 0;
    f->nsmp = 0;
    f->full = 0;
    f->kind = TREND_RUN;
}

/* The whole file into f->buf, NUL-terminated; -1 on any failure (the full
 * reader then says what it is). */
static int slurp(struct trend_file *f, const char *path, size_t *len)
{
    struct stat st;
    size_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (uint64_t)st.st_size > SIZE_MAX / 2 - 2) {
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size + 1 > f->bufcap || (size_t)st.st_size + 1 > f->arenacap) {
        size_t cap = (size_t)st.st_size + 1;
        char *b = realloc(f->buf, cap), *a;

        if (b)
            f->buf = b;
        a = b ? realloc(f->arena, cap) : NULL;
        if (a)
            f->arena = a;
        if (!b || !a) {
            close(fd);
            return -1;
        }
        f->bufcap = f->arenacap = cap;
    }
    while (n < (size_t)st.st_size) {
        ssize_t got = read(fd, f->buf + n, (size_t)st.st_size - n);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (n != (size_t)st.st_size)
        return -1;
    f->buf[n] = '\0';
    *len = n;
    return 0;
}

/* The fields from a fully read result of format fmt. */
static int from_result(struct trend_file *f, enum import_format fmt)
{
    const struct result *r = &f->r;
    size_t i;

    f->full = 1;
    f->kind = r->ab ? TREND_AB : TREND_RUN;
    f->time = r->ctx.time;
    f->untimed = fmt == IMPORT_HYPERFINE;
    f->commit = r->ctx.git_commit;
    f->commit_time = r->ctx.git_commit_time;
    f->branch = r->ctx.git_branch;
    f->fingerprint = r->ctx.fingerprint;
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        struct clustered cl = {b->samples, b->nsamples, b->proc_samples, b->nproc_samples};
        struct trend_bench_rec *t;

        if (trend_file_add_bench(f, &t) < 0)
            return -1;
        t->name = b->name;
        t->unit = b->unit;
        t->dir = b->dir;
        t->centre = cluster_centre(&cl);
        if (b->nsamples && isnan(t->centre))
            return -1;
        t->lo = b->st.n ? b->st.ci_median.lo : NAN;
        t->hi = b->st.n ? b->st.ci_median.hi : NAN;
        t->n = b->nsamples;
        t->failed = b->error != NULL;
        if (f->want_samples && trend_file_add_samples(f, t, b->samples, NULL, b->nsamples) < 0)
            return -1;
        if (b->kind == KIND_LOAD && f->kind == TREND_RUN)
            f->kind = TREND_LOAD;
    }
    return 0;
}

int trend_file_read(struct trend_file *f, const char *path, int force_full, struct err *e)
{
    enum import_format fmt;
    size_t len;

    reset(f);
    result_free(&f->r);
    result_init(&f->r);
    if (!force_full && slurp(f, path, &len) == 0 && trend_lean_read(f, len) == 0 &&
        !has_duplicates(f))
        return 0;
    reset(f);
    if (import_load(path, &f->r, &fmt, e) < 0)
        return -1;
    if (from_result(f, fmt) < 0)
        return err_set(e, "%s: out of memory", path);
    return 0;
}
