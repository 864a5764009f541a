/* loadsum.c: the human summary of one load run (loadsum.h). */
#include "loadsum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "harness/lib/table.h"
#include "harness/result/loadrep.h"
#include "monlines.h"

static void print_percentiles(FILE *f, const char *label, const struct hist *h)
{
    uint64_t v[LOAD_NPCT];
    char buf[32];
    size_t i;

    fprintf(f, "  %-12s", label);
    if (!h->count) {
        fprintf(f, "no response\n");
        return;
    }
    hist_percentiles(h, load_pct_ranks, LOAD_NPCT, v);
    for (i = 0; i < LOAD_NPCT; i++)
        fprintf(f, "%s %s%s", load_pct_keys[i], fmt_time(buf, sizeof buf, (double)v[i]),
                i + 1 < LOAD_NPCT ? "  " : "");
    fprintf(f, "\n  %-12smean %s", "", fmt_time(buf, sizeof buf, hist_mean(h)));
    if (h->count > 1)
        fprintf(f, ", stddev %s", fmt_time(buf, sizeof buf, hist_stddev(h)));
    fprintf(f, ", %llu responses\n", (unsigned long long)h->count);
}

static void print_errors(FILE *f, const struct load_out *out)
{
    size_t i;
    int c, first = 1;

    fprintf(f, "  %-12s", "errors");
    if (!out->nerrors) {
        fprintf(f, "none\n");
        return;
    }
    fprintf(f, "%llu (%.3g%% of attempts)\n", (unsigned long long)out->nerrors,
            100.0 * load_error_rate(out));
    for (c = 0; c < LC_NCLASS; c++) {
        if (!out->errors[c])
            continue;
        fprintf(f, "  %-12s%-10s %llu", "", load_class_name(c), (unsigned long long)out->errors[c]);
        first = 1;
        for (i = 0; i < out->nerrnos; i++) {
            const struct load_errno *en = &out->errnos[i];
            const char *why;
            if ((int)en->cls != c)
                continue;
            why = load_errno_text(en);
            if (!why)
                continue;
            fprintf(f, "%s%s %llu", first ? " (" : ", ", why, (unsigned long long)en->count);
            first = 0;
        }
        fprintf(f, "%s\n", first ? "" : ")");
    }
}

/* The stages of o as they were given: "10s:50,30s:50,10s:0". */
static void print_stages(FILE *f, const struct load_opts *o)
{
    const struct load_stage *s = o->nstages ? o->stages : o->rate_stages;
    size_t i, n = o->nstages ? o->nstages : o->nrate_stages;
    char d[32];

    for (i = 0; i < n; i++) {
        uint64_t ns = s[i].duration_ns;
        if (ns % 1000000000u == 0)
            snprintf(d, sizeof d, "%llus", (unsigned long long)(ns / 1000000000u));
        else if (ns % 1000000u == 0)
            snprintf(d, sizeof d, "%llums", (unsigned long long)(ns / 1000000u));
        else
            fmt_time(d, sizeof d, (double)ns);
        fprintf(f, "%s%s:%.6g", i ? "," : "", d, s[i].target);
    }
}

/* How far interval iv (span_s long) fell short of the shape asked, in
 * its unit (requests for the open loop, users for the closed); 0 when it
 * did not, or by less than the rounding of a ramp can explain, or (Poisson
 * arrivals) than chance: 3 standard deviations of a Poisson count. */
static double iv_short(const struct load_interval *iv, double span_s, int open, int poisson)
{
    double want, got, gap;

    if (isnan(iv->target) || isnan(iv->achieved) || iv->target <= 0)
        return 0;
    want = open ? iv->target * span_s : iv->target;
    got = open ? iv->achieved * span_s : iv->achieved;
    gap = want - got;
    if (poisson && gap <= 3 * sqrt(want))
        return 0;
    return gap > (open ? 2.0 : 1.0) && gap > 0.05 * want ? gap : 0;
}

/* Where the generator could not keep to the shape asked: each run of
 * intervals that fell short, with the share achieved. */
