/*
 * loadgen.c: a load run (loadgen.h): its options, the start of its
 * threads (thread.c) on a shared schedule, and the merge of what each
 * counted when they end (the time series is merged as it goes, in
 * timeline.c).  The files of the generator are listed in
 * loadgen_private.h.
 */
#include "loadgen.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "loadgen_private.h"

static const char *const class_names[LC_NCLASS] = {
    "connect", "read", "write", "timeout", "parse", "status_4xx", "status_5xx", "too_large",
};

const char *load_class_name(enum load_class c)
{
    return (unsigned)c < LC_NCLASS ? class_names[c] : "?";
}

static const char *const io_names[] = {"epoll", "io_uring"};

const char *load_io_name(enum load_io io)
{
    return (unsigned)io < 2 ? io_names[io] : "?";
}

int load_io_parse(const char *s, enum load_io *io)
{
    unsigned i;

    for (i = 0; i < 2; i++)
        if (!strcmp(s, io_names[i])) {
            *io = (enum load_io)i;
            return 0;
        }
    return -1;
}

/* The back end of this load: io_uring only where asked, for the closed
 * loop with keep-alive and without pauses (what it was made and measured
 * for), and where the kernel allows it.  -1 when it was asked for and
 * cannot run this load. */
static int choose_io(const struct load_opts *o, struct shared *sh, struct load_out *out,
                     struct err *e)
{
    const char *why;

    sh->io = out->io = LOAD_IO_EPOLL;
    if (o->io == LOAD_IO_EPOLL)
        return 0;
    if (o->rate > 0 || !o->keepalive || o->nap)
        return err_set(e, "--io io_uring runs the closed loop with keep-alive, without --nap; "
                          "this load (%s) runs on epoll: leave --io out",
                       o->rate > 0 ? "open loop" : !o->keepalive ? "no keep-alive" : "--nap");
    if ((why = uring_available()))
        return err_set(e, "--io io_uring: this system refuses io_uring (%s); leave --io out "
                          "to run on epoll", why);
    sh->io = out->io = LOAD_IO_URING;
    return 0;
}

void load_opts_default(struct load_opts *o)
{
    memset(o, 0, sizeof *o);
    o->connections = 10;
    o->threads = 2;
    o->pipeline = 1;
    o->keepalive = 1;
    o->arrival = ARRIVAL_CONSTANT;
    o->duration_ns = 10000000000ull;
    o->timeout_ns = 2000000000ull;
    o->interval_ns = 1000000000ull;
    o->late_ns = 1000000;
    o->digits = 3;
    o->monitor_period_ns = 100000000ull;
}

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* Add t's errors by class and errno to out's (a new pair at the end). */
static void merge_errnos(struct load_out *out, const struct thread *t)
{
    size_t i, j;

    for (i = 0; i < t->nerrnos; i++) {
        const struct load_errno *te = &t->errnos[i];

        for (j = 0; j < out->nerrnos; j++)
            if (out->errnos[j].cls == te->cls && out->errnos[j].errnum == te->errnum &&
                (out->errnos[j].why == te->why ||
                 (out->errnos[j].why && te->why && !strcmp(out->errnos[j].why, te->why))))
                break;
        if (j == out->nerrnos) {
            struct load_errno *ne = realloc(out->errnos, (j + 1) * sizeof *ne);
            if (!ne)
                return;
            out->errnos = ne;
            out->errnos[j] = t->errnos[i];
            out->errnos[j].count = 0;
            out->nerrnos++;
        }
        out->errnos[j].count += t->errnos[i].count;
    }
}

/* Sum what the n threads counted into out (the latency histograms, counts,
 * errors, CPU time), and copy the time series from the shared slots. */
static int merge(struct load_out *out, struct thread *ts, unsigned n, struct shared *sh,
                 struct err *e)
{
    const struct load_opts *o = sh->o;
    unsigned i;
    int c;

