/*
 * vuser.c: virtual users (flows, flow.h) on the connections of a load
 * thread.  Each connection carries one user: its flow and step, its
 * variables and cookies, the request it sends and the answer it reads.
 * conn.c moves the bytes as for a single request; here a request is made
 * from the step's templates, and an answer is checked, captured from and
 * counted under its step.  A user that thinks between steps waits on the
 * thread's heap of wake-ups, so that a thousand thinking users cost
 * nothing until one is due.
 *
 * Closed loop: each user runs its flow over and over, a new iteration
 * after the last step's think time.  Open loop: an arrival gives a new
 * iteration to a free user; the user is free again when the iteration
 * ends (the last step's think time is not waited: nothing follows it).
 */
#include "loadgen_private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_BODY_DEFAULT (1u << 20)
#define WHY_TOO_LARGE "larger than a flow keeps (1 MiB): its checks and captures cannot read it"
#define WHY_NO_REQUEST "a variable's value holds CR or LF: no request could be made"

static const struct load_flows *flows_of(const struct thread *t)
{
    return t->o->flows;
}

static const struct flow_step *step_of(const struct thread *t, const struct vuser *u)
{
    return &flows_of(t)->flows[u->flow].steps[u->step];
}

/* ---- set-up ---------------------------------------------------------------- */

/* The shortest time th can be. */
static uint64_t think_least(const struct think *th)
{
    return th->kind == THINK_FIXED || th->kind == THINK_UNIFORM ? th->a : 0;
}

int vuser_init(struct thread *t, struct err *e)
{
    const struct load_flows *fs = flows_of(t);
    uint64_t highest = t->lat.highest;
    double sum = 0;
    size_t i;

    if (!fs)
        return 0;
    if (t->o->rate <= 0)   /* the open loop's is seeded for its arrivals */
        rng_seed(&t->rng, t->o->seed * 1000003u + t->index + 1);
    t->users = calloc(t->nconns, sizeof *t->users);
    t->steps = calloc(fs->nsteps, sizeof *t->steps);
    t->flows = calloc(fs->nflows, sizeof *t->flows);
    t->flow_cum = calloc(fs->nflows, sizeof *t->flow_cum);
    t->wakes = calloc(t->nconns, sizeof *t->wakes);
    if (!t->users || !t->steps || !t->flows || !t->flow_cum || !t->wakes)
        return err_set(e, "out of memory");
    for (i = 0; i < t->nconns; i++) {
        struct vuser *u = &t->users[i];
        u->number = (uint32_t)(t->conn_base + i + 1);
        u->rows = calloc(fs->ndata ? fs->ndata : 1, sizeof *u->rows);
        u->cap = calloc(fs->ncaptures ? fs->ncaptures : 1, sizeof *u->cap);
        if (!u->rows || !u->cap)
            return err_set(e, "out of memory");
        t->conns[i].u = u;
    }
    for (i = 0; i < fs->nsteps; i++)
        if (hist_init(&t->steps[i].lat, t->o->digits, highest, e) < 0 ||
            hist_init(&t->steps[i].lat_sent, t->o->digits, highest, e) < 0)
            return -1;
    t->lazy = t->o->rate <= 0;
    for (i = 0; i < fs->nflows; i++) {
        size_t k;
        if (hist_init(&t->flows[i].dur, t->o->digits, highest, e) < 0)
            return -1;
        sum += fs->flows[i].weight;
        t->flow_cum[i] = sum;
        for (k = 0; k < fs->flows[i].nsteps; k++)
            t->lazy &= think_least(fs->flows[i].steps[k].has_think ? &fs->flows[i].steps[k].think
                                                                  : &fs->flows[i].think) >=
                       LAZY_THINK_NS;
    }
    return 0;
}