static void print_shortfall(FILE *f, const struct load_opts *o, const struct load_out *out)
{
    double span = (double)o->interval_ns / 1e9, want = 0, got = 0, shortn = 0;
    int open = o->rate > 0;
    size_t i, from = 0, lines = 0;

    for (i = 0; i <= out->niv; i++) {
        const struct load_interval *iv = i < out->niv ? &out->iv[i] : NULL;
        double s = iv ? iv_short(iv, span, open, o->arrival == ARRIVAL_POISSON) : 0;

        if (s > 0) {
            if (want == 0)
                from = i;
            want += open ? iv->target * span : iv->target;
            got += open ? iv->achieved * span : iv->achieved;
            shortn += s;
            continue;
        }
        if (want == 0)
            continue;
        if (!open)   /* users: a mean over the intervals, not a sum */
            shortn /= (double)(i - from);
        if (lines++ < 5)
            fprintf(f, "  %-12sfrom %g s to %g s: %.0f %% of the asked %s (%.*f %s short)\n",
                    lines == 1 ? "shape" : "", out->iv[from].t, out->iv[i - 1].t + span,
                    100.0 * got / want, open ? "rate sent" : "users connected", open ? 0 : 1,
                    shortn, open ? "requests" : "users on average");
        want = got = shortn = 0;
    }
    if (lines && open && out->no_conn)
        fprintf(f, "  %-12s%llu due while every connection was busy (-c %u): more "
                   "connections let the generator keep up\n", "",
                (unsigned long long)out->no_conn, o->connections);
    else if (lines && !open)
        fprintf(f, "  %-12sconnections not established in time (see the connect errors)\n", "");
}

/* A load of flows: each step's answers, latency, errors and failed checks,
 * and each flow's iterations and their duration. */
static void print_steps(FILE *f, const struct load_opts *o, const struct load_out *out)
{
    static const double ps[] = {50, 90, 99};
    char a[32], b[32], c[32];
    uint64_t v[3];
    size_t i;

    fprintf(f, "  %-20s %9s %9s %9s %9s %9s %8s %7s\n", "step", "requests", "req/s", "p50",
            "p90", "p99", "errors", "checks");
    for (i = 0; i < out->nsteps; i++) {
        const struct load_step_out *s = &out->steps[i];
        hist_percentiles(&s->latency, ps, 3, v);
        fprintf(f, "  %-20s %9llu %9.1f %9s %9s %9s %8llu %7s\n", s->name,
                (unsigned long long)s->requests,
                out->elapsed_s > 0 ? (double)s->requests / out->elapsed_s : 0.0,
                s->requests ? fmt_time(a, sizeof a, (double)v[0]) : "-",
                s->requests ? fmt_time(b, sizeof b, (double)v[1]) : "-",
                s->requests ? fmt_time(c, sizeof c, (double)v[2]) : "-",
                (unsigned long long)s->nerrors,
                s->checks_failed ? "FAILED" : s->checks ? "ok" : "-");
        if (s->checks_failed)
            fprintf(f, "  %-20s %llu of %llu checks failed\n", "",
                    (unsigned long long)s->checks_failed, (unsigned long long)s->checks);
    }
    for (i = 0; i < out->nflows; i++) {
        const struct load_flow_out *fl = &out->flows[i];
        hist_percentiles(&fl->duration, ps, 3, v);
        fprintf(f, "  flow %-15s %llu iterations (%.1f/s), %llu given up; duration p50 %s, "
                   "p99 %s\n", fl->name, (unsigned long long)fl->iterations,
                out->elapsed_s > 0 ? (double)fl->iterations / out->elapsed_s : 0.0,
                (unsigned long long)fl->aborted,
                fl->iterations ? fmt_time(a, sizeof a, (double)v[0]) : "-",
                fl->iterations ? fmt_time(b, sizeof b, (double)v[2]) : "-");
    }
    if (o->rate > 0)
        fprintf(f, "  %-20s latency runs from each step's intended start (the arrival, or "
                   "the end of the think time before it)\n", "");
}

/* Open loop: what was due and sent, and of the requests sent late whose
 * delay it was: the server's (every connection was held, so they waited
 * for one) or the generator's (it was not running when they fell due). */
static void print_schedule(FILE *f, const struct load_opts *o, const struct load_out *out)
{
    unsigned long long waited = out->queued > out->late ? out->queued - out->late : 0;
    char a[32];

    fprintf(f, "  %-12s%llu due, %llu sent; %llu due while every connection was busy\n",
            "schedule", (unsigned long long)out->due, (unsigned long long)out->sent,
            (unsigned long long)out->no_conn);
    fprintf(f, "  %-12s%llu more than %s after their intended start", "sent late",
            (unsigned long long)out->queued, fmt_time(a, sizeof a, (double)o->late_ns));
    if (!out->queued && !out->late) {
        fputc('\n', f);
        return;
    }
    fprintf(f, ":\n  %-12s%llu waited for a free connection (the server held every "
               "connection)\n", "", waited);
    fprintf(f, "  %-12s%llu the generator reached late (it was not running in time", "",
            (unsigned long long)out->late);
    if (out->late_wake)
        fprintf(f, "; %llu after a sleep that overran", (unsigned long long)out->late_wake);
    fputs(")\n", f);
}

