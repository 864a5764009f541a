/* profiles.c: profiles taken, kept and shown (profiles.h). */
#include "profiles.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "explain.h"
#include "compare/report/escape.h"
#include "harness/lib/fmt.h"
#include "harness/result/profile.h"
#include "harness/run/counted.h"
#include "harness/run/tmpfiles.h"
#include "plots/flame.h"

int profiles_ready(void)
{
    char ver[128];
    struct err e = {0};

    if (counted_valgrind(ver, sizeof ver, &e) < 0) {
        die_msg("run: --profile: %s", e.msg + strlen("--mode instructions "));
        return -1;
    }
    return 0;
}

int profiles_dir_make(char *dir, size_t len)
{
    struct err e = {0};

    if (tmp_dir_make(dir, len, "pacer-profiles", &e) < 0) {
        die_msg("run: --profile: %s", e.msg);
        return -1;
    }
    return 0;
}

int profiles_take(const struct plan *p, const struct result *r, int quiet, char *dir,
                  size_t len)
{
    size_t i;

    if (!dir[0] && profiles_dir_make(dir, len) < 0)
        return -1;
    for (i = 0; i < p->njobs && i < r->nbenches; i++) {
        const struct job *j = &p->jobs[i];
        const struct bench *b = &r->benches[i];
        struct run_opts ro = {.set = j->set};
        char name[1024], path[5200];
        struct err e = {0};

        if (!j->li || b->error || !b->name)
            continue;
        if (!quiet)
            fprintf(stderr, "pacer: profiling %s under callgrind\n", b->name);
        snprintf(path, sizeof path, "%s/%s", dir,
                 profile_file_name(name, sizeof name, b->name, ".callgrind"));
        if (counted_profile(j->binary, j->li, &ro,
                            j->set.mode == RUN_MODE_INSTRUCTIONS ? b->iterations : 0, path,
                            &e) < 0)
            warn_msg("%s: no profile: %s", b->name, e.msg);
    }
    return 0;
}

/* Move the files of from into the new folder to, one by one (across file
 * systems). */
static int move_files(const char *from, const char *to)
{
    DIR *d = opendir(from);
    struct dirent *de;
    int rc = 0;

    if (!d || mkdir(to, 0777) < 0) {
        if (d)
            closedir(d);
        return -1;
    }
    while (rc == 0 && (de = readdir(d))) {
        char a[5200], b[5200];
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(a, sizeof a, "%s/%s", from, de->d_name);
        snprintf(b, sizeof b, "%s/%s", to, de->d_name);
        rc = file_move(a, b);
    }
    closedir(d);
    return rc;
}

void profiles_discard(const char *dir)
{
    tmp_dir_remove(dir);
}

int profiles_keep(const char *dir, const char *result_path, int quiet)
{
    char to[4200];

    profile_dir(to, sizeof to, result_path);
    tmp_dir_remove(to);
    if (rename(dir, to) < 0) {
        if (errno != EXDEV || move_files(dir, to) < 0) {
            die_msg("run: cannot keep the profiles in %s: %s", to, strerror(errno));
            tmp_dir_remove(dir);
            return -1;
        }
        tmp_dir_remove(dir);
    }
    if (!quiet)
        fprintf(stderr, "pacer: profiles kept in %s (pacer show --profile %s)\n", to,
                result_path);
    return 0;
}

/* "file:line" of f, or "?" */
static const char *where(const struct prof_fn *f, char *buf, size_t len)
{
    const char *s = f->file ? strrchr(f->file, '/') : NULL;

    if (!f->file || !strcmp(f->file, "???"))
        return "?";
    if (f->line)
        snprintf(buf, len, "%s:%u", s ? s + 1 : f->file, f->line);
    else
        snprintf(buf, len, "%s", s ? s + 1 : f->file);
    return buf;
}

static int by_self(const void *a, const void *b)
{
    double x = (*(const struct prof_fn *const *)a)->self,
           y = (*(const struct prof_fn *const *)b)->self;

    return (x < y) - (x > y);
}

/* The functions that cost most themselves (where the time or the
 * instructions go), with their inclusive cost beside. */
static void show_one(FILE *out, const char *bench, const struct profile *p, const char *svg)
{
    const struct prof_fn **order = malloc((p->nfns + 1) * sizeof *order);
    size_t i, k;

    if (!order)
        return;
    for (i = 0; i < p->nfns; i++)
        order[i] = &p->fns[i];
    qsort(order, p->nfns, sizeof *order, by_self);

    fprintf(out, "%s: %.1f %s %s (profile of %.0f %s)\n", bench, p->total, profile_unit(p),
            profile_per(p), p->iters, !strcmp(p->event, "us") ? "requests" : "iterations");
    fprintf(out, "  %8s %7s %8s %7s  %-40s %s\n", "self", "", "incl", "", "function", "where");
    for (i = 0, k = 0; i < p->nfns && k < PROFILES_TOP; i++) {
        const struct prof_fn *f = order[i];
        char w[300];
        if (!(f->self > 1e-4 * p->total))
            continue;
        fprintf(out, "  %8.1f %6.1f%% %8.1f %6.1f%%  %-40.40s %s\n", f->self,
                p->total > 0 ? 100 * f->self / p->total : 0, f->incl,
                p->total > 0 ? 100 * f->incl / p->total : 0, f->name, where(f, w, sizeof w));
        k++;
    }
    if (svg)
        fprintf(out, "  flame graph: %s\n", svg);
    free(order);
}