void vuser_free(struct thread *t)
{
    const struct load_flows *fs = t->o ? flows_of(t) : NULL;   /* never set up: no o */
    size_t i, k;

    if (!fs)
        return;
    for (i = 0; t->users && i < t->nconns; i++) {
        struct vuser *u = &t->users[i];
        for (k = 0; u->cap && k < fs->ncaptures; k++)
            free(u->cap[k]);
        for (k = 0; k < u->njar; k++) {
            free(u->jar[k].name);
            free(u->jar[k].value);
        }
        free(u->jar);
        free(u->cap);
        free(u->rows);
        free(u->req);
        free(u->body);
        free(u->resp);
    }
    for (i = 0; t->steps && i < fs->nsteps; i++) {
        hist_free(&t->steps[i].lat);
        hist_free(&t->steps[i].lat_sent);
    }
    for (i = 0; t->flows && i < fs->nflows; i++)
        hist_free(&t->flows[i].dur);
    free(t->users);
    free(t->steps);
    free(t->flows);
    free(t->flow_cum);
    free(t->wakes);
}

/* ---- the heap of wake-ups ---------------------------------------------------- */

static void wake_push(struct thread *t, uint64_t at, uint32_t conn)
{
    size_t i = t->nwakes++;

    while (i > 0 && t->wakes[(i - 1) / 2].at > at) {
        t->wakes[i] = t->wakes[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    t->wakes[i].at = at;
    t->wakes[i].conn = conn;
}

static struct wake wake_pop(struct thread *t)
{
    struct wake top = t->wakes[0], last = t->wakes[--t->nwakes];
    size_t i = 0, n = t->nwakes;

    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= n)
            break;
        if (k + 1 < n && t->wakes[k + 1].at < t->wakes[k].at)
            k++;
        if (t->wakes[k].at >= last.at)
            break;
        t->wakes[i] = t->wakes[k];
        i = k;
    }
    if (n)
        t->wakes[i] = last;
    return top;
}

/* ---- iterations ------------------------------------------------------------ */

static uint64_t think_draw(struct thread *t, const struct think *th)
{
    switch (th->kind) {
    case THINK_FIXED:
        return th->a;
    case THINK_UNIFORM:
        return th->a + (uint64_t)(rng_uniform(&t->rng) * (double)(th->b - th->a));
    case THINK_EXP:
        return (uint64_t)(-log(1.0 - rng_uniform(&t->rng)) * (double)th->a);
    default:
        return 0;
    }
}

static void iter_begin(struct thread *t, struct vuser *u, uint64_t start)
{
    const struct load_flows *fs = flows_of(t);
    double x = rng_uniform(&t->rng) * t->flow_cum[fs->nflows - 1];
    uint64_t stride;
    size_t i;

    u->flow = 0;
    while (u->flow + 1 < fs->nflows && x >= t->flow_cum[u->flow])
        u->flow++;
    u->step = 0;
    u->busy = 1;
    u->iter_start = start;
    u->counter = t->iter_seq++ * t->sh->nthreads + t->index;
    stride = t->o->row_stride ? t->o->row_stride : 1;
    for (i = 0; i < fs->ndata; i++)
        if (fs->data[i].kind == DATA_ROWS)
            u->rows[i] = fs->data[i].random ? (size_t)rng_below(&t->rng, fs->data[i].nrows)
                                            : (size_t)((u->counter * stride + t->o->row_first)
                                                       % fs->data[i].nrows);
}

/* The iteration of u ended at now: completed, or given up. */
static void iter_end(struct thread *t, struct vuser *u, int completed, uint64_t now,
                     int in_window)
{
    struct flow_tally *ft = &t->flows[u->flow];

    if (in_window) {
        if (completed) {
            ft->iterations++;
            hist_record(&ft->dur, now > u->iter_start ? now - u->iter_start : 0);
        } else {
            ft->aborted++;
        }
    }
    u->busy = 0;
    u->step = 0;
    u->iteration++;
}

/* u waits `think` before it goes on (the intended start of what follows is
 * then ready_at). */
static void think_then(struct thread *t, struct conn *c, uint64_t from, uint64_t think)
{
    struct vuser *u = c->u;

    u->ready_at = from + think;
    if (!think)
        return;
    u->thinking = 1;
    wake_push(t, u->ready_at, (uint32_t)(c - t->conns));
}

/* Move u on after its step ended at now (completed: answered and usable;
 * else the iteration is given up), with the step's or the flow's think. */