/* Connections the server closed: with keep-alive asked, each is a
 * reconnect the user did not ask for, and a server that closes after
 * every response measures as a connection per request; without it they
 * are what was asked. */
static void print_connections(FILE *f, const struct load_opts *o, const struct load_out *out)
{
    double per = out->server_closed ? (double)out->requests / (double)out->server_closed : 0;

    if (!o->keepalive) {
        fprintf(f, "  %-12s%llu opened, a new one per request (--no-keepalive)\n",
                "connections", (unsigned long long)out->connects);
        return;
    }
    if (!out->server_closed)
        return;
    fprintf(f, "  %-12sserver closed %llu connections: keep-alive %s (one close every %.1f "
               "responses; pacer opened each again)\n", "connections",
            (unsigned long long)out->server_closed, per < 2 ? "not in effect" : "only in part",
            per);
}

void load_print_summary(FILE *f, const struct load_opts *o, const struct load_out *out)
{
    char a[32], b[32], c[32];

    fprintf(f, "%s: %s", o->url_text ? o->url_text : "load",
            o->rate > 0 ? "open loop" : "closed loop");
    if (o->nstages || o->nrate_stages) {
        fprintf(f, " in stages of %s ", o->nstages ? "users" : "rate");
        print_stages(f, o);
    }
    if (o->rate > 0)
        fprintf(f, " %s %.6g/s (%s)", o->nrate_stages ? "peaking at" : "at", o->rate,
                o->arrival == ARRIVAL_POISSON ? "poisson" : "constant");
    fprintf(f, ", %u connections, %u thread%s", o->connections, out->threads,
            out->threads == 1 ? "" : "s");
    if (o->pipeline > 1)
        fprintf(f, ", pipeline %u", o->pipeline);
    if (!o->keepalive)
        fprintf(f, ", a new connection per request");
    fprintf(f, ", %s", fmt_time(a, sizeof a, (double)o->duration_ns));
    if (o->warmup_ns)
        fprintf(f, " after %s warmup", fmt_time(b, sizeof b, (double)o->warmup_ns));
    fprintf(f, "%s\n", out->complete ? "" : " (stopped early)");
    fprintf(f, "  %-12s%llu in %.2f s: %.1f/s, %s read\n", "requests",
            (unsigned long long)out->requests, out->elapsed_s,
            out->elapsed_s > 0 ? out->requests / out->elapsed_s : 0.0,
            fmt_bytes_rate(c, sizeof c, out->elapsed_s > 0 ? out->bytes / out->elapsed_s : 0));
    print_percentiles(f, "latency", &out->latency);
    if (o->rate > 0)
        print_percentiles(f, "from send", &out->latency_sent);
    print_errors(f, out);
    print_shortfall(f, o, out);
    if (out->warm_requests || out->warm_errors)
        fprintf(f, "  %-12s%llu responses, %llu errors (not in the figures above)\n",
                "warmup", (unsigned long long)out->warm_requests,
                (unsigned long long)out->warm_errors);
    if (o->rate > 0)
        print_schedule(f, o, out);
    print_connections(f, o, out);
    fprintf(f, "  %-12s%llu in flight, %llu due and not sent\n", "at the end",
            (unsigned long long)out->inflight_end, (unsigned long long)out->unsent_end);
    fprintf(f, "  %-12sCPU %.2f s user + %.2f s sys = %.2f cores; busiest thread %.0f%%; %s\n",
            "generator", out->cpu_user, out->cpu_sys,
            out->elapsed_s > 0 ? (out->cpu_user + out->cpu_sys) / out->elapsed_s : 0.0,
            out->busy_max * 100, load_io_name(out->io));
    if (out->io_note[0])
        fprintf(f, "  %-12s%s: it ran on epoll\n", "", out->io_note);
    if (!isnan(out->wait_max) && out->wait_max >= 0.1)
        fprintf(f, "  %-12sits threads waited for a CPU up to %.0f%% of the time (a busy "
                   "machine)\n", "", out->wait_max * 100);
    if (out->reads) {
        fprintf(f, "  %-12skernel arrival times on %.0f%% of reads (latency ends there)",
                "receive", 100.0 * (double)out->stamped / (double)out->reads);
        if (out->naps)
            fprintf(f, "; %llu pauses of %s", (unsigned long long)out->naps,
                    fmt_time(a, sizeof a, (double)LOAD_NAP_NS));
        fputc('\n', f);
    }
    monlines_monitor(f, &out->mon, out->mon_from, out->mon_to);
    if (o->rate > 0 && out->due && out->no_conn * 100 > out->due)
        fprintf(f, "  %-12s%llu of %llu requests were due while all %u connections were busy "
                   "and waited for one: their latency includes that wait, as a user's would; "
                   "more connections (-c) would leave the wait to the server\n",
                "note", (unsigned long long)out->no_conn, (unsigned long long)out->due,
                o->connections);
    if (out->nsteps)
        print_steps(f, o, out);
    if (!out->valid)
        fprintf(f, "  INVALID     %s\n", out->invalid);
}

