/* compare_files.c: read result files and compare them (compare_files.h). */
#include "compare_files.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ab.h"
#include "compare/import/import.h"
#include "harness/lib/rx.h"
#include "harness/lib/stats.h"
#include "harness/result/jsonread.h"
#include "policy.h"

/* The thresholds file and the filter into o. */
static int apply_opts(const struct compare_files_opts *fo, struct compare_opts *o,
                      struct compare_files *cf, struct err *e)
{
    if (fo->thresholds &&
        policy_load(fo->thresholds, o, fo->have_threshold, fo->have_drift, e) < 0)
        return -1;
    if (fo->filter) {
        if (rx_compile(&cf->re, fo->filter) != 0)
            return err_set(e, "compare: --filter: '%s' is not a valid regular expression",
                           fo->filter);
        cf->have_re = 1;
        o->filter = &cf->re;
    }
    return 0;
}

#define NOT_RUN_NAMES 3   /* benchmarks named in the refusal of a file */

/* A result of an interrupted run, refused: its benchmarks without samples
 * named (compare_files.h). */
static int refuse_incomplete(const struct result *r, const char *path, struct compare_files *cf,
                             struct err *e)
{
    char names[3 * JR_QUOTE_BUF + 64] = "", q[JR_QUOTE_BUF];
    size_t i, n = 0, o = 0;

    cf->refused = 1;
    for (i = 0; i < r->nbenches; i++) {
        if (r->benches[i].nsamples)
            continue;
        if (n < NOT_RUN_NAMES && o < sizeof names)
            o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", n ? ", " : "",
                                  jr_quote(q, sizeof q, r->benches[i].name));
        n++;
    }
    if (n == 0)
        return err_set(e, "compare: %s: the run was interrupted (\"complete\": false): some "
                          "benchmarks may hold fewer samples than asked for; --allow-incomplete "
                          "compares what finished", path);
    if (n > NOT_RUN_NAMES && o < sizeof names)
        snprintf(names + o, sizeof names - o, " and %zu more", n - NOT_RUN_NAMES);
    return err_set(e, "compare: %s: the run was interrupted (\"complete\": false) before %zu of "
                      "its %zu benchmarks ran: %s; --allow-incomplete compares what finished",
                   path, n, r->nbenches, names);
}

/* Benchmarks of r the filter matches. */
static size_t matching(const struct result *r, const regex_t *re)
{
    size_t i, n = 0;

    for (i = 0; i < r->nbenches; i++)
        n += regexec(re, r->benches[i].name, 0, NULL, 0) == 0;
    return n;
}

/* The filter must match something on each side; else say where it
 * matched nothing (compare_files.h). */
static int check_filter(const struct compare_files_opts *fo, struct compare_files *cf,
                        char *const *paths, size_t n, struct err *e)
{
    size_t nb = n == 2 ? matching(&cf->base, &cf->re) : 0, nn = matching(&cf->nw, &cf->re);

    if ((nb || n == 1) && nn)
        return 0;
    if (!nb && !nn)
        return err_set(e, "compare: --filter: '%s' matches no benchmark in %s%s%s", fo->filter,
                       paths[0], n == 2 ? " or " : "", n == 2 ? paths[1] : "");
    return err_set(e, "compare: --filter: '%s' matches no benchmark in %s (%zu in %s)",
                   fo->filter, nb ? paths[1] : paths[0], nb ? nb : nn, nb ? paths[0] : paths[1]);
}

/* One file read on a thread of its own. */
struct load_job {
    const char *path;
    const struct import_opts *io;
    struct result *out;
    struct err e;
    int rc;
};

static void *load_job_run(void *arg)
{
    struct load_job *j = arg;

    j->rc = import_load_with(j->path, j->io, j->out, NULL, &j->e);
    stats_thread_free();   /* the thread's caches end with it */
    return NULL;
}

/* The two files, read side by side (each parse takes its own arena; on a
 * large pair it halves the wait on two cores).  The first file's error is
 * the one told, as if they were read in turn. */
static int load_pair(char *const *paths, const struct import_opts *io, struct result *base,
                     struct result *nw, struct err *e)
{
    struct load_job j = {paths[1], io, nw, {0}, -1};
    pthread_t t;
    int threaded = pthread_create(&t, NULL, load_job_run, &j) == 0, rc;

    if (!threaded)
        load_job_run(&j);
    rc = import_load_with(paths[0], io, base, NULL, e);
    if (threaded)
        pthread_join(t, NULL);
    if (rc < 0)
        return -1;
    if (j.rc < 0) {
        *e = j.e;
        return -1;
    }
    return 0;
}

int compare_files(char *const *paths, size_t n, const struct compare_files_opts *fo,
                  struct compare_opts *o, struct compare_files *cf, struct err *e)
{
    struct import_opts io = {fo->ignore_failure};
    size_t i;

    memset(cf, 0, sizeof *cf);
    result_init(&cf->base);
    result_init(&cf->nw);
    if (apply_opts(fo, o, cf, e) < 0)
        return -1;
    /* the comparison works from the samples: an imported benchmark's own
     * statistics serve only limits */
    io.no_stats = o->nlimits == 0;
    if (n == 2) {
        if (load_pair(paths, &io, &cf->base, &cf->nw, e) < 0)
            return -1;
        cf->ab_side = ab_is_result(&cf->nw) || ab_is_result(&cf->base);
    } else if (import_load_with(paths[0], &io, &cf->nw, NULL, e) < 0) {
        return -1;
    }
    for (i = 0; i < n && fo->refuse_incomplete; i++) {
        const struct result *r = i == 0 && n == 2 ? &cf->base : &cf->nw;
        if (!r->complete)
            return refuse_incomplete(r, paths[i], cf, e);
    }
    if (n == 1) {
        if (!ab_is_result(&cf->nw))
            return 1;
        cf->paired = 1;
        ab_base_view(&cf->nw, &cf->base);
        o->paired = 1;
    }
    if (cf->have_re && check_filter(fo, cf, paths, n, e) < 0)
        return -1;
    if (compare_results(&cf->base, &cf->nw, o, &cf->cmp, e) < 0)
        return err_prefix(e, "compare: %s and %s", n == 2 ? paths[0] : "base",
                          n == 2 ? paths[1] : "new");
    snprintf(cf->cmp.base_name, sizeof cf->cmp.base_name, "%s", n == 2 ? paths[0] : "base");
    snprintf(cf->cmp.new_name, sizeof cf->cmp.new_name, "%s", paths[n - 1]);
    return 0;
}

void compare_files_free(struct compare_files *cf)
{
    comparison_free(&cf->cmp);
    if (cf->have_re)
        regfree(&cf->re);
    if (!cf->paired)
        result_free(&cf->base);   /* a paired base is a view into nw */
    result_free(&cf->nw);
    memset(cf, 0, sizeof *cf);
}