static void user_advance(struct thread *t, struct conn *c, int completed, uint64_t now,
                         int in_window)
{
    struct vuser *u = c->u;
    const struct load_flow *f = &flows_of(t)->flows[u->flow];
    const struct flow_step *s = step_of(t, u);
    const struct think *th = s->has_think ? &s->think : &f->think;
    uint64_t think = think_draw(t, th);

    if (completed && u->step + 1 < f->nsteps) {
        u->step++;
        think_then(t, c, now, think);
        return;
    }
    iter_end(t, u, completed, now, in_window);
    if (!open_loop(t))
        think_then(t, c, now, think);
}

/* ---- requests ------------------------------------------------------------- */

struct out {
    char *p;
    size_t n, cap;
    int bad;                  /* a value held CR or LF */
};

static void out_put(struct out *o, const char *s, size_t n)
{
    if (o->n + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        char *np;
        while (cap < o->n + n + 1)
            cap *= 2;
        if (!(np = realloc(o->p, cap))) {
            o->bad = 1;
            return;
        }
        o->p = np;
        o->cap = cap;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = '\0';
}

static void out_str(struct out *o, const char *s)
{
    out_put(o, s, strlen(s));
}

/* A value into a request: in a path, bytes that would end it (space,
 * controls) are percent-encoded; a CR or LF anywhere else cannot be sent. */
static void out_value(struct out *o, const char *v, int in_path)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *v; v++) {
        unsigned char ch = (unsigned char)*v;
        if (in_path && (ch <= 0x20 || ch == 0x7f || ch == '#')) {
            char pct[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            out_put(o, pct, 3);
        } else {
            if (ch == '\r' || ch == '\n')
                o->bad = 1;
            out_put(o, v, 1);
        }
    }
}

static void tpl_render(struct thread *t, const struct vuser *u, const struct tpl *tp,
                       struct out *o, int in_path)
{
    const struct load_flows *fs = flows_of(t);
    char num[24];
    size_t i;

    for (i = 0; i < tp->nparts; i++) {
        const struct tpl_part *p = &tp->parts[i];
        const struct load_data *d = p->kind == TPL_PICK || p->kind == TPL_ROW ? &fs->data[p->idx]
                                                                              : NULL;
        switch (p->kind) {
        case TPL_TEXT:
            out_put(o, p->text, p->len);
            break;
        case TPL_USER:
        case TPL_ITERATION:
        case TPL_COUNTER:
            snprintf(num, sizeof num, "%llu",
                     (unsigned long long)(p->kind == TPL_USER ? u->number
                                          : p->kind == TPL_ITERATION ? u->iteration : u->counter));
            out_str(o, num);
            break;
        case TPL_PICK:
            out_value(o, d->cells[rng_below(&t->rng, d->nrows)], in_path);
            break;
        case TPL_ROW:
            out_value(o, d->cells[u->rows[p->idx] * d->ncols + p->col], in_path);
            break;
        case TPL_CAPTURE:
            out_value(o, u->cap[p->idx] ? u->cap[p->idx] : "", in_path);
            break;
        }
    }
}

static int step_has_header(const struct flow_step *s, const char *name)
{
    size_t k, n = strlen(name);

    for (k = 0; k < s->nheaders; k++)
        if (!strncasecmp(s->headers[k].src, name, n) && s->headers[k].src[n] == ':')
            return 1;
    return 0;
}

/* The bytes of u's current step into u->req.  -1 when a value would break
 * the request (or memory ran out). */