    if (hist_init(&out->latency, o->digits, ts[0].lat.highest, e) < 0 ||
        hist_init(&out->latency_sent, o->digits, ts[0].lat.highest, e) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        struct thread *t = &ts[i];
        double wall, cpu;
        hist_merge(&out->latency, &t->lat, NULL);
        hist_merge(&out->latency_sent, &t->lat_sent, NULL);
        out->requests += t->requests;
        out->sent += t->sent;
        out->bytes += t->bytes;
        out->late += t->late;
        out->queued += t->queued;
        out->due += t->due;
        out->no_conn += t->no_conn;
        out->late_wake += t->late_wake;
        out->warm_requests += t->warm_requests;
        out->warm_errors += t->warm_errors;
        out->connects += t->connects;
        out->server_closed += t->server_closed;
        out->inflight_end += t->inflight_end;
        out->unsent_end += t->unsent_end;
        out->reads += t->reads;
        out->stamped += t->stamped;
        out->naps += t->naps;
        if (sh->io == LOAD_IO_URING && !t->u) {   /* this thread ran on epoll */
            out->io = LOAD_IO_EPOLL;
            snprintf(out->io_note, sizeof out->io_note, "%s", t->io_err.msg);
        }
        for (c = 0; c < LC_NCLASS; c++) {
            out->errors[c] += t->errors[c];
            out->nerrors += t->errors[c];
        }
        merge_errnos(out, t);
        if (t->measuring) {
            double u = tv_s(t->ru1.ru_utime) - tv_s(t->ru0.ru_utime);
            double s = tv_s(t->ru1.ru_stime) - tv_s(t->ru0.ru_stime);
            out->cpu_user += u;
            out->cpu_sys += s;
            wall = (double)(t->w1 - t->w0) / 1e9;
            cpu = u + s;
            if (wall > 0 && cpu / wall > out->busy_max)
                out->busy_max = cpu / wall;
            if (!t->have_q)
                out->wait_max = NAN;
            else if (wall > 0 && !isnan(out->wait_max) &&
                     (double)(t->q1 - t->q0) / 1e9 / wall > out->wait_max)
                out->wait_max = (double)(t->q1 - t->q0) / 1e9 / wall;
        }
    }
    out->niv = sh->nslots;
    out->iv = calloc(sh->nslots ? sh->nslots : 1, sizeof *out->iv);
    if (!out->iv)
        return err_set(e, "out of memory");
    for (i = 0; i < sh->nslots; i++) {
        out->iv[i] = sh->slots[i].row;
        out->iv[i].t = (double)i * (double)o->interval_ns / 1e9;
    }
    return 0;
}

/* Errors that are answers (4xx, 5xx, too large to read), not failed
 * attempts. */
static uint64_t status_errors(const struct load_out *out)
{
    return out->errors[LC_STATUS_4XX] + out->errors[LC_STATUS_5XX] + out->errors[LC_TOO_LARGE];
}

/* Attempts: every response, and every failure without one. */
static uint64_t attempts(const struct load_out *out)
{
    return out->requests + (out->nerrors - status_errors(out));
}

double load_error_rate(const struct load_out *out)
{
    return attempts(out) ? (double)out->nerrors / (double)attempts(out) : 0;
}

uint64_t load_successes(const struct load_out *out)
{
    return out->requests > status_errors(out) ? out->requests - status_errors(out) : 0;
}

const char *load_errno_text(const struct load_errno *en)
{
    if (en->errnum)
        return strerrorname_np(en->errnum);
    if (en->why)
        return en->why;
    return en->cls == LC_READ ? "closed by the server" : NULL;
}

/* The most frequent cause of errors, as "class: text", into buf. */
static const char *main_cause(const struct load_out *out, char *buf, size_t size)
{
    const struct load_errno *top = NULL;
    size_t i;

    for (i = 0; i < out->nerrnos; i++)
        if (!top || out->errnos[i].count > top->count)
            top = &out->errnos[i];
    if (!top)
        return "no error either";
    snprintf(buf, size, "%s%s%s", load_class_name(top->cls), load_errno_text(top) ? ": " : "",
             load_errno_text(top) ? load_errno_text(top) : "");
    return buf;
}

