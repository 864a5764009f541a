/*
 * trend.c: result files as series over runs, with their change points
 * (trend.h).  Files are read by trend_read.c (a lean scan of pacer
 * results, import_load for the rest); benchmark names are interned in one
 * hash table as they come, so each file costs a scan and a lookup per
 * benchmark, and what is kept is a few numbers per point.
 */
#include "trend.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trend_read.h"

void trend_opts_default(struct trend_opts *o)
{
    memset(o, 0, sizeof *o);
    cp_opts_default(&o->cp);
}

int trend_worse(enum direction d, double change)
{
    return d == DIR_HIGHER ? change < 0 : change > 0;
}

/* ---- growing arrays and warnings ----------------------------------------- */

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
    size_t cap2;
    void *nv;

    if (need <= *cap)
        return 0;
    cap2 = *cap ? *cap : 16;
    while (cap2 < need)
        cap2 *= 2;
    nv = realloc(*v, cap2 * size);
    if (!nv)
        return -1;
    *v = nv;
    *cap = cap2;
    return 0;
}

static int warn(struct trend *t, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int warn(struct trend *t, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (grow((void **)&t->warnings, cap, t->nwarnings + 1, sizeof *t->warnings) < 0)
        return -1;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    if (!s)
        return -1;
    t->warnings[t->nwarnings++] = s;
    return 0;
}

/* ---- the files ----------------------------------------------------------- */

struct strv {
    char **v;
    size_t n, cap;
};

static int strv_add(struct strv *s, char *str)
{
    if (!str || grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) < 0) {
        free(str);
        return -1;
    }
    s->v[s->n++] = str;
    return 0;
}