static int request_build(struct thread *t, struct vuser *u)
{
    const struct flow_step *s = step_of(t, u);
    const struct target_url *url = &t->o->url;
    struct out o = {u->req, 0, u->reqcap, 0}, body = {u->body, 0, u->bodycap, 0};
    const char *base = url->path;
    size_t k, blen = strlen(base);
    char clen[48];

    if (s->body.src)
        tpl_render(t, u, &s->body, &body, 0);
    body.bad = 0;   /* a body may hold any byte */
    out_str(&o, s->method ? s->method : s->body.src ? "POST" : "GET");
    out_put(&o, " ", 1);
    if (blen && base[blen - 1] == '/')
        blen--;
    out_put(&o, base, blen);   /* the url's path is the root of the steps' */
    tpl_render(t, u, &s->path, &o, 1);
    out_str(&o, " HTTP/1.1\r\n");
    if (!step_has_header(s, "host")) {
        out_str(&o, "Host: ");
        out_str(&o, url->hostport);
        out_put(&o, "\r\n", 2);
    }
    if (!step_has_header(s, "user-agent"))
        out_str(&o, "User-Agent: pacer\r\n");
    for (k = 0; k < s->nheaders; k++) {
        tpl_render(t, u, &s->headers[k], &o, 0);
        out_put(&o, "\r\n", 2);
    }
    for (k = 0; k < u->njar; k++) {
        out_str(&o, k ? "; " : "Cookie: ");
        out_str(&o, u->jar[k].name);
        out_put(&o, "=", 1);
        out_value(&o, u->jar[k].value, 0);
        if (k + 1 == u->njar)
            out_put(&o, "\r\n", 2);
    }
    if (s->body.src) {
        snprintf(clen, sizeof clen, "Content-Length: %zu\r\n", body.n);
        out_str(&o, clen);
    }
    out_put(&o, "\r\n", 2);
    if (body.n)
        out_put(&o, body.p, body.n);
    u->body = body.p;   /* kept for the next request */
    u->bodycap = body.cap;
    u->req = o.p;
    u->reqcap = o.cap;
    u->reqlen = o.n;
    return o.bad || !o.p ? -1 : 0;
}

/* c's user makes its current step's request, intended to start at origin. */
static int request_make(struct thread *t, struct conn *c, uint64_t origin, uint64_t now)
{
    struct vuser *u = c->u;

    if (request_build(t, u) < 0) {
        struct step_tally *st = &t->steps[step_of(t, u)->index];
        timeline_add_errors(t, LC_PARSE, 0, WHY_NO_REQUEST, 1, now);
        if (timeline_at(t, now))
            st->errors[LC_PARSE]++;
        user_advance(t, c, 0, now, timeline_at(t, now) != NULL);
        return 0;
    }
    /* nothing is in flight (one request at a time): ready the parser for
     * this step's answer (a HEAD's has no body) */
    http_parser_init(&c->p.h, step_of(t, u)->head, t->o->max_header);
    c->origin[ring_slot(t, c, c->nreq)] = origin;
    c->nreq++;
    u->resplen = 0;
    u->overflow = 0;
    u->headed = 0;
    return 1;
}

int vuser_assign(struct thread *t, struct conn *c, uint64_t now)
{
    struct vuser *u = c->u;

    if (u->thinking || c->nreq)
        return 0;
    if (!u->busy) {
        if (open_loop(t))
            return 0;   /* an arrival gives it work */
        iter_begin(t, u, now);
        u->ready_at = now;
    }
    return request_make(t, c, open_loop(t) ? u->ready_at : now, now);
}

void vuser_begin(struct thread *t, struct conn *c, uint64_t v, uint64_t now)
{
    iter_begin(t, c->u, v);
    c->u->ready_at = v;
    request_make(t, c, v, now);
}

void vuser_wake_due(struct thread *t, uint64_t upto, uint64_t now)
{
    while (t->nwakes && t->wakes[0].at <= upto) {
        struct wake w = wake_pop(t);
        struct conn *c = &t->conns[w.conn];
        c->u->thinking = 0;
        conn_next(t, c, now);
    }
}

/* ---- answers --------------------------------------------------------------- */

void vuser_take(const struct thread *t, struct conn *c, const char *buf, size_t n)
{
    struct vuser *u = c->u;
    uint32_t max_body = flows_of(t)->max_body;
    size_t max = max_body ? max_body : MAX_BODY_DEFAULT, from;
    int head_only = !step_of(t, u)->needs_body;
    char *end;

    if (u->overflow || u->headed)
        return;
    if (u->resplen + n > max) {
        u->overflow = 1;
        return;
    }
    if (u->resplen + n + 1 > u->respcap) {
        size_t cap = u->respcap ? u->respcap : 4096;
        char *np;
        while (cap < u->resplen + n + 1)
            cap *= 2;
        if (!(np = realloc(u->resp, cap))) {
            u->overflow = 1;
            return;
        }
        u->resp = np;
        u->respcap = cap;
    }
    memcpy(u->resp + u->resplen, buf, n);
    from = u->resplen > 3 ? u->resplen - 3 : 0;
    u->resplen += n;
    u->resp[u->resplen] = '\0';
    /* a step that reads no body keeps the headers alone (its cookies) */
    if (head_only && (end = strstr(u->resp + from, "\r\n\r\n"))) {
        u->resplen = (size_t)(end + 4 - u->resp);
        u->resp[u->resplen] = '\0';
        u->headed = 1;
    }
}

