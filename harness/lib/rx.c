/* rx.c: user regular expressions, compiled within bounds (rx.h). */
#include "rx.h"

#include <stdlib.h>

#define RX_CAP (RX_MAX_NODES + 1)   /* sizes saturate here */
#define RX_MAX_DEPTH 256            /* nested groups */
#define RX_MAX_STACK 3              /* quantifiers on quantifiers (a+*, (b*)+) */

static unsigned long sat_add(unsigned long a, unsigned long b)
{
    return a + b > RX_CAP ? RX_CAP : a + b;
}

static unsigned long sat_mul(unsigned long a, unsigned long b)
{
    return b && a > RX_CAP / b ? RX_CAP : (a * b > RX_CAP ? RX_CAP : a * b);
}

static unsigned long alternation(const char **pp, int depth, int *stack);

/* A bracket expression at *pp ('['): passed over. */
static void bracket(const char **pp)
{
    const char *p = *pp + 1;

    if (*p == '^')
        p++;
    if (*p == ']')
        p++;   /* a ] first is a member */
    while (*p && *p != ']') {
        if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
            char close = p[1];
            p += 2;
            while (*p && !(p[0] == close && p[1] == ']'))
                p++;
            if (*p)
                p += 2;
        } else {
            p++;
        }
    }
    *pp = *p ? p + 1 : p;
}

/* How many copies of its operand the quantifier at *pp makes glibc build
 * (passed over), 0 when none is there.  glibc builds x+ as x x*, and
 * x{m,n} as m copies of x and n - m optional ones. */
static unsigned long quantifier(const char **pp)
{
    const char *p = *pp;
    unsigned long m, n;
    char *end;

    if (*p == '*' || *p == '?') {
        *pp = p + 1;
        return 1;
    }
    if (*p == '+') {
        *pp = p + 1;
        return 2;
    }
    if (*p != '{' || p[1] < '0' || p[1] > '9')
        return 0;
    m = strtoul(p + 1, &end, 10);
    n = m;
    if (*end == ',') {
        char *e2;
        n = strtoul(end + 1, &e2, 10);
        n = e2 == end + 1 ? m + 1 : n;   /* {m,}: m copies and a star */
        end = e2;
    }
    if (*end != '}')
        return 0;   /* not an interval: glibc refuses it */
    *pp = end + 1;
    return m > n ? (m ? m : 1) : (n ? n : 1);
}

/* A sequence of pieces up to '|', ')' or the end: the nodes it builds;
 * in *stack the most quantifiers that apply one on another in it (a group
 * counts those inside it). */
static unsigned long sequence(const char **pp, int depth, int *stack)
{
    const char *p = *pp;
    unsigned long size = 0;

    *stack = 0;
    while (*p && *p != '|' && *p != ')') {
        unsigned long atom = 1, q;
        int st = 0;

        if (*p == '(') {
            p++;
            atom = depth >= RX_MAX_DEPTH ? RX_CAP : alternation(&p, depth + 1, &st);
            if (*p == ')')
                p++;
        } else if (*p == '[') {
            bracket(&p);
        } else if (*p == '\\' && p[1]) {
            p += 2;
        } else {
            p++;
        }
        while ((q = quantifier(&p))) {
            atom = sat_mul(atom, q);
            st++;
        }
        /* glibc's closure of stacked loops grows far faster than their
         * nodes: a*+++++++++++ alone took it more than 10 s */
        if (st > RX_MAX_STACK)
            atom = RX_CAP;
        if (st > *stack)
            *stack = st;
        size = sat_add(size, atom);
        if (size >= RX_CAP)
            break;
    }
    *pp = p;
    return size;
}

static unsigned long alternation(const char **pp, int depth, int *stack)
{
    unsigned long size = sequence(pp, depth, stack);
    int st;

    while (**pp == '|' && size < RX_CAP) {
        (*pp)++;
        size = sat_add(size, sequence(pp, depth, &st));
        if (st > *stack)
            *stack = st;
    }
    return size;
}

unsigned long rx_nodes(const char *pattern)
{
    const char *p = pattern;
    unsigned long size = 0;
    int stack;

    while (*p && size < RX_CAP) {
        size = sat_add(size, alternation(&p, 0, &stack));
        if (*p)
            p++;   /* an unmatched ')': a literal to glibc */
    }
    return size;
}

int rx_compile(regex_t *re, const char *pattern)
{
    if (rx_nodes(pattern) > RX_MAX_NODES)
        return REG_ESPACE;
    return regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
}
