/*
 * standalone.c: pacer_main(), the entry point of a suite binary.  Under
 * `pacer run` it serves the worker protocol; run by hand it measures every
 * benchmark in this process (no isolation, as Google Benchmark) and prints
 * the benchmark table.
 */
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigo.h"
#include "fmt.h"
#include "measure.h"
#include "pacer.h"
#include "registry.h"
#include "rx.h"
#include "stats.h"
#include "table.h"
#include "worker.h"

struct sa_opts {
    const char *filter;
    unsigned samples;
    uint64_t warmup_ns, target_ns;
    int have_samples, have_warmup, have_target;   /* given on the command line */
    int list;
};

static void sa_usage(FILE *f, const char *prog)
{
    fprintf(f,
            "usage: %s [options]\n"
            "Runs this suite's benchmarks in this process and prints a table.\n"
            "For isolation, statistics across processes and a result file: pacer run %s\n\n"
            "  --filter REGEX      only benchmarks whose name matches (POSIX extended)\n"
            "  --samples N         samples per benchmark (default 30)\n"
            "  --warmup TIME       warmup time per benchmark (default 200ms)\n"
            "  --sample-time TIME  target time of one sample (default 10ms)\n"
            "  --list              print the benchmark names and exit\n"
            "  --help              this text\n",
            prog, prog);
}