/* The parts of an answer: its header section and its body (de-chunked in
 * place when it came chunked). */
struct answer {
    const char *head;
    size_t headlen;
    char *body;
    size_t bodylen;
};

/* The value of header `name` from the line at `from` on: its start and
 * length, and where the search can go on; NULL when no more. */
static const char *header_find(const struct answer *a, const char *from, const char *name,
                               size_t *vn, const char **next)
{
    size_t n = strlen(name);
    const char *p = from, *end = a->head + a->headlen;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *v;
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) > n && !strncasecmp(p, name, n) && p[n] == ':') {
            for (v = p + n + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
                ;
            *vn = (size_t)(eol - v);
            while (*vn && (v[*vn - 1] == '\r' || v[*vn - 1] == ' '))
                (*vn)--;
            *next = eol + 1;
            return v;
        }
        p = eol + 1;
    }
    return NULL;
}

/* Chunked data into plain data, in place (the parser checked its form). */
static size_t dechunk(char *b, size_t n)
{
    size_t in = 0, out = 0;

    while (in < n) {
        char *end;
        unsigned long size = strtoul(b + in, &end, 16);
        char *eol = memchr(b + in, '\n', n - in);
        if (!eol || end == b + in)
            break;
        in = (size_t)(eol - b) + 1;
        if (!size || in + size > n)
            break;
        memmove(b + out, b + in, size);
        out += size;
        in += size + 2;
    }
    b[out] = '\0';
    return out;
}

static void answer_split(struct vuser *u, struct answer *a)
{
    char *sep = u->resp ? strstr(u->resp, "\r\n\r\n") : NULL;
    const char *te, *next;
    size_t vn;

    memset(a, 0, sizeof *a);
    if (!sep)
        return;
    a->head = u->resp;
    a->headlen = (size_t)(sep - u->resp) + 2;
    a->body = sep + 4;
    a->bodylen = u->resplen - (size_t)(a->body - u->resp);
    te = header_find(a, a->head, "transfer-encoding", &vn, &next);
    if (te && vn >= 7 && !strncasecmp(te + vn - 7, "chunked", 7))
        a->bodylen = dechunk(a->body, a->bodylen);
}

/* Cookies the answer sets into u's jar (a Max-Age=0 or empty value
 * removes one). */
static void cookies_take(struct vuser *u, const struct answer *a)
{
    const char *v, *from = a->head, *next;
    size_t vn, k;

    while ((v = header_find(a, from, "set-cookie", &vn, &next))) {
        const char *eq = memchr(v, '=', vn), *semi = memchr(v, ';', vn), *attrs;
        char at[256];
        size_t nl, vl;
        int gone;
        from = next;
        if (!eq || (semi && semi < eq))
            continue;
        nl = (size_t)(eq - v);
        vl = (size_t)((semi ? semi : v + vn) - eq - 1);
        attrs = semi ? semi : v + vn;
        snprintf(at, sizeof at, "%.*s", (int)(v + vn - attrs), attrs);
        gone = vl == 0 || strcasestr(at, "max-age=0") != NULL;
        for (k = 0; k < u->njar; k++)
            if (strlen(u->jar[k].name) == nl && !strncmp(u->jar[k].name, v, nl))
                break;
        if (gone) {
            if (k < u->njar) {
                free(u->jar[k].name);
                free(u->jar[k].value);
                u->jar[k] = u->jar[--u->njar];
            }
            continue;
        }
        if (k == u->njar) {
            struct cookie *nj = realloc(u->jar, (u->njar + 1) * sizeof *nj);
            if (!nj)
                return;
            u->jar = nj;
            u->jar[k].name = strndup(v, nl);
            u->jar[k].value = NULL;
            u->njar++;
        }
        free(u->jar[k].value);
        u->jar[k].value = strndup(eq + 1, vl);
    }
}

/* Take capture c from the answer into the user's slot.  0, or -1 when it
 * did not match. */
