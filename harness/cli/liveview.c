/* liveview.c: the live view of a load run (liveview.h). */
#include "liveview.h"

#include <math.h>
#include <unistd.h>

#include "harness/lib/fmt.h"

enum live_mode liveview_mode(FILE *f, int quiet, int progress)
{
    if (quiet)
        return LIVE_OFF;
    if (isatty(fileno(f)))
        return LIVE_INPLACE;
    return progress ? LIVE_APPEND : LIVE_OFF;
}

void liveview_attach(struct liveview *v, FILE *f, enum live_mode mode, struct load_opts *o)
{
    v->f = f;
    v->mode = mode;
    v->open = o->rate > 0 || o->nrate_stages;
    v->shown = 0;
    o->progress = mode == LIVE_OFF ? NULL : liveview_interval;
    o->progress_arg = v;
}

void liveview_end(struct liveview *v)
{
    if (v->mode == LIVE_INPLACE && v->shown)
        fputs("\r\033[K", v->f);
    v->shown = 0;
    fflush(v->f);
}

/* A number of users: whole, or with a tenth on a ramp (4.5, not 4). */
static char *users_text(char *buf, size_t len, double u)
{
    snprintf(buf, len, fabs(u - round(u)) < 0.05 ? "%.0f" : "%.1f", u);
    return buf;
}

/* "users 35/40" or "rate 950/s of 1000/s": the shape achieved and asked. */
static void shape_text(const struct liveview *v, const struct load_interval *iv, char *buf,
                       size_t len)
{
    char a[24], b[24];

    if (v->open)
        snprintf(buf, len, "rate %.0f/s of %.0f/s", iv->achieved, iv->target);
    else if (isnan(iv->achieved))
        snprintf(buf, len, "users %s", users_text(b, sizeof b, iv->target));
    else
        snprintf(buf, len, "users %s/%s", users_text(a, sizeof a, iv->achieved),
                 users_text(b, sizeof b, iv->target));
}

void liveview_interval(void *arg, const struct load_interval *iv, double span_s)
{
    struct liveview *v = arg;
    char shape[96], p50[32], p99[32];
    unsigned long long errors = 0;
    int c;

    for (c = 0; c < LC_NCLASS; c++)
        errors += iv->errors[c];
    shape_text(v, iv, shape, sizeof shape);
    /* whole seconds with the default interval, tenths with a shorter one */
    fprintf(v->f, "%s%6.*fs  %s  %.0f req/s  p50 %s  p99 %s  errors %llu",
            v->mode == LIVE_INPLACE ? "\r" : "", span_s < 0.999 ? 1 : 0, iv->t + span_s, shape,
            span_s > 0 ? (double)iv->requests / span_s : 0.0,
            iv->requests ? fmt_time(p50, sizeof p50, (double)iv->p50) : "-",
            iv->requests ? fmt_time(p99, sizeof p99, (double)iv->p99) : "-", errors);
    if (iv->checks_failed)   /* flows' checks: said once there are any */
        fprintf(v->f, "  checks failed %llu", (unsigned long long)iv->checks_failed);
    fputs(v->mode == LIVE_INPLACE ? "\033[K" : "\n", v->f);
    fflush(v->f);
    v->shown = 1;
}
