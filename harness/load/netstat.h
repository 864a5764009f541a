/*
 * netstat.h: what the monitor (monitor.h) reads of the machine's network:
 * the TCP tables (every socket's ports, state and inode), read once per
 * sample for every process tree, and the interface counters
 * (/proc/net/dev).  Both are those of pacer's network namespace.
 *
 * The tables come from the kernel's sock_diag netlink interface, asked for
 * every state but TIME_WAIT (which no process owns, and of which a machine
 * that has run loads holds tens of thousands: /proc/net/tcp lists them all,
 * some 40 ms a read at 18,000); TIME_WAIT is counted from
 * /proc/net/sockstat.  Where netlink is not allowed, /proc/net/tcp and
 * tcp6 are read instead.
 */
#ifndef PACER_NETSTAT_H
#define PACER_NETSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "monitor.h"

/* One socket of the TCP tables. */
struct tcp_sock {
    uint64_t inode;           /* 0: owned by no process (TIME_WAIT) */
    uint16_t lport, rport;
    uint8_t state;            /* the kernel's TCP_* numbers (1 established, 10 listen) */
};

/* The tables of one sample; its memory is kept from one read to the next. */
struct tcp_table {
    struct tcp_sock *s;       /* sorted by inode */
    size_t n, cap;
    int64_t time_wait;        /* sockets in TIME_WAIT, machine-wide (-1
                                 unknown) */
    int nl;                   /* the netlink socket + 1; 0 not opened yet,
                                 -1 not allowed (then /proc/net/tcp) */
    uint64_t spent_ns;        /* the monitor's: CPU time its TCP counting
                                 took in the sample (the read, the
                                 descriptors) */
    char *buf;                /* the text of a table */
    size_t bufcap;
};

/* Read the TCP tables into t (replacing what it held; t zeroed the first
 * time).  0, or -1 with errno when they cannot be read (out of memory:
 * ENOMEM); no IPv6 is an empty table of it. */
int tcp_table_read(struct tcp_table *t);
void tcp_table_free(struct tcp_table *t);

/* Count into out (overwritten, known set) the sockets of t whose inodes
 * are among inodes[0..n) (sorted, each once: a tree's sockets): listening
 * sockets, established connections grouped by port (inbound on a port
 * the tree listens on, else outbound by the remote port; the
 * MON_NPORTS groups with most connections, most first), and those in other
 * states.  A socket that is not in t (UDP, unix) is not counted. */
void tcp_count(const struct tcp_table *t, const uint64_t *inodes, size_t n, struct mon_tcp *out);

/* Sockets in TIME_WAIT, machine-wide, from /proc/net/sockstat ("TCP:
 * inuse 5 orphan 0 tw 18014 ..."); -1 unknown. */
int64_t tcp_time_wait(void);

/* The counters of /proc/net/dev into row (t and time_wait left as they
 * are): lo, and the sum of every other interface.  0, or -1 with errno. */
int netdev_read(struct mon_net_row *row);

#endif
