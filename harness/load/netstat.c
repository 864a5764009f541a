/*
 * netstat.c: the TCP tables and interface counters of the machine
 * (netstat.h).
 *
 * The tables by netlink (sock_diag(7)): one dump request per family, the
 * answers parsed as they come; the socket is kept from one sample to the
 * next.  Otherwise a line of /proc/net/tcp (tcp6 has 32 hex digits of
 * address):
 *
 *   0: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  0  0 12345 ...
 *
 * slot, local address:port, remote address:port (hex), state (hex), queues,
 * timer, retransmits, uid, timeout, inode.  It is parsed by hand: at 1,000
 * sockets a table is some 150 kB a sample.
 */
#include "netstat.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TCP_ESTABLISHED 1
#define TCP_TIME_WAIT 6
#define TCP_LISTEN 10

/* ---- the tables --------------------------------------------------------------- */

/* The whole of a /proc file into t->buf (NUL-terminated).  Its length, or
 * -1 with errno. */
static ssize_t read_whole(struct tcp_table *t, const char *path)
{
    size_t len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    for (;;) {
        ssize_t r;

        if (t->bufcap - len < 65536) {
            size_t cap = t->bufcap ? 2 * t->bufcap : 262144;
            char *b = realloc(t->buf, cap);

            if (!b) {
                close(fd);
                errno = ENOMEM;
                return -1;
            }
            t->buf = b;
            t->bufcap = cap;
        }
        r = read(fd, t->buf + len, t->bufcap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int saved = errno;

            close(fd);
            errno = saved;
            return -1;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    t->buf[len] = '\0';
    return (ssize_t)len;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The hex number at *p (advanced past it). */
static unsigned long hexnum(const char **p)
{
    unsigned long v = 0;
    int d;

    while ((d = hexval(**p)) >= 0) {
        v = v * 16 + (unsigned long)d;
        (*p)++;
    }
    return v;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static const char *skip_field(const char *p)
{
    p = skip_space(p);
    while (*p && *p != ' ' && *p != '\t' && *p != '\n')
        p++;
    return p;
}

/* One line into s; the end of the line.  0, or -1 for a line that is
 * not a socket (the header). */
static int parse_line(const char *p, struct tcp_sock *s)
{
    const char *colon;
    int i;

    p = skip_space(p);
    if (hexval(*p) < 0)
        return -1;
    p = skip_field(p);                  /* "0:" */
    p = skip_space(p);
    colon = strchr(p, ':');
    if (!colon)
        return -1;
    p = colon + 1;
    s->lport = (uint16_t)hexnum(&p);
    p = skip_space(p);
    colon = strchr(p, ':');
    if (!colon)
        return -1;
    p = colon + 1;
    s->rport = (uint16_t)hexnum(&p);
    p = skip_space(p);
    s->state = (uint8_t)hexnum(&p);
    for (i = 0; i < 5; i++)             /* queues, timer, retransmits, uid, timeout */
        p = skip_field(p);
    p = skip_space(p);
    s->inode = strtoull(p, NULL, 10);
    return 0;
}

/* s appended to t.  0, or -1 with errno ENOMEM. */
static int push_sock(struct tcp_table *t, const struct tcp_sock *s)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        struct tcp_sock *ns = realloc(t->s, cap * sizeof *ns);

        if (!ns) {
            errno = ENOMEM;
            return -1;
        }
        t->s = ns;
        t->cap = cap;
    }
    t->s[t->n++] = *s;
    return 0;
}

/* The sockets of one table's text appended to t. */
static int parse_table(struct tcp_table *t)
{
    const char *p = t->buf;

    while (*p) {
        const char *nl = strchr(p, '\n');
        struct tcp_sock s;

        if (parse_line(p, &s) == 0) {
            if (s.state == TCP_TIME_WAIT)
                t->time_wait++;
            if (s.inode && push_sock(t, &s) < 0)
                return -1;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

/* ---- the tables by netlink ---------------------------------------------------- */

/* Every socket but those in TIME_WAIT (and SYN_RECV: requests, no socket
 * yet) appended to t: of family (AF_INET, AF_INET6), or of both at once
 * (AF_UNSPEC) by the older request, which walks the kernel's table of
 * connections once instead of once per family (half the cost: some 5 ms
 * with 20,000 TIME_WAIT in it).  0, or -1 with errno. */
static int dump_family(struct tcp_table *t, int fd, int family)
{
    struct {
        struct nlmsghdr nlh;
        struct inet_diag_req_v2 r;
    } req;
    struct {
        struct nlmsghdr nlh;
        struct inet_diag_req r;
    } old;
    unsigned states = 0xfff & ~(1u << TCP_TIME_WAIT) & ~(1u << 3 /* SYN_RECV */);
    ssize_t len;

    memset(&req, 0, sizeof req);
    memset(&old, 0, sizeof old);
    req.nlh.nlmsg_len = sizeof req;
    req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.r.sdiag_family = (uint8_t)family;
    req.r.sdiag_protocol = IPPROTO_TCP;
    req.r.idiag_states = states;
    old.nlh.nlmsg_len = sizeof old;
    old.nlh.nlmsg_type = TCPDIAG_GETSOCK;
    old.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    old.r.idiag_family = AF_UNSPEC;
    old.r.idiag_states = states;
    if (family == AF_UNSPEC ? send(fd, &old, sizeof old, 0) < 0
                            : send(fd, &req, sizeof req, 0) < 0)
        return -1;
    for (;;) {
        struct nlmsghdr *h;

        while ((len = recv(fd, t->buf, t->bufcap, 0)) < 0 && errno == EINTR)
            ;
        if (len <= 0)
            return len < 0 ? -1 : (errno = EPROTO, -1);
        for (h = (struct nlmsghdr *)(void *)t->buf; NLMSG_OK(h, (size_t)len);
             h = NLMSG_NEXT(h, len)) {
            const struct inet_diag_msg *d = NLMSG_DATA(h);
            struct tcp_sock s;

            if (h->nlmsg_type == NLMSG_DONE)
                return 0;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *ne = NLMSG_DATA(h);

                errno = ne->error ? -ne->error : EPROTO;
                return -1;
            }
            if ((h->nlmsg_type != SOCK_DIAG_BY_FAMILY && h->nlmsg_type != TCPDIAG_GETSOCK) ||
                !d->idiag_inode)
                continue;
            s.inode = d->idiag_inode;
            s.lport = ntohs(d->id.idiag_sport);
            s.rport = ntohs(d->id.idiag_dport);
            s.state = d->idiag_state;
            if (push_sock(t, &s) < 0)
                return -1;
        }
    }
}

int64_t tcp_time_wait(void)
{
    char line[256];
    long long tw = -1;
    FILE *f = fopen("/proc/net/sockstat", "re");

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, " tw ");

        if (!strncmp(line, "TCP:", 4) && p)
            tw = strtoll(p + 4, NULL, 10);
    }
    fclose(f);
    return tw;
}

/* The tables by netlink.  0; -1 with errno (when not allowed: t->nl is -1
 * and the caller reads /proc instead). */
static int read_netlink(struct tcp_table *t)
{
    if (!t->bufcap) {
        if (!(t->buf = malloc(65536)))
            return errno = ENOMEM, -1;
        t->bufcap = 65536;
    }
    if (t->nl == 0) {
        int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

        t->nl = fd < 0 ? -1 : fd + 1;
    }
    if (t->nl < 0) {
        errno = EPERM;
        return -1;
    }
    if (dump_family(t, t->nl - 1, AF_UNSPEC) == 0) {
        t->time_wait = tcp_time_wait();
        return 0;
    }
    t->n = 0;
    if (errno == ENOMEM)
        return -1;
    if (dump_family(t, t->nl - 1, AF_INET) < 0 ||
        (dump_family(t, t->nl - 1, AF_INET6) < 0 && errno != ENOENT &&
         errno != EAFNOSUPPORT)) {
        if (errno == ENOMEM)
            return -1;
        /* not allowed here (or a stream out of step): /proc from now on */
        close(t->nl - 1);
        t->nl = -1;
        t->n = 0;
        return -1;
    }
    t->time_wait = tcp_time_wait();
    return 0;
}

static int by_inode(const void *a, const void *b)
{
    const struct tcp_sock *x = a, *y = b;

    return (x->inode > y->inode) - (x->inode < y->inode);
}

int tcp_table_read(struct tcp_table *t)
{
    static const char *const paths[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    int i, read_one = 0, saved = ENOENT;

    t->n = 0;
    t->time_wait = 0;
    if (read_netlink(t) == 0)
        read_one = 2;
    else if (errno == ENOMEM)
        return -1;
    for (i = 0; i < 2 && read_one < 2; i++) {
        if (read_whole(t, paths[i]) < 0) {
            if (errno == ENOMEM)
                return -1;
            saved = errno;
            continue;
        }
        read_one = 1;
        if (parse_table(t) < 0)
            return -1;
    }
    if (!read_one) {
        errno = saved;
        return -1;
    }
    if (t->n > 1)
        qsort(t->s, t->n, sizeof *t->s, by_inode);
    return 0;
}

void tcp_table_free(struct tcp_table *t)
{
    if (t->nl > 0)
        close(t->nl - 1);
    free(t->s);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* ---- a tree's sockets ------------------------------------------------------- */

static const struct tcp_sock *find_inode(const struct tcp_table *t, uint64_t inode)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (t->s[mid].inode < inode)
            lo = mid + 1;
        else if (t->s[mid].inode > inode)
            hi = mid;
        else
            return &t->s[mid];
    }
    return NULL;
}

/* A group of connections as one number: inbound above 65535. */
static uint32_t group_key(int inbound, uint16_t port)
{
    return (inbound ? 65536u : 0u) + port;
}

static int by_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static int by_count(const void *a, const void *b)
{
    const struct mon_port *x = a, *y = b;

    if (x->count != y->count)
        return (x->count < y->count) - (x->count > y->count);
    if (x->inbound != y->inbound)
        return y->inbound - x->inbound;
    return (x->port > y->port) - (x->port < y->port);
}

/* The groups of keys[0..n) (sorted) into out->ports, most first. */
static void top_ports(const uint32_t *keys, size_t n, struct mon_tcp *out)
{
    struct mon_port top[MON_NPORTS + 1];
    size_t i = 0, ntop = 0;

    while (i < n) {
        size_t j = i;

        while (j < n && keys[j] == keys[i])
            j++;
        /* keep the best MON_NPORTS: the new group in the spare slot, sorted */
        top[ntop].port = (int32_t)(keys[i] & 0xffff);
        top[ntop].inbound = keys[i] > 0xffff;
        top[ntop].count = (int64_t)(j - i);
        ntop++;
        qsort(top, ntop, sizeof *top, by_count);
        if (ntop > MON_NPORTS)
            ntop = MON_NPORTS;
        i = j;
    }
    memcpy(out->ports, top, ntop * sizeof *top);
    out->nports = ntop;
}

void tcp_count(const struct tcp_table *t, const uint64_t *inodes, size_t n, struct mon_tcp *out)
{
    uint16_t listen[64];
    uint32_t *keys = n ? malloc(n * sizeof *keys) : NULL;
    size_t i, k, nlisten = 0, nkeys = 0;

    memset(out, 0, sizeof *out);
    out->known = 1;
    for (i = 0; i < n; i++) {
        const struct tcp_sock *s = find_inode(t, inodes[i]);

        if (!s)
            continue;
        if (s->state == TCP_LISTEN) {
            out->listen++;
            if (nlisten < sizeof listen / sizeof *listen)
                listen[nlisten++] = s->lport;
        } else if (s->state != TCP_ESTABLISHED) {
            out->other++;
        }
    }
    for (i = 0; i < n; i++) {
        const struct tcp_sock *s = find_inode(t, inodes[i]);
        int inbound = 0;

        if (!s || s->state != TCP_ESTABLISHED)
            continue;
        out->established++;
        for (k = 0; k < nlisten && !inbound; k++)
            inbound = listen[k] == s->lport;
        if (keys)
            keys[nkeys++] = group_key(inbound, inbound ? s->lport : s->rport);
    }
    if (nkeys > 1)
        qsort(keys, nkeys, sizeof *keys, by_u32);
    top_ports(keys, nkeys, out);
    free(keys);
}

/* ---- the interfaces ------------------------------------------------------------ */

int netdev_read(struct mon_net_row *row)
{
    char line[512];
    FILE *f = fopen("/proc/net/dev", "re");

    if (!f)
        return -1;
    row->lo_rx_bytes = row->lo_tx_bytes = row->lo_rx_packets = row->lo_tx_packets = 0;
    row->rx_bytes = row->tx_bytes = row->rx_packets = row->tx_packets = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long v[10];
        char *colon = strchr(line, ':');
        const char *name = skip_space(line);
        int lo;

        if (!colon || sscanf(colon + 1, "%llu %llu %*u %*u %*u %*u %*u %*u %llu %llu",
                             &v[0], &v[1], &v[8], &v[9]) != 4)
            continue;
        lo = (size_t)(colon - name) == 2 && !strncmp(name, "lo", 2);
        *(lo ? &row->lo_rx_bytes : &row->rx_bytes) += (int64_t)v[0];
        *(lo ? &row->lo_rx_packets : &row->rx_packets) += (int64_t)v[1];
        *(lo ? &row->lo_tx_bytes : &row->tx_bytes) += (int64_t)v[8];
        *(lo ? &row->lo_tx_packets : &row->tx_packets) += (int64_t)v[9];
    }
    fclose(f);
    return 0;
}