static int sa_parse(int argc, char **argv, struct sa_opts *o)
{
    static const struct option lopts[] = {
        {"filter", required_argument, 0, 'f'},      {"samples", required_argument, 0, 'n'},
        {"warmup", required_argument, 0, 'w'},      {"sample-time", required_argument, 0, 't'},
        {"list", no_argument, 0, 'l'},              {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    unsigned long long v;
    int c;

    o->samples = 30;
    o->warmup_ns = 200000000ULL;
    o->target_ns = 10000000ULL;
    while ((c = getopt_long(argc, argv, "f:n:w:t:lh", lopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            o->filter = optarg;
            break;
        case 'n':
            if (fmt_parse_count(optarg, &v) < 0 || v < 1 || v > 1000000) {
                fprintf(stderr, "%s: --samples: '%s' is not a count from 1 to 1000000\n", argv[0],
                        optarg);
                return -1;
            }
            o->samples = (unsigned)v;
            o->have_samples = 1;
            break;
        case 'w':
        case 't':
            if (fmt_parse_duration(optarg, c == 'w' ? &o->warmup_ns : &o->target_ns) < 0) {
                fprintf(stderr, "%s: --%s: '%s' is not a duration (e.g. 200ms)\n", argv[0],
                        c == 'w' ? "warmup" : "sample-time", optarg);
                return -1;
            }
            *(c == 'w' ? &o->have_warmup : &o->have_target) = 1;
            break;
        case 'l':
            o->list = 1;
            break;
        case 'h':
            sa_usage(stdout, argv[0]);
            exit(0);
        default:
            sa_usage(stderr, argv[0]);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
        return -1;
    }
    return 0;
}

/* Above this CV a benchmark is named as noisy after the table (pacer
 * run's default, WARN_CV_DEFAULT). */
#define SA_CV_WARN 0.05
#define SA_NOISY_SHOWN 5

/* The noisy benchmarks seen: how many, and the worst few. */
struct sa_noisy {
    size_t n;
    struct {
        const char *name;
        double cv;
    } worst[SA_NOISY_SHOWN];
};

static void sa_note_noisy(struct sa_noisy *nz, const char *name, double cv)
{
    size_t k = nz->n < SA_NOISY_SHOWN ? nz->n : SA_NOISY_SHOWN, i;

    nz->n++;
    if (k == SA_NOISY_SHOWN && cv <= nz->worst[k - 1].cv)
        return;
    i = k == SA_NOISY_SHOWN ? k - 1 : k;
    for (; i > 0 && nz->worst[i - 1].cv < cv; i--)
        nz->worst[i] = nz->worst[i - 1];
    nz->worst[i].name = name;
    nz->worst[i].cv = cv;
}

/* One warning for all the noisy benchmarks, the worst first. */
static void sa_warn_noisy(const char *prog, const struct sa_noisy *nz)
{
    size_t i, k = nz->n < SA_NOISY_SHOWN ? nz->n : SA_NOISY_SHOWN;

    if (!nz->n)
        return;
    fprintf(stderr, "%s: warning: %zu benchmark%s noisy (CV above %.0f%%):", prog, nz->n,
            nz->n == 1 ? " is" : "s are", 100 * SA_CV_WARN);
    for (i = 0; i < k; i++)
        fprintf(stderr, "%s %s %.1f%%", i ? "," : "", nz->worst[i].name, 100 * nz->worst[i].cv);
    fprintf(stderr, "%s; a quieter machine, more --samples, or pacer run --processes N "
                    "(fresh processes) give steadier figures\n", nz->n > k ? ", ..." : "");
}

/* The user counters of a benchmark's samples (pacer_counter). */
struct sa_counters {
    struct user_counter c[PACER_MAX_COUNTERS];   /* names and flags */
    double *v[PACER_MAX_COUNTERS];                /* a value per sample, NaN unset */
    unsigned n;
};

/* Keep the counters of sample i (of nsamples) of m. */
static int sa_keep_counters(struct sa_counters *sc, const struct measure *m, unsigned i,
                            unsigned nsamples)
{
    unsigned j, k, s;

    for (j = 0; j < m->nuc; j++) {
        for (k = 0; k < sc->n && strcmp(sc->c[k].name, m->uc[j].name); k++)
            ;
        if (k == sc->n) {
            if (!(sc->v[k] = malloc(nsamples * sizeof *sc->v[k])))
                return -1;
            for (s = 0; s < nsamples; s++)
                sc->v[k][s] = NAN;
            sc->c[sc->n++] = m->uc[j];
        }
        sc->v[k][i] = m->uc[j].value;
    }
    return 0;
}

/* Their medians into the row just added, as columns of their names; a
 * counter some sample did not set is left out (as in pacer run). */
static void sa_add_counters(struct table *t, struct sa_counters *sc, unsigned nsamples)
{
    unsigned k, s;

    for (k = 0; k < sc->n; k++) {
        unsigned f = sc->c[k].flags;
        for (s = 0; s < nsamples && isfinite(sc->v[k][s]); s++)
            ;
        if (s == nsamples)
            table_add_counter(t, sc->c[k].name, stats_median(sc->v[k], nsamples),
                              !(f & PACER_COUNTER_RATE)     ? ""
                              : f & PACER_COUNTER_INVERT ? "s"
                                                          : "/s");
    }
}

static void sa_counters_free(struct sa_counters *sc)
{
    unsigned k;

    for (k = 0; k < sc->n; k++)
        free(sc->v[k]);
}

/* The points of one family's complexity fit (.complexity): its
 * instances of one thread count, as measured. */
struct sa_family {
    const struct pacer_def *def;
    unsigned threads;
    double *n, *t;        /* a point per instance measured */
    size_t k;
};

/* Fit and add the rows of every family of def (and forget them). */
static void sa_fit(struct table *t, struct sa_family *fam, size_t *nfam)
{
    struct bigo_fit bf;
    char family[INSTANCE_NAME_MAX + 32];
    size_t i;

    for (i = 0; i < *nfam; i++) {
        const struct pacer_def *d = fam[i].def;
        snprintf(family, sizeof family, "%s%s%s%s", d->group ? d->group : "",
                 d->group ? "/" : "", d->name, d->manual_time ? "/manual_time" : "");
        if (fam[i].threads)
            snprintf(family + strlen(family), sizeof family - strlen(family), "/threads:%u",
                     fam[i].threads);
        if (fam[i].k < 2)
            fprintf(stderr, "%s_BigO: not fitted: fewer than 2 of its benchmarks were "
                            "measured\n", family);
        else if (bigo_fit(fam[i].n, fam[i].t, fam[i].k, (enum bigo_shape)d->complexity, &bf) < 0)
            fprintf(stderr, "%s_BigO: not fitted: its times cannot be fitted\n", family);
        else
            table_add_bigo(t, family, bigo_name(bf.shape), bf.coef, bf.rms);
        free(fam[i].n);
        free(fam[i].t);
    }
    *nfam = 0;
}

/* Note a point of in's family: its n and median time per iteration. */
static int sa_point(struct sa_family *fam, size_t *nfam, const struct instance *in, double n,
                    double median)
{
    size_t i;
    double *nn, *nt;

    for (i = 0; i < *nfam && fam[i].threads != in->threads; i++)
        ;
    if (i == *nfam) {
        memset(&fam[i], 0, sizeof fam[i]);
        fam[i].def = in->def;
        fam[i].threads = in->threads;
        (*nfam)++;
    }
    if (!(nn = realloc(fam[i].n, (fam[i].k + 1) * sizeof *nn)))
        return -1;
    fam[i].n = nn;
    if (!(nt = realloc(fam[i].t, (fam[i].k + 1) * sizeof *nt)))
        return -1;
    fam[i].t = nt;
    nn[fam[i].k] = n;
    nt[fam[i].k++] = median;
    return 0;
}

/* Measure one instance and add its row (or print its error); with
 * .complexity its point into fam. */
static int sa_run_one(const struct instance *in, const struct sa_opts *given, struct table *t,
                      struct sa_noisy *nz, struct sa_family *fam, size_t *nfam)
{
    const struct pacer_def *d = in->def;
    struct sa_opts own = *given, *o = &own;
    struct measure m;
    struct warmup_out wo;
    struct stats st;
    struct sa_counters sc = {0};
    struct err e = {0};
    uint64_t iters, ns;
    double *x = NULL;
    unsigned i;
    int rc = -1;

    /* what the definition asks (->Repetitions(), ->MinTime()), unless the
     * command line said */
    if (d->samples && !o->have_samples)
        o->samples = d->samples;
    if (d->sample_time > 0 && !o->have_target)
        o->target_ns = (uint64_t)(d->sample_time * 1e9);
    if (d->warmup > 0 && !o->have_warmup)
        o->warmup_ns = (uint64_t)(d->warmup * 1e9);
    measure_init(&m, in);
    if (measure_setup(&m, &e) < 0 || measure_calibrate(&m, o->target_ns, 0, &iters, &ns, &e) < 0 ||
        measure_warmup(&m, iters, o->warmup_ns, o->target_ns, 0, &wo, &e) < 0)
        goto cleanup;
    x = malloc(o->samples * sizeof *x);
    if (!x) {
        err_set(&e, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < o->samples; i++) {
        if (measure_once(&m, wo.iters, &ns, &e) < 0)
            goto cleanup;
        x[i] = (double)ns / (double)wo.iters;
        if (sa_keep_counters(&sc, &m, i, o->samples) < 0) {
            err_set(&e, "out of memory");
            goto cleanup;
        }
    }
    if (stats_compute(x, o->samples, NULL, &st) < 0) {
        err_set(&e, "out of memory");
        goto cleanup;
    }
    table_add_bench(t, in->name, "ns", &st, m.priv.bytes_per_op, m.priv.items_per_op, wo.iters);
    sa_add_counters(t, &sc, o->samples);
    if (d->complexity && sa_point(fam, nfam, in, m.complexity_n, st.median) < 0) {
        err_set(&e, "out of memory");
        goto cleanup;
    }
    if (isfinite(st.cv) && st.cv > SA_CV_WARN)
        sa_note_noisy(nz, in->name, st.cv);
    rc = 0;
cleanup:
    measure_teardown(&m);
    if (rc < 0 && m.priv.skipped && !m.priv.skip_error) {
        /* an expected skip: said, and not a failure */
        fprintf(stderr, "%s: skipped: %s\n", in->name, m.priv.skip_reason);
        rc = 0;
    } else if (rc < 0) {
        fprintf(stderr, "%s: error: %s\n", in->name, e.msg);
    }
    free(x);
    sa_counters_free(&sc);
    return rc;
}

int pacer_main(int argc, char **argv)
{
    struct instance *inst = NULL;
    struct sa_opts o = {0};
    struct err e = {0};
    struct table t;
    struct sa_noisy nz = {0};
    struct sa_family *fam = NULL;
    size_t nfam = 0;
    regex_t re;
    size_t n = 0, i, ran = 0;
    int failed = 0, have_re = 0;

    if (argc >= 2 && !strcmp(argv[1], WORKER_FLAG))
        return worker_serve(WORKER_REQ_FD, WORKER_ANS_FD);
    if (sa_parse(argc, argv, &o) < 0)
        return 2;
    if (registry_expand(&inst, &n, &e) < 0) {
        fprintf(stderr, "%s: %s\n", argv[0], e.msg);
        return 2;
    }
    if (o.filter) {
        if (rx_compile(&re, o.filter) != 0) {
            fprintf(stderr, "%s: --filter: '%s' is not a valid regular expression\n", argv[0],
                    o.filter);
            free(inst);
            return 2;
        }
        have_re = 1;
    }
    table_init(&t, BENCH_COLS);
    table_bench_header(&t, "median");
    /* at most one family per thread count of a definition at a time */
    fam = calloc(REGISTRY_MAX_THREADS + 1, sizeof *fam);
    if (!fam) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        free(inst);
        return 2;
    }
    for (i = 0; i < n; i++) {
        /* a definition's families end where its instances end */
        if (nfam && fam[0].def != inst[i].def)
            sa_fit(&t, fam, &nfam);
        if (have_re && regexec(&re, inst[i].name, 0, NULL, 0) != 0)
            continue;
        ran++;
        if (o.list) {
            puts(inst[i].name);
            continue;
        }
        if (sa_run_one(&inst[i], &o, &t, &nz, fam, &nfam) < 0)
            failed = 1;
    }
    if (nfam)
        sa_fit(&t, fam, &nfam);
    free(fam);
    if (ran == 0 && n > 0) {
        /* as pacer run says it: a filter that selects nothing is a mistake */
        fprintf(stderr, "%s: no benchmark matches '%s' (--list shows the names)\n", argv[0],
                o.filter);
        failed = 2;
    } else if (!o.list) {
        table_print(&t, stdout);
        sa_warn_noisy(argv[0], &nz);
    }
    table_free(&t);
    if (have_re)
        regfree(&re);
    free(inst);
    return failed == 2 ? 2 : failed ? 3 : 0;
}