/* Whether the run can be trusted, and if not why, from what was measured:
 * nothing succeeded; the generator's thread was saturated; open-loop
 * requests were seen to late, because the machine did not run the
 * generator on time (its sleeps overran, its threads waited for a CPU) or
 * because it was busy; open-loop requests never sent for lack of a free
 * connection (their latency is unknown).  Requests that waited for a free
 * connection and were sent do not make a run untrustworthy (their latency
 * from the intended start includes the wait, as a user's would): the
 * summary says so. */
static void judge(struct load_out *out, const struct load_opts *o)
{
    char cause[128], late[32];
    unsigned long long due = out->due;

    out->valid = 0;
    snprintf(late, sizeof late, "%.3g ms", (double)o->late_ns / 1e6);
    if (!out->requests)
        snprintf(out->invalid, sizeof out->invalid,
                 "no response in the window: %llu attempts failed, most with %s",
                 (unsigned long long)attempts(out),
                 main_cause(out, cause, sizeof cause));
    else if (!load_successes(out))
        snprintf(out->invalid, sizeof out->invalid,
                 "no successful response: all %llu responses were errors, most with %s",
                 (unsigned long long)out->requests, main_cause(out, cause, sizeof cause));
    else if (out->busy_max > 0.97)
        snprintf(out->invalid, sizeof out->invalid,
                 "the generator was saturated: its busiest thread used %.0f%% of a CPU",
                 out->busy_max * 100);
    else if (o->rate > 0 && due && out->late * 100 > due &&
             (out->late_wake * 2 >= out->late || out->wait_max > 0.05)) {
        if (isnan(out->wait_max))
            snprintf(cause, sizeof cause, "used at most %.0f%% of a CPU", out->busy_max * 100);
        else
            snprintf(cause, sizeof cause, "waited for a CPU up to %.0f%% of the time and used "
                     "at most %.0f%% of one", out->wait_max * 100, out->busy_max * 100);
        snprintf(out->invalid, sizeof out->invalid,
                 "the machine did not run the generator on time: it reached %llu of %llu "
                 "requests more than %s late (%llu after a sleep that overran); its threads %s",
                 (unsigned long long)out->late, due, late,
                 (unsigned long long)out->late_wake, cause);
    }
    else if (o->rate > 0 && due && out->late * 100 > due)
        snprintf(out->invalid, sizeof out->invalid,
                 "the generator fell behind its schedule: it reached %llu of %llu requests "
                 "more than %s late while it was busy (its busiest thread used %.0f%% of a "
                 "CPU)", (unsigned long long)out->late, due, late, out->busy_max * 100);
    else if (o->rate > 0 && due && out->unsent_end * 100 > due)
        snprintf(out->invalid, sizeof out->invalid,
                 "%llu of %llu requests due were never sent, waiting for a connection the "
                 "server held: their latency is unknown, so the percentiles understate it "
                 "(more connections, -c, or a lower rate)",
                 (unsigned long long)out->unsent_end, due);
    else
        out->valid = 1;
}

/* Whether flows can run as o asks: each user keeps one connection
 * (keep-alive, one request at a time), over HTTP, on epoll.  -1 with the
 * cause in e. */
static int flows_unfit(const struct load_opts *o, struct err *e)
{
    if (!o->flows->compiled)
        return err_set(e, "flows not compiled (load_flows_compile)");
    if (o->url.scheme != SCHEME_HTTP)
        return err_set(e, "flows are HTTP: the url must be http://");
    if (!o->keepalive)
        return err_set(e, "a flow's user keeps its connection (its session): no keep-alive "
                          "is not for flows");
    if (o->pipeline != 1)
        return err_set(e, "a flow's user sends one request at a time: no pipelining");
    if (o->io != LOAD_IO_EPOLL)
        return err_set(e, "flows run on epoll: leave --io out");
    return 0;
}

