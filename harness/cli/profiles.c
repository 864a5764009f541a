/* profiles.c: profiles taken, kept and shown (profiles.h). */
#include "profiles.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "harness/lib/fmt.h"
#include "harness/result/profile.h"
#include "harness/run/counted.h"
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

int profiles_take(const struct plan *p, const struct result *r, int quiet, char *dir,
                  size_t len)
{
    const char *t = getenv("TMPDIR");
    size_t i;

    snprintf(dir, len, "%s/pacer-profiles-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) {
        die_msg("run: --profile: cannot make a folder in %s: %s", t && *t ? t : "/tmp",
                strerror(errno));
        return -1;
    }
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

/* Remove the files of folder dir and the folder. */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[5200];

    if (d) {
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

/* Copy the files of from into the new folder to (across file systems). */
static int copy_tree(const char *from, const char *to)
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
        char a[5200], b[5200], buf[65536];
        FILE *in, *out;
        size_t n;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(a, sizeof a, "%s/%s", from, de->d_name);
        snprintf(b, sizeof b, "%s/%s", to, de->d_name);
        if (!(in = fopen(a, "rb")) || !(out = fopen(b, "wb"))) {
            if (in)
                fclose(in);
            rc = -1;
            break;
        }
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, out) != n)
                rc = -1;
        fclose(in);
        if (fclose(out) != 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

void profiles_discard(const char *dir)
{
    remove_tree(dir);
}

int profiles_keep(const char *dir, const char *result_path, int quiet)
{
    char to[4200];

    profile_dir(to, sizeof to, result_path);
    remove_tree(to);
    if (rename(dir, to) < 0) {
        if (errno != EXDEV || copy_tree(dir, to) < 0) {
            die_msg("run: cannot keep the profiles in %s: %s", to, strerror(errno));
            remove_tree(dir);
            return -1;
        }
        remove_tree(dir);
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

static void show_one(FILE *out, const char *bench, const struct profile *p, const char *svg)
{
    size_t i, k;

    fprintf(out, "%s: %.1f instructions an iteration (profile of %.0f iterations)\n", bench,
            p->total, p->iters);
    fprintf(out, "  %8s %7s %8s %7s  %-32s %s\n", "self", "", "incl", "", "function", "where");
    for (i = 0, k = 0; i < p->nfns && k < PROFILES_TOP; i++) {
        const struct prof_fn *f = &p->fns[i];
        char w[300];
        if (!(f->incl > 1e-4 * p->total))
            continue;    /* the stacks that only lead to the loop */
        fprintf(out, "  %8.1f %6.1f%% %8.1f %6.1f%%  %-32s %s\n", f->self,
                p->total > 0 ? 100 * f->self / p->total : 0, f->incl,
                p->total > 0 ? 100 * f->incl / p->total : 0, f->name, where(f, w, sizeof w));
        k++;
    }
    if (svg)
        fprintf(out, "  flame graph: %s\n", svg);
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