/* ---- the table across repetitions ----------------------------------------- */

int repsum_add(struct repsum *s, const struct load_out *out)
{
    static const double ps[] = {50, 99, 99.9};
    uint64_t v[3] = {0, 0, 0};
    double *row;

    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        double (*nr)[REPSUM_NCOLS + 1] = realloc(s->rows, ncap * sizeof *nr);
        if (!nr)
            return -1;
        s->rows = nr;
        s->cap = ncap;
    }
    if (out->latency.count)
        hist_percentiles(&out->latency, ps, 3, v);
    row = s->rows[s->n++];
    row[0] = out->elapsed_s > 0 ? (double)out->requests / out->elapsed_s : 0;
    row[1] = out->latency.count ? (double)v[0] : NAN;
    row[2] = out->latency.count ? (double)v[1] : NAN;
    row[3] = out->latency.count ? (double)v[2] : NAN;
    row[4] = load_error_rate(out);
    row[5] = out->valid;
    return 0;
}

/* A figure of column col as the table shows it. */
static char *repsum_cell(char *buf, size_t len, size_t col, double v)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else if (col == 0)
        snprintf(buf, len, "%.1f", v);
    else if (col == 4)
        snprintf(buf, len, "%.3g%%", v * 100);
    else
        fmt_time(buf, len, v);
    return buf;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The median, min and max of column col over the rows with a figure
 * there; 0 when none has one. */
static size_t repsum_column(const struct repsum *s, size_t col, double *v, double out[3])
{
    size_t i, n = 0;

    for (i = 0; i < s->n; i++)
        if (!isnan(s->rows[i][col]))
            v[n++] = s->rows[i][col];
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    out[0] = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    out[1] = v[0];
    out[2] = v[n - 1];
    return n;
}

void repsum_print(FILE *f, const struct repsum *s)
{
    static const char *const head[] = {"repetition", "req/s", "p50", "p99", "p99.9", "errors"};
    char cells[REPSUM_NCOLS][64], a[32], b[32], num[40];
    const char *row[REPSUM_NCOLS + 1];
    double *v, m[REPSUM_NCOLS][3];
    struct table t;
    size_t i, c, have[REPSUM_NCOLS];

    if (s->n < 2 || !(v = malloc(s->n * sizeof *v)))
        return;
    for (c = 0; c < REPSUM_NCOLS; c++)
        have[c] = repsum_column(s, c, v, m[c]);
    free(v);
    table_init(&t, REPSUM_NCOLS + 1);
    table_add(&t, head);
    for (i = 0; i < s->n; i++) {
        snprintf(num, sizeof num, "%zu%s", i + 1, s->rows[i][REPSUM_NCOLS] ? "" : " INVALID");
        row[0] = num;
        for (c = 0; c < REPSUM_NCOLS; c++)
            row[c + 1] = repsum_cell(cells[c], sizeof cells[c], c, s->rows[i][c]);
        table_add(&t, row);
    }
    row[0] = "median";
    for (c = 0; c < REPSUM_NCOLS; c++)
        row[c + 1] = have[c] ? repsum_cell(cells[c], sizeof cells[c], c, m[c][0]) : "-";
    table_add(&t, row);
    row[0] = "min..max";
    for (c = 0; c < REPSUM_NCOLS; c++) {
        snprintf(cells[c], sizeof cells[c], "%s..%s", repsum_cell(a, sizeof a, c, m[c][1]),
                 repsum_cell(b, sizeof b, c, m[c][2]));
        row[c + 1] = have[c] ? cells[c] : "-";
    }
    table_add(&t, row);
    fprintf(f, "\nacross the %zu repetitions:\n", s->n);
    table_print(&t, f);
    table_free(&t);
}

void repsum_free(struct repsum *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}