/* The steps and flows of the n threads, summed into out. */
static int merge_flows(struct load_out *out, struct thread *ts, unsigned n,
                       const struct load_opts *o, struct err *e)
{
    const struct load_flows *fs = o->flows;
    size_t f, k, i;
    unsigned j;

    out->steps = calloc(fs->nsteps, sizeof *out->steps);
    out->flows = calloc(fs->nflows, sizeof *out->flows);
    if (!out->steps || !out->flows)
        return err_set(e, "out of memory");
    out->nsteps = fs->nsteps;
    out->nflows = fs->nflows;
    for (f = 0; f < fs->nflows; f++) {
        struct load_flow_out *fo = &out->flows[f];
        fo->name = fs->flows[f].name;
        if (hist_init(&fo->duration, o->digits, ts[0].lat.highest, e) < 0)
            return -1;
        for (j = 0; j < n; j++) {
            hist_merge(&fo->duration, &ts[j].flows[f].dur, NULL);
            fo->iterations += ts[j].flows[f].iterations;
            fo->aborted += ts[j].flows[f].aborted;
        }
        for (k = 0; k < fs->flows[f].nsteps; k++) {
            const struct flow_step *s = &fs->flows[f].steps[k];
            struct load_step_out *so = &out->steps[s->index];
            so->flow = fs->flows[f].name;
            so->name = s->name;
            if (hist_init(&so->latency, o->digits, ts[0].lat.highest, e) < 0 ||
                hist_init(&so->latency_sent, o->digits, ts[0].lat.highest, e) < 0)
                return -1;
            for (j = 0; j < n; j++) {
                const struct step_tally *st = &ts[j].steps[s->index];
                hist_merge(&so->latency, &st->lat, NULL);
                hist_merge(&so->latency_sent, &st->lat_sent, NULL);
                so->requests += st->requests;
                so->checks += st->checks;
                so->checks_failed += st->checks_failed;
                for (i = 0; i < LC_NCLASS; i++) {
                    so->errors[i] += st->errors[i];
                    so->nerrors += st->errors[i];
                }
            }
            out->checks += so->checks;
            out->checks_failed += so->checks_failed;
        }
    }
    return 0;
}

/* Raise the open-file limit to what the connections need: up to the hard
 * limit; above it, -1 with the cause in e. */
static int raise_nofile(size_t need, struct err *e)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
        return 0;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
        return err_set(e, "%zu connections need %zu open files; the hard limit is %llu "
                          "(ulimit -Hn)", need - 64, need, (unsigned long long)rl.rlim_max);
    rl.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
        return err_set(e, "cannot raise the open-file limit to %zu: %s", need, strerror(errno));
    return 0;
}

/* Sleep until t (CLOCK_MONOTONIC ns) or a stop, feeding the live view
 * meanwhile; 0 when t came. */
static int sleep_until(struct shared *sh, uint64_t t)
{
    const struct load_opts *o = sh->o;

    while (clock_now_ns() < t) {
        uint64_t left = t - clock_now_ns();
        struct timespec ts = {0, (long)(left < 10000000 ? left : 10000000)};
        if (o->stop && *o->stop)
            return -1;
        nanosleep(&ts, NULL);
        shape_report(sh);
    }
    return 0;
}

/* The hooks of the measured window (load_opts.window_start, window_end):
 * the end also when the run is stopped early, so a profiler keeps what it
 * has. */
static void profile_window(struct shared *sh)
{
    const struct load_opts *o = sh->o;

    if (!o->window_start || !o->window_end || sleep_until(sh, sh->t_warm) < 0)
        return;
    o->window_start(o->window_arg);
    sleep_until(sh, sh->t_end);
    o->window_end(o->window_arg);
}

/* The caller's options as the run uses them: with stages, their sum as
 * the duration and their peak as the connections or rate (*lo, a copy). 
 * -1 when stages cannot run so. */
static int opts_shaped(const struct load_opts *o, struct load_opts *lo, struct err *e)
{
    *lo = *o;
    if (load_opts_shape(lo) < 0)
        return err_set(e, "stages of connections and stages of rate: give one of the two");
    if ((lo->nstages || lo->nrate_stages) && lo->warmup_ns)
        return err_set(e, "a warmup with stages: the shape is measured whole; make the "
                          "ramp-up its first stage");
    return 0;
}