static int capture_take(struct vuser *u, const struct capture *c, const struct answer *a)
{
    const char *v = NULL, *next;
    size_t vn = 0;
    regmatch_t m[2];

    if (c->kind == CAPTURE_HEADER) {
        v = a->head ? header_find(a, a->head, c->expr, &vn, &next) : NULL;
    } else if (!a->body) {
        return -1;
    } else if (c->kind == CAPTURE_JSON) {
        if (json_field(a->body, a->bodylen, c->expr, &v, &vn) != 1)
            v = NULL;
    } else if (regexec(&c->re, a->body, 2, m, 0) == 0) {
        int g = c->re.re_nsub ? 1 : 0;
        if (m[g].rm_so >= 0) {
            v = a->body + m[g].rm_so;
            vn = (size_t)(m[g].rm_eo - m[g].rm_so);
        }
    }
    if (!v)
        return -1;
    free(u->cap[c->slot]);
    u->cap[c->slot] = strndup(v, vn);
    return 0;
}

static int check_passes(const struct check *c, const struct answer *a)
{
    const char *v;
    size_t vn;

    if (!a->body)
        return 0;
    switch (c->kind) {
    case CHECK_CONTAINS:
        return memmem(a->body, a->bodylen, c->expr, strlen(c->expr)) != NULL;
    case CHECK_REGEX:
        return regexec(&c->re, a->body, 0, NULL, 0) == 0;
    case CHECK_JSON:
        if (json_field(a->body, a->bodylen, c->expr, &v, &vn) != 1)
            return 0;
        return !c->equals || (vn == strlen(c->equals) && !memcmp(v, c->equals, vn));
    }
    return 0;
}

/* Judge the answer to u's step: errors and failed checks counted, cookies
 * and captures taken.  0 when the flow can go on, -1 when not (a capture
 * without its value, or a body too large to read). */
static int answer_judge(struct thread *t, struct conn *c, uint64_t now, int in_window,
                        struct step_tally *st)
{
    struct vuser *u = c->u;
    const struct flow_step *s = step_of(t, u);
    int status = c->p.h.status, failed = 0;
    struct answer a;
    size_t k;

    if (!s->status || s->status != status) {
        if (status >= 400) {
            enum load_class cls = status >= 500 ? LC_STATUS_5XX : LC_STATUS_4XX;
            timeline_add_errors(t, cls, 0, NULL, 1, now);
            st->errors[cls] += in_window;
        }
        if (s->status)
            failed++;   /* the status asked for is a check */
    }
    if (u->overflow && s->needs_body) {
        timeline_add_errors(t, LC_TOO_LARGE, 0, WHY_TOO_LARGE, 1, now);
        st->errors[LC_TOO_LARGE] += in_window;
        return -1;
    }
    answer_split(u, &a);
    if (a.head)
        cookies_take(u, &a);
    for (k = 0; k < s->nchecks; k++)
        failed += !check_passes(&s->checks[k], &a);
    for (k = 0; k < s->ncaptures; k++)
        if (capture_take(u, &s->captures[k], &a) < 0) {
            failed++;
            break;
        }
    if (in_window) {
        struct load_interval *iv = timeline_at(t, now);
        st->checks += s->nchecks + (s->status != 0) + s->ncaptures;
        st->checks_failed += (uint64_t)failed;
        if (iv)
            iv->checks_failed += (uint64_t)failed;
    }
    return k < s->ncaptures ? -1 : 0;
}

void vuser_done(struct thread *t, struct conn *c, uint64_t now, int in_window, uint64_t lat,
                uint64_t lat_sent)
{
    struct step_tally *st = &t->steps[step_of(t, c->u)->index];
    int ok;

    if (in_window) {
        hist_record(&st->lat, lat);
        if (open_loop(t))
            hist_record(&st->lat_sent, lat_sent);
        st->requests++;
    }
    ok = answer_judge(t, c, now, in_window, st) == 0;
    user_advance(t, c, ok, now, in_window);
}

void vuser_failed(struct thread *t, struct conn *c, enum load_class cls, uint64_t now)
{
    struct vuser *u = c->u;
    int in_window = timeline_at(t, now) != NULL;

    if (!u->busy)
        return;
    if (in_window)
        t->steps[step_of(t, u)->index].errors[cls]++;
    user_advance(t, c, 0, now, in_window);
}
