/* loadsum.c: the human summary of one load run (loadsum.h). */
#include "loadsum.h"

#include <math.h>
#include <string.h>

#include "harness/lib/fmt.h"

static void print_percentiles(FILE *f, const char *label, const struct hist *h)
{
    static const double ps[] = {50, 90, 99, 99.9, 99.99, 100};
    static const char *const names[] = {"p50", "p90", "p99", "p99.9", "p99.99", "max"};
    uint64_t v[6];
    char buf[32];
    size_t i;

    fprintf(f, "  %-12s", label);
    if (!h->count) {
        fprintf(f, "no response\n");
        return;
    }
    hist_percentiles(h, ps, 6, v);
    for (i = 0; i < 6; i++)
        fprintf(f, "%s %s%s", names[i], fmt_time(buf, sizeof buf, (double)v[i]),
                i < 5 ? "   " : "");
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
    const struct mon_series *srv = out->mon.nseries > 1 ? &out->mon.series[0] : NULL;

    fprintf(f, "%s: %s", o->url_text ? o->url_text : "load",
            o->rate > 0 ? "open loop" : "closed loop");
    if (o->rate > 0)
        fprintf(f, " at %.6g/s (%s)", o->rate,
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
    if (srv && srv->n >= 2) {
        struct mon_summary ms;
        mon_summarise(srv, out->mon_from, out->mon_to, &ms);
        fprintf(f, "  %-12sCPU %.2f cores mean, %.2f max; RSS %s max; %.0f threads, %.0f fds; "
                   "%.0f context switches/s%s\n",
                "server", ms.cpu_mean, ms.cpu_max, fmt_bytes(a, sizeof a, ms.rss_max),
                ms.threads_max, ms.fds_max, ms.ctxsw_per_s + ms.invol_ctxsw_per_s,
                srv->gone ? " (it exited)" : "");
    }
    if (o->rate > 0 && out->due && out->no_conn * 100 > out->due)
        fprintf(f, "  %-12s%llu of %llu requests were due while all %u connections were busy "
                   "and waited for one: their latency includes that wait, as a user's would; "
                   "more connections (-c) would leave the wait to the server\n",
                "note", (unsigned long long)out->no_conn, (unsigned long long)out->due,
                o->connections);
    if (!out->valid)
        fprintf(f, "  INVALID     %s\n", out->invalid);
}