/* The window the run measured: whole, or up to an early stop; and where
 * it lies on the monitor's clock. */
static void out_window(struct load_out *out, const struct shared *sh, const struct thread *ts)
{
    const struct load_opts *o = sh->o;

    out->complete = !(o->stop && *o->stop);
    out->elapsed_s = (double)o->duration_ns / 1e9;
    if (!out->complete) {
        uint64_t end = ts[0].w1 > sh->t_warm ? ts[0].w1 : sh->t_warm;
        out->elapsed_s = (double)(end - sh->t_warm) / 1e9;
    }
    out->mon_from = (double)(sh->t_warm - out->mon.t0) / 1e9;
    out->mon_to = (double)(sh->t_end - out->mon.t0) / 1e9;
}

/* Set up the n threads, each with its share of the connections (their
 * users numbered on from the thread before).  -1 with the cause in e. */
static int threads_init(struct thread *ts, struct shared *sh, unsigned n, struct err *e)
{
    const struct load_opts *o = sh->o;
    size_t base = 0;
    unsigned i;

    for (i = 0; i < n; i++) {
        size_t share = o->connections / n + (i < o->connections % n);
        if (thread_init(&ts[i], sh, i, share, e) < 0)
            return -1;
        ts[i].conn_base = base;
        base += share;
        if (vuser_init(&ts[i], e) < 0)
            return -1;
    }
    return 0;
}

/* Whether a byte sent over loopback TCP arrives with a receive stamp
 * (SO_TIMESTAMPNS), on the connected pair cfd -> afd. */
static int stamp_arrives(int cfd, int afd)
{
    union {
        char buf[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } ctl;
    char byte;
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {0};
    struct cmsghdr *cm;

    if (write(cfd, "s", 1) != 1)
        return -1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof ctl.buf;
    if (recvmsg(afd, &msg, 0) != 1)
        return -1;
    for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS)
            return 1;
    return 0;
}

/* Turn the kernel's receive stamps on and return the socket that keeps
 * them on (-1 if none).  The kernel does it for the first socket that asks
 * by a deferred work item, and until it is done TCP data come without a
 * stamp: wait (at most 200 ms) until a byte over a loopback connection of
 * our own carries one, so that the threads' first responses do too.
 * Without stamps the loop reads at once and nothing is lost but the
 * arrival times, so a failure here is not an error (and after one, later
 * runs of the process do not wait again). */
