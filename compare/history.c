/*
 * history.c: the runs of a trend (history.h): the files named, the run
 * each file is, and their order, by time or by git's order of the commits.
 */
#include "history.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/result/isotime.h"
#include "trend_private.h"

/* ---- the files ----------------------------------------------------------- */

static int file_add(struct history *h, char *path)
{
    if (!path ||
        trend_grow((void **)&h->files, &h->filecap, h->nfiles + 1, sizeof *h->files) < 0) {
        free(path);
        return -1;
    }
    h->files[h->nfiles++] = path;
    return 0;
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

/* The *.json regular files of the directory dir (path as named), in name
 * order, appended to h->files. */
static int expand_dir(struct history *h, const char *dir, struct err *e)
{
    struct dirent *d;
    DIR *dp;
    size_t first = h->nfiles, len = strlen(dir);

    if (!(dp = opendir(dir)))
        return err_set(e, "%s: cannot open: %s", dir, strerror(errno));
    while ((errno = 0, d = readdir(dp))) {
        char *p;

        if (d->d_name[0] == '.' || !has_json_ext(d->d_name))
            continue;
        if (asprintf(&p, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", d->d_name) < 0)
            p = NULL;
        if (d->d_type != DT_REG && d->d_type != DT_UNKNOWN && d->d_type != DT_LNK) {
            free(p);
            continue;
        }
        if (file_add(h, p) < 0) {
            closedir(dp);
            return err_set(e, "out of memory");
        }
    }
    if (errno) {
        int saved = errno;

        closedir(dp);
        return err_set(e, "%s: cannot read: %s", dir, strerror(saved));
    }
    closedir(dp);
    if (h->nfiles == first)
        return err_set(e, "%s: no *.json result files", dir);
    qsort(h->files + first, h->nfiles - first, sizeof *h->files, by_str);
    return 0;
}

int history_expand(struct history *h, char *const *paths, size_t npaths, struct err *e)
{
    size_t i;

    for (i = 0; i < npaths; i++) {
        struct stat st;

        if (stat(paths[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
            if (file_add(h, strdup(paths[i])) < 0)
                return err_set(e, "out of memory");
            continue;
        }
        if (expand_dir(h, paths[i], e) < 0)
            return -1;
    }
    return 0;
}

/* ---- runs ---------------------------------------------------------------- */

static char *dup_or_null(const char *s, int *fail)
{
    char *d;

    if (!s)
        return NULL;
    if (!(d = strdup(s)))
        *fail = 1;
    return d;
}

void history_run_free(struct trend_run *r)
{
    free(r->file);
    free(r->time);
    free(r->commit);
    free(r->commit_time);
    free(r->branch);
    free(r->fingerprint);
}

int history_add(struct history *h, const struct trend_file *f, const char *path, size_t fi,
                struct err *e)
{
    struct history_run *r;
    int fail = 0;

    if (trend_grow((void **)&h->runs, &h->runcap, h->nruns + 1, sizeof *h->runs) < 0)
        return err_set(e, "out of memory");
    r = &h->runs[h->nruns];
    memset(r, 0, sizeof *r);
    r->untimed = f->untimed;
    if (!f->time)
        return err_set(e, "%s: context.time: missing", path);
    if (!r->untimed && iso_time_parse(f->time, &r->time) < 0)
        return err_set(e, "%s: context.time: expected an ISO 8601 time, got \"%.64s\"", path,
                       f->time);
    r->key = r->time;
    if (f->commit_time && iso_time_parse(f->commit_time, &r->key) < 0)
        return err_set(e, "%s: context.git.commit_time: expected an ISO 8601 time, got "
                          "\"%.64s\"", path, f->commit_time);
    r->git_pos = SIZE_MAX;
    r->file = fi;
    r->run.file = dup_or_null(path, &fail);
    r->run.time = r->untimed ? NULL : dup_or_null(f->time, &fail);
    r->run.commit = dup_or_null(f->commit, &fail);
    r->run.commit_time = dup_or_null(f->commit_time, &fail);
    r->run.branch = dup_or_null(f->branch, &fail);
    r->run.fingerprint = dup_or_null(f->fingerprint, &fail);
    h->nruns++;
    return fail ? err_set(e, "out of memory") : 0;
}

void history_free(struct history *h)
{
    size_t i;

    for (i = 0; i < h->nfiles; i++)
        free(h->files[i]);
    free(h->files);
    for (i = 0; i < h->nruns; i++)
        history_run_free(&h->runs[i].run);
    free(h->runs);
    memset(h, 0, sizeof *h);
}

/* ---- order ---------------------------------------------------------------- */

static int run_cmp(const void *a, const void *b)
{
    const struct history_run *x = a, *y = b;

    if (x->git_pos != y->git_pos)
        return x->git_pos < y->git_pos ? -1 : 1;
    if (x->untimed != y->untimed)
        return x->untimed ? 1 : -1;
    if (x->untimed)
        return x->file < y->file ? -1 : x->file > y->file;
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
 * listed keep SIZE_MAX and are counted in *unlisted. */
static int git_positions(struct history *h, const char *git_dir, size_t *unlisted,
                         struct err *e)
{
    struct commit_pos *cp = NULL;
    char *buf = NULL, *line, *save = NULL;
    size_t len, n = 0, cap = 0, i;
    int rc = 0;

    if (rev_list(git_dir, &buf, &len, e) < 0)
        return -1;
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (trend_grow((void **)&cp, &cap, n + 1, sizeof *cp) < 0) {
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
    for (i = 0; i < h->nruns; i++) {
        struct history_run *r = &h->runs[i];
        size_t lo = 0, hi = n, clen;

        if (!r->run.commit || !(clen = strlen(r->run.commit))) {
            (*unlisted)++;
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
            (*unlisted)++;
    }
cleanup:
    free(cp);
    free(buf);
    return rc;
}

int history_order(struct history *h, int git_order, const char *git_dir, size_t *unlisted,
                  size_t *untimed, struct err *e)
{
    size_t i;

    *unlisted = 0;
    *untimed = 0;
    for (i = 0; i < h->nruns; i++)
        *untimed += (size_t)h->runs[i].untimed;
    if (git_order && git_positions(h, git_dir, unlisted, e) < 0)
        return -1;
    qsort(h->runs, h->nruns, sizeof *h->runs, run_cmp);
    return 0;
}