int profiles_show_file(FILE *out, const char *bench, const char *path, const char *svg)
{
    struct profile p;
    struct err e = {0};

    if (profile_load(path, &p, &e) < 0) {
        die_msg("show: %s", e.msg);
        return -1;
    }
    if (svg && flame_svg(&p, NULL, bench, svg, &e) < 0) {
        warn_msg("%s: no flame graph: %s", bench, e.msg);
        svg = NULL;
    }
    show_one(out, bench, &p, svg);
    profile_free(&p);
    return 0;
}

int profiles_show(FILE *out, const char *result_path, const struct result *r, const regex_t *re)
{
    char dir[4200], name[1024], path[5400], svg[5400];
    size_t i;
    int shown = 0;

    profile_dir(dir, sizeof dir, result_path);
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        struct profile p;
        struct err e = {0};

        if (!b->name || (re && regexec(re, b->name, 0, NULL, 0) != 0))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir,
                 profile_file_name(name, sizeof name, b->name, ".callgrind"));
        if (access(path, F_OK) != 0)
            continue;
        if (profile_load(path, &p, &e) < 0) {
            die_msg("show: %s", e.msg);
            return -1;
        }
        snprintf(svg, sizeof svg, "%s/%s", dir, profile_file_name(name, sizeof name, b->name,
                                                                   ".svg"));
        if (flame_svg(&p, NULL, b->name, svg, &e) < 0) {
            warn_msg("%s: no flame graph: %s", b->name, e.msg);
            show_one(out, b->name, &p, NULL);
        } else
            show_one(out, b->name, &p, svg);
        shown++;
        profile_free(&p);
    }
    return shown;
}

/* Where part occurs in name as whole '/'-separated parts: its offset, or
 * -1. */
static long part_at(const char *name, const char *part)
{
    size_t len = strlen(part);
    const char *at;

    if (!len)
        return -1;
    for (at = strstr(name, part); at; at = strstr(at + 1, part))
        if ((at == name || at[-1] == '/') && (at[len] == '\0' || at[len] == '/'))
            return at - name;
    return -1;
}

/* The profile file of benchmark bench in dir, into buf. */
static char *profile_path(char *buf, size_t len, const char *dir, const char *bench,
                          const char *ext)
{
    char name[1024];

    snprintf(buf, len, "%s/%s", dir, profile_file_name(name, sizeof name, bench, ext));
    return buf;
}

int profiles_diff(FILE *out, const char *result_path, const struct result *r, const regex_t *re,
                  const char *before, const char *after)
{
    char dir[4200], pb[5400], pn[5400], svg[5400], head[2200], title[2200], eb[ESCAPE_MAX],
        en[ESCAPE_MAX];
    size_t i, k;
    int shown = 0;

    profile_dir(dir, sizeof dir, result_path);
    for (i = 0; i < r->nbenches; i++) {
        const char *bn = r->benches[i].name;
        char *partner;
        long at;

        if (!bn || (re && regexec(re, bn, 0, NULL, 0) != 0) || (at = part_at(bn, before)) < 0)
            continue;
        if (!(partner = malloc(strlen(bn) + strlen(after) + 1)))
            return -1;
        sprintf(partner, "%.*s%s%s", (int)at, bn, after, bn + at + strlen(before));
        for (k = 0; k < r->nbenches; k++)
            if (k != i && r->benches[k].name && !strcmp(r->benches[k].name, partner))
                break;
        profile_path(pb, sizeof pb, dir, bn, ".callgrind");
        profile_path(pn, sizeof pn, dir, partner, ".callgrind");
        profile_path(svg, sizeof svg, dir, partner, ".diff.svg");
        snprintf(head, sizeof head, "%s -> %s", escape_term(eb, sizeof eb, bn),
                 escape_term(en, sizeof en, partner));
        snprintf(title, sizeof title, "%s -> %s", bn, partner);
        if (k == r->nbenches)
            ;   /* no partner: not a pair */
        else if (access(pb, F_OK) != 0 || access(pn, F_OK) != 0)
            warn_msg("show: %s: no profile of %s beside the result", title,
                     access(pb, F_OK) != 0 ? bn : partner);
        else {
            if (!shown)
                fprintf(out, "profile diff (self and inclusive costs, before -> after):\n");
            shown += explain_pair(out, head, pb, pn, title, svg, 0);
        }
        free(partner);
    }
    return shown;
}