static int stamps_on(void)
{
    static _Atomic int waited_in_vain;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {0, 100000};
    struct timespec nap = {0, 1000000};
    socklen_t len = sizeof a;
    int one = 1, keep, lfd, cfd = -1, afd = -1, k, got = -1;

    keep = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (keep < 0 || setsockopt(keep, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) {
        if (keep >= 0)
            close(keep);
        return -1;
    }
    if (waited_in_vain)
        return keep;
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd >= 0 && bind(lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(lfd, 1) == 0 &&
        getsockname(lfd, (struct sockaddr *)&a, &len) == 0 &&
        (cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0 &&
        connect(cfd, (struct sockaddr *)&a, sizeof a) == 0 &&
        (afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0 &&
        setsockopt(afd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) == 0 &&
        setsockopt(afd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0)
        for (k = 0; (got = stamp_arrives(cfd, afd)) == 0 && k < 200; k++)
            nanosleep(&nap, NULL);
    if (got != 1)
        waited_in_vain = 1;
    if (afd >= 0)
        close(afd);
    if (cfd >= 0)
        close(cfd);
    if (lfd >= 0)
        close(lfd);
    return keep;
}

int load_run(const struct load_opts *caller, struct load_out *out, struct err *e)
{
    struct load_opts shaped;
    const struct load_opts *o = &shaped;
    struct shared sh;
    struct thread *ts = NULL;
    unsigned nthreads, i, started = 0;
    uint64_t now;
    int rc = -1, stampfd = -1;

    memset(out, 0, sizeof *out);
    if (opts_shaped(caller, &shaped, e) < 0)
        return -1;
    nthreads = o->threads;
    if (!o->connections || !nthreads || !o->pipeline || !o->reqlen || !o->interval_ns ||
        o->pipeline > 65535)
        return err_set(e, "connections, threads, pipeline and interval must be positive");
    if (o->flows && flows_unfit(o, e) < 0)
        return -1;
    nthreads = nthreads > o->connections ? o->connections : nthreads;
    if (raise_nofile((size_t)o->connections + 64, e) < 0)
        return -1;
    memset(&sh, 0, sizeof sh);
    sh.o = o;
    sh.stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (sh.stopfd < 0)
        return err_set(e, "eventfd: %s", strerror(errno));
    pthread_mutex_init(&sh.lock, NULL);
    sh.nthreads = nthreads;
    if (choose_io(o, &sh, out, e) < 0)
        goto cleanup;
    sh.nslots = (size_t)((o->duration_ns + o->interval_ns - 1) / o->interval_ns);
    sh.slots = calloc(sh.nslots ? sh.nslots : 1, sizeof *sh.slots);
    ts = calloc(nthreads, sizeof *ts);
    if (!sh.slots || !ts) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (monitor_start_procs(&out->mon, o->monitor_pid, o->monitor_procs, o->nmonitor_procs,
                            o->monitor_period_ns, e) < 0)
        goto cleanup;
    stampfd = stamps_on();
    /* the schedule starts once the threads are up */
    now = clock_now_ns() + 20000000;
    sh.t0 = now;
    sh.t_warm = now + o->warmup_ns;
    sh.t_end = sh.t_warm + o->duration_ns;
    if (threads_init(ts, &sh, nthreads, e) < 0)
        goto join;
    for (i = 0; i < nthreads; i++, started++)
        if (pthread_create(&ts[i].tid, NULL, thread_main, &ts[i]) != 0) {
            err_set(e, "cannot start a load thread");
            if (o->stop)
                *o->stop = 1;
            break;
        }
    if (started == nthreads)
        profile_window(&sh);
join:
    for (i = 0; i < started; i++)
        thread_join(&sh, ts[i].tid);
    if (!(o->stop && *o->stop))
        shape_report(&sh);   /* the last intervals */
    monitor_stop(&out->mon);
    if (started < nthreads || e->set)
        goto cleanup;
    for (i = 0; i < nthreads; i++)
        if (ts[i].failed) {
            err_set(e, "%s", ts[i].e.set ? ts[i].e.msg : "out of memory");
            goto cleanup;
        }
    if (merge(out, ts, nthreads, &sh, e) < 0 ||
        (o->flows && merge_flows(out, ts, nthreads, o, e) < 0))
        goto cleanup;
    out_window(out, &sh, ts);
    out->threads = nthreads;
    judge(out, o);
    rc = 0;
cleanup:
    for (i = 0; ts && i < nthreads; i++)
        thread_free(&ts[i]);
    free(ts);
    for (i = 0; sh.slots && i < sh.nslots; i++)
        hist_free(&sh.slots[i].h);
    free(sh.slots);
    pthread_mutex_destroy(&sh.lock);
    close(sh.stopfd);
    if (stampfd >= 0)
        close(stampfd);
    if (rc < 0)
        load_out_free(out);
    return rc;
}

void load_out_free(struct load_out *out)
{
    size_t i;

    for (i = 0; out->steps && i < out->nsteps; i++) {
        hist_free(&out->steps[i].latency);
        hist_free(&out->steps[i].latency_sent);
    }
    for (i = 0; out->flows && i < out->nflows; i++)
        hist_free(&out->flows[i].duration);
    free(out->steps);
    free(out->flows);
    hist_free(&out->latency);
    hist_free(&out->latency_sent);
    free(out->errnos);
    free(out->iv);
    monitor_free(&out->mon);
    memset(out, 0, sizeof *out);
}