static void strv_free(struct strv *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_json_ext(const char *name)
{
    size_t n = strlen(name);

    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The files named: each directory by its *.json regular files, in name
 * order; other paths as they are (their reading says what is wrong). */
static int expand(char *const *paths, size_t npaths, struct strv *files, struct err *e)
{
    size_t i;

    for (i = 0; i < npaths; i++) {
        struct stat st;
        struct dirent *d;
        DIR *dir;
        size_t first = files->n, len = strlen(paths[i]);

        if (stat(paths[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
            if (strv_add(files, strdup(paths[i])) < 0)
                return err_set(e, "out of memory");
            continue;
        }
        if (!(dir = opendir(paths[i])))
            return err_set(e, "%s: cannot open: %s", paths[i], strerror(errno));
        while ((errno = 0, d = readdir(dir))) {
            char *p;

            if (d->d_name[0] == '.' || !has_json_ext(d->d_name))
                continue;
            if (asprintf(&p, "%s%s%s", paths[i], len && paths[i][len - 1] == '/' ? "" : "/",
                         d->d_name) < 0)
                p = NULL;
            if (d->d_type != DT_REG && d->d_type != DT_UNKNOWN && d->d_type != DT_LNK) {
                free(p);
                continue;
            }
            if (strv_add(files, p) < 0) {
                closedir(dir);
                return err_set(e, "out of memory");
            }
        }
        if (errno) {
            int saved = errno;

            closedir(dir);
            return err_set(e, "%s: cannot read: %s", paths[i], strerror(saved));
        }
        closedir(dir);
        if (files->n == first)
            return err_set(e, "%s: no *.json result files", paths[i]);
        qsort(files->v + first, files->n - first, sizeof *files->v, by_str);
    }
    return 0;
}

/* ---- times --------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    long long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static int digits(const char **s, int n, unsigned *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9')
            return -1;
        *v = *v * 10 + (unsigned)((*s)[i] - '0');
    }
    *s += n;
    return 0;
}

/* ISO 8601 date and time, YYYY-MM-DDTHH:MM:SS[.frac][Z|+HH:MM|-HH:MM|+HHMM]
 * (no offset: UTC; a space for the T), as seconds since the epoch. */
static int parse_time(const char *s, double *out)
{
    unsigned y, mo, d, h, mi, sec, oh = 0, om = 0;
    double frac = 0, scale = 0.1;
    int sign = 0;

    if (digits(&s, 4, &y) < 0 || *s++ != '-' || digits(&s, 2, &mo) < 0 || *s++ != '-' ||
        digits(&s, 2, &d) < 0 || (*s != 'T' && *s != 't' && *s != ' '))
        return -1;
    s++;
    if (digits(&s, 2, &h) < 0 || *s++ != ':' || digits(&s, 2, &mi) < 0 || *s++ != ':' ||
        digits(&s, 2, &sec) < 0)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (*s == '.' || *s == ',') {
        s++;
        if (*s < '0' || *s > '9')
            return -1;
        for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
            frac += (*s - '0') * scale;
    }
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        sign = *s++ == '-' ? -1 : 1;
        if (digits(&s, 2, &oh) < 0)
            return -1;
        if (*s == ':')
            s++;
        if (digits(&s, 2, &om) < 0 || oh > 23 || om > 59)
            return -1;
    }
    if (*s)
        return -1;
    *out = (double)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) + frac -
           sign * (double)(oh * 3600 + om * 60);
    return 0;
}

/* ---- names, points, runs -------------------------------------------------- */

struct point_raw {
    uint32_t file;            /* index into the files read */
    uint32_t unit;            /* index into the unit table */
    double value, lo, hi;
    size_t n;
};

/* One benchmark name seen in some file. */
struct name_ent {
    char *name;
    uint64_t hash;
    int matched;              /* by the filter */
    size_t last_file;         /* the last file that had it, + 1 (a name
                                 twice in one file is an error) */
    struct point_raw *pts;
    size_t npts, cap;
};

struct unit_ent {
    char *unit;
    enum direction dir;
};

struct run_raw {
    struct trend_run run;
    double key, time;         /* commit time (else run time), run time */
    size_t git_pos;           /* position from the oldest; SIZE_MAX: unlisted */
    size_t file;              /* index of its file in the files read */
};

struct state {
    const struct trend_opts *o;
    regex_t re;
    int have_re;
    struct name_ent **tab;    /* open addressing, power-of-two size */
    size_t tabsize, nnames;
    struct unit_ent *units;
    size_t nunits, unitcap;
    struct run_raw *runs;
    size_t nruns, runcap;
    size_t warncap;
};

/* FNV-1a, 64 bits (Fowler, Noll and Vo). */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static int tab_grow(struct state *st)
{
    size_t size = st->tabsize ? 2 * st->tabsize : 256, i;
    struct name_ent **t = calloc(size, sizeof *t);

    if (!t)
        return -1;
    for (i = 0; i < st->tabsize; i++) {
        struct name_ent *n = st->tab[i];
        size_t k;

        if (!n)
            continue;
        for (k = n->hash & (size - 1); t[k]; k = (k + 1) & (size - 1))
            ;
        t[k] = n;
    }
    free(st->tab);
    st->tab = t;
    st->tabsize = size;
    return 0;
}

/* The entry of name, made (with the filter applied) when new. */
static struct name_ent *intern(struct state *st, const char *name)
{
    uint64_t h = hash_str(name);
    struct name_ent *n;
    size_t k;

    if (2 * (st->nnames + 1) > st->tabsize && tab_grow(st) < 0)
        return NULL;
    for (k = h & (st->tabsize - 1); st->tab[k]; k = (k + 1) & (st->tabsize - 1))
        if (st->tab[k]->hash == h && !strcmp(st->tab[k]->name, name))
            return st->tab[k];
    if (!(n = calloc(1, sizeof *n)) || !(n->name = strdup(name))) {
        free(n);
        return NULL;
    }
    n->hash = h;
    n->matched = !st->have_re || regexec(&st->re, name, 0, NULL, 0) == 0;
    st->tab[k] = n;
    st->nnames++;
    return n;
}

static long unit_of(struct state *st, const char *unit, enum direction dir)
{
    size_t i;

    for (i = 0; i < st->nunits; i++)
        if (st->units[i].dir == dir && !strcmp(st->units[i].unit, unit))
            return (long)i;
    if (grow((void **)&st->units, &st->unitcap, st->nunits + 1, sizeof *st->units) < 0 ||
        !(st->units[st->nunits].unit = strdup(unit)))
        return -1;
    st->units[st->nunits].dir = dir;
    return (long)st->nunits++;
}

static char *dup_or_null(const char *s, int *fail)
{
    char *d;

    if (!s)
        return NULL;
    if (!(d = strdup(s)))
        *fail = 1;
    return d;
}

static void run_free(struct trend_run *r)
{
    free(r->file);
    free(r->time);
    free(r->commit);
    free(r->commit_time);
    free(r->branch);
}

/* The run of file number fi as read into f, and its points. */
static int take_file(struct state *st, struct trend_file *f, const char *path, size_t fi,
                     struct err *e)
{
    struct run_raw *r;
    size_t i;
    int fail = 0;

    if (grow((void **)&st->runs, &st->runcap, st->nruns + 1, sizeof *st->runs) < 0)
        return err_set(e, "out of memory");
    r = &st->runs[st->nruns];
    memset(r, 0, sizeof *r);
    if (!f->time)
        return err_set(e, "%s: context.time: missing", path);
    if (parse_time(f->time, &r->time) < 0)
        return err_set(e, "%s: context.time: expected an ISO 8601 time, got \"%.64s\"", path,
                       f->time);
    r->key = r->time;
    if (f->commit_time && parse_time(f->commit_time, &r->key) < 0)
        return err_set(e, "%s: context.git.commit_time: expected an ISO 8601 time, got "
                          "\"%.64s\"", path, f->commit_time);
    r->git_pos = SIZE_MAX;
    r->file = fi;
    r->run.file = dup_or_null(path, &fail);
    r->run.time = dup_or_null(f->time, &fail);
    r->run.commit = dup_or_null(f->commit, &fail);
    r->run.commit_time = dup_or_null(f->commit_time, &fail);
    r->run.branch = dup_or_null(f->branch, &fail);
    st->nruns++;
    if (fail)
        return err_set(e, "out of memory");

    for (i = 0; i < f->nb; i++) {
        const struct trend_bench_rec *b = &f->b[i];
        struct name_ent *n = intern(st, b->name);
        struct point_raw *p;
        long u;

        if (!n)
            return err_set(e, "out of memory");
        if (n->last_file == fi + 1)
            return 1;   /* a duplicate: the full reader words it */
        n->last_file = fi + 1;
        if (!n->matched || b->failed || !isfinite(b->median))
            continue;
        if ((u = unit_of(st, b->unit, b->dir)) < 0 ||
            grow((void **)&n->pts, &n->cap, n->npts + 1, sizeof *n->pts) < 0)
            return err_set(e, "out of memory");
        p = &n->pts[n->npts++];
        p->file = (uint32_t)fi;
        p->unit = (uint32_t)u;
        p->value = b->median;
        p->lo = isfinite(b->lo) ? b->lo : NAN;
        p->hi = isfinite(b->hi) ? b->hi : NAN;
        p->n = b->n;
    }
    return 0;
}

static int read_all(struct state *st, const struct strv *files, struct err *e)
{
    struct trend_file f;
    size_t i;
    int rc = 0;

    trend_file_init(&f);
    if (files->n > UINT32_MAX) {
        rc = err_set(e, "too many files (%zu)", files->n);
        goto cleanup;
    }
    for (i = 0; i < files->n && rc == 0; i++) {
        rc = trend_file_read(&f, files->v[i], 0, e);
        if (rc == 0 && (rc = take_file(st, &f, files->v[i], i, e)) > 0) {
            /* Read it fully for the message; should that pass, it has no
             * duplicates after all and its points are taken anew. */
            size_t k;

            for (k = 0; k < st->tabsize; k++)
                if (st->tab[k] && st->tab[k]->last_file == i + 1) {
                    struct name_ent *n = st->tab[k];

                    n->last_file = 0;
                    while (n->npts && n->pts[n->npts - 1].file == i)
                        n->npts--;
                }
            run_free(&st->runs[--st->nruns].run);
            rc = trend_file_read(&f, files->v[i], 1, e);
            if (rc == 0 && (rc = take_file(st, &f, files->v[i], i, e)) > 0)
                rc = err_set(e, "%s: benchmarks: duplicate names", files->v[i]);
        }
    }
cleanup:
    trend_file_free(&f);
    return rc < 0 ? -1 : 0;
}

/* ---- order ---------------------------------------------------------------- */

static int run_cmp(const void *a, const void *b)
{
    const struct run_raw *x = a, *y = b;

    if (x->git_pos != y->git_pos)
        return x->git_pos < y->git_pos ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return strcmp(x->run.file, y->run.file);
}

/* The output of `git [-C dir] rev-list --topo-order HEAD`, newest first,
 * into a new buffer. */
static int rev_list(const char *dir, char **out, size_t *len, struct err *e)
{
    const char *argv[8];
    int po[2], pe[2], status, n = 0;
    char errbuf[512], *buf = NULL;
    size_t cap = 0, got = 0, elen = 0;
    pid_t pid;

    argv[n++] = "git";
    if (dir) {
        argv[n++] = "-C";
        argv[n++] = dir;
    }
    argv[n++] = "rev-list";
    argv[n++] = "--topo-order";
    argv[n++] = "HEAD";
    argv[n] = NULL;
    if (pipe2(po, O_CLOEXEC) < 0)
        return err_set(e, "git rev-list: pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC) < 0) {
        close(po[0]);
        close(po[1]);
        return err_set(e, "git rev-list: pipe: %s", strerror(errno));
    }
    pid = fork();
    if (pid < 0) {
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        return err_set(e, "git rev-list: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        if (dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
            _exit(127);
        execvp("git", (char *const *)argv);
        dprintf(2, "cannot run git: %s\n", strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    for (;;) {
        ssize_t r;

        if (got + 4096 > cap) {
            char *nb = realloc(buf, cap ? 2 * cap : 65536);
            if (!nb)
                break;
            buf = nb;
            cap = cap ? 2 * cap : 65536;
        }
        r = read(po[0], buf + got, cap - got - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(po[0]);
    for (;;) {
        ssize_t r = read(pe[0], errbuf + elen, sizeof errbuf - 1 - elen);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        elen += (size_t)r;
    }
    close(pe[0]);
    errbuf[elen] = '\0';
    errbuf[strcspn(errbuf, "\n")] = '\0';
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            status = -1;
            break;
        }
    if (!buf) {
        return err_set(e, "git rev-list: out of memory");
    }
    buf[got] = '\0';
    if (status != 0) {
        free(buf);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !strncmp(errbuf, "cannot run", 10))
            return err_set(e, "--git-order: %s", errbuf);
        return err_set(e, "--git-order: git rev-list --topo-order HEAD%s%s failed: %s",
                       dir ? " in " : "", dir ? dir : "", errbuf[0] ? errbuf : "no output");
    }
    *out = buf;
    *len = got;
    return 0;
}

struct commit_pos {
    const char *hash;
    size_t pos;
};

static int by_hash(const void *a, const void *b)
{
    return strcmp(((const struct commit_pos *)a)->hash, ((const struct commit_pos *)b)->hash);
}

/* Each run's place in git's order (oldest first); runs whose commit is not
 * listed keep SIZE_MAX and are counted in a warning. */
static int git_positions(struct state *st, struct trend *t, struct err *e)
{
    struct commit_pos *cp = NULL;
    char *buf = NULL, *line, *save = NULL;
    size_t len, n = 0, cap = 0, i, unlisted = 0;
    int rc = 0;

    if (rev_list(st->o->git_dir, &buf, &len, e) < 0)
        return -1;
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (grow((void **)&cp, &cap, n + 1, sizeof *cp) < 0) {
            rc = err_set(e, "out of memory");
            goto cleanup;
        }
        cp[n].hash = line;
        cp[n].pos = n;
        n++;
    }
    for (i = 0; i < n; i++)
        cp[i].pos = n - 1 - cp[i].pos;   /* rev-list lists the newest first */
    if (n)
        qsort(cp, n, sizeof *cp, by_hash);
    for (i = 0; i < st->nruns; i++) {
        struct run_raw *r = &st->runs[i];
        size_t lo = 0, hi = n, clen;

        if (!r->run.commit || !(clen = strlen(r->run.commit))) {
            unlisted++;
            continue;
        }
        while (lo < hi) {   /* the first hash >= the commit */
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(cp[mid].hash, r->run.commit) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n && !strncmp(cp[lo].hash, r->run.commit, clen) &&
            !(lo + 1 < n && !strncmp(cp[lo + 1].hash, r->run.commit, clen)))
            r->git_pos = cp[lo].pos;
        else
            unlisted++;
    }
    if (unlisted && warn(t, &st->warncap,
                         "%zu of %zu runs have no commit in git rev-list --topo-order HEAD%s%s: "
                         "they go last, by time", unlisted, st->nruns,
                         st->o->git_dir ? " of " : "", st->o->git_dir ? st->o->git_dir : "") < 0)
        rc = err_set(e, "out of memory");
cleanup:
    free(cp);
    free(buf);
    return rc;
}

/* ---- series --------------------------------------------------------------- */

/* Benchmarks in name order with numbers by value: size=64 before
 * size=256 (strverscmp). */
static int by_name(const void *a, const void *b)
{
    return strverscmp((*(struct name_ent *const *)a)->name, (*(struct name_ent *const *)b)->name);
}

static int by_run(const void *a, const void *b)
{
    const struct trend_point *x = a, *y = b;

    return x->run < y->run ? -1 : x->run > y->run;
}

/* The series of n over the kept runs (rank: file index -> run index, or
 * SIZE_MAX when not kept). */
static int make_series(struct state *st, struct trend *t, struct name_ent *n,
                       const size_t *rank, struct err *e)
{
    struct trend_series *s = &t->series[t->nseries];
    size_t i, k = 0, newest = 0, dropped = 0;
    uint32_t unit = 0;
    double *x;

    for (i = 0; i < n->npts; i++)
        if (rank[n->pts[i].file] != SIZE_MAX &&
            (k++ == 0 || rank[n->pts[i].file] > rank[n->pts[newest].file]))
            newest = i;
    if (k == 0)
        return 0;
    unit = n->pts[newest].unit;
    memset(s, 0, sizeof *s);
    if (!(s->name = strdup(n->name)) || !(s->unit = strdup(st->units[unit].unit)) ||
        !(s->pts = malloc(k * sizeof *s->pts))) {
        free(s->name);
        free(s->unit);
        return err_set(e, "out of memory");
    }
    s->dir = st->units[unit].dir;
    t->nseries++;
    for (i = 0; i < n->npts; i++) {
        const struct point_raw *p = &n->pts[i];
        struct trend_point *q;

        if (rank[p->file] == SIZE_MAX)
            continue;
        if (p->unit != unit) {
            dropped++;
            continue;
        }
        q = &s->pts[s->n++];
        q->run = rank[p->file];
        q->value = p->value;
        q->lo = p->lo;
        q->hi = p->hi;
        q->n = p->n;
    }
    qsort(s->pts, s->n, sizeof *s->pts, by_run);
    if (dropped && warn(t, &st->warncap, "%s: %zu run%s with another unit or direction than "
                        "the newest (%s, %s is better) left out", s->name, dropped,
                        dropped == 1 ? "" : "s", s->unit,
                        s->dir == DIR_LOWER ? "lower" : "higher") < 0)
        return err_set(e, "out of memory");
    if (!(x = malloc((s->n ? s->n : 1) * sizeof *x)))
        return err_set(e, "out of memory");
    for (i = 0; i < s->n; i++)
        x[i] = s->pts[i].value;
    if (cp_detect(x, s->n, &st->o->cp, &s->cps, &s->ncps, e) < 0) {
        free(x);
        return err_prefix(e, "%s", s->name);
    }
    free(x);
    return 0;
}

static int build(struct state *st, struct trend *t, size_t nfiles, struct err *e)
{
    struct name_ent **names = NULL;
    size_t *rank = NULL, i, k, first;
    int rc = -1;

    if (st->o->git_order && git_positions(st, t, e) < 0)
        return -1;
    qsort(st->runs, st->nruns, sizeof *st->runs, run_cmp);
    first = st->o->last && st->o->last < st->nruns ? st->nruns - st->o->last : 0;
    if (!(rank = malloc((nfiles ? nfiles : 1) * sizeof *rank)) ||
        !(t->runs = calloc(st->nruns - first ? st->nruns - first : 1, sizeof *t->runs))) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < nfiles; i++)
        rank[i] = SIZE_MAX;
    for (i = first; i < st->nruns; i++) {
        rank[st->runs[i].file] = i - first;
        t->runs[i - first] = st->runs[i].run;
        memset(&st->runs[i].run, 0, sizeof st->runs[i].run);
    }
    t->nruns = st->nruns - first;

    if (!(names = malloc((st->nnames ? st->nnames : 1) * sizeof *names)) ||
        !(t->series = calloc(st->nnames ? st->nnames : 1, sizeof *t->series))) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (i = 0, k = 0; i < st->tabsize; i++)
        if (st->tab[i])
            names[k++] = st->tab[i];
    qsort(names, k, sizeof *names, by_name);
    for (i = 0; i < k; i++)
        if (names[i]->matched && make_series(st, t, names[i], rank, e) < 0)
            goto cleanup;
    rc = 0;
cleanup:
    free(names);
    free(rank);
    return rc;
}

static void state_free(struct state *st)
{
    size_t i;

    for (i = 0; i < st->tabsize; i++)
        if (st->tab[i]) {
            free(st->tab[i]->name);
            free(st->tab[i]->pts);
            free(st->tab[i]);
        }
    free(st->tab);
    for (i = 0; i < st->nunits; i++)
        free(st->units[i].unit);
    free(st->units);
    for (i = 0; i < st->nruns; i++)
        run_free(&st->runs[i].run);
    free(st->runs);
    if (st->have_re)
        regfree(&st->re);
}

int trend_build(char *const *paths, size_t npaths, const struct trend_opts *o, struct trend *t,
                struct err *e)
{
    struct state st;
    struct strv files = {0};
    int rc = -1;

    memset(t, 0, sizeof *t);
    memset(&st, 0, sizeof st);
    st.o = o;
    if (o->filter) {
        if (regcomp(&st.re, o->filter, REG_EXTENDED | REG_NOSUB) != 0)
            return err_set(e, "'%s' is not a valid regular expression", o->filter);
        st.have_re = 1;
    }
    if (npaths == 0) {
        err_set(e, "no result files given");
        goto cleanup;
    }
    if (expand(paths, npaths, &files, e) < 0 || read_all(&st, &files, e) < 0 ||
        build(&st, t, files.n, e) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    state_free(&st);
    strv_free(&files);
    return rc;
}

void trend_free(struct trend *t)
{
    size_t i;

    for (i = 0; i < t->nruns; i++)
        run_free(&t->runs[i]);
    free(t->runs);
    for (i = 0; i < t->nseries; i++) {
        free(t->series[i].name);
        free(t->series[i].unit);
        free(t->series[i].pts);
        free(t->series[i].cps);
    }
    free(t->series);
    for (i = 0; i < t->nwarnings; i++)
        free(t->warnings[i]);
    free(t->warnings);
    memset(t, 0, sizeof *t);
}

int trend_series_regressed(const struct trend *t, const struct trend_series *s)
{
    const struct changepoint *c;

    if (!s->ncps || !s->n || !t->nruns || s->pts[s->n - 1].run != t->nruns - 1)
        return 0;
    c = &s->cps[s->ncps - 1];
    return trend_worse(s->dir, c->change);
}

int trend_new_regression(const struct trend *t)
{
    size_t i;

    for (i = 0; i < t->nseries; i++)
        if (trend_series_regressed(t, &t->series[i]))
            return 1;
    return 0;
}
