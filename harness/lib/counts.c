/* counts.c: callgrind's counts around the timed loop (counts.h). */
#include "counts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif

#ifndef HAVE_CALLGRIND
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

#define COUNTS_FILE_MAX (1 << 20)   /* a dump without per-line data is small */

int counts_available(void)
{
#ifdef HAVE_CALLGRIND
    return RUNNING_ON_VALGRIND != 0;
#else
    return 0;
#endif
}

void counts_start(void)
{
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
}

void counts_resume(void)
{
    CALLGRIND_TOGGLE_COLLECT;
}

void counts_stop(void)
{
    CALLGRIND_TOGGLE_COLLECT;
}

/* The line of text that starts with key, or NULL. */
static const char *line_of(const char *text, const char *key)
{
    size_t k = strlen(key);
    const char *p = text;

    while (p && *p) {
        if (!strncmp(p, key, k))
            return p + k;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return NULL;
}

int counts_parse(const char *text, struct counts *c, struct err *e)
{
    static const char *const names[] = {"Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw",
                                        "ILmr", "DLmr", "DLmw"};
    enum { IR, DR, DW, I1MR, D1MR, D1MW, ILMR, DLMR, DLMW, NEV };
    uint64_t v[NEV] = {0};
    int at[16];
    size_t nev = 0, i, k;
    const char *ev = line_of(text, "events:"), *sum = line_of(text, "summary:");
    uint64_t l1miss, ram, ll, l1;

    if (!ev || !sum)
        return err_set(e, "no %s line in callgrind's output", ev ? "summary:" : "events:");
    /* the columns of the summary, by name (callgrind may add others) */
    while (*ev && *ev != '\n' && nev < sizeof at / sizeof at[0]) {
        char name[16];
        int len = 0;

        while (*ev == ' ')
            ev++;
        if (*ev == '\n' || !*ev)
            break;
        if (sscanf(ev, "%15s%n", name, &len) != 1)
            break;
        at[nev] = -1;
        for (k = 0; k < NEV; k++)
            if (!strcmp(name, names[k]))
                at[nev] = (int)k;
        nev++;
        ev += len;
    }
    for (i = 0; i < nev; i++) {
        char *end;
        unsigned long long x;

        while (*sum == ' ')
            sum++;
        if (*sum == '\n' || !*sum)
            break;    /* callgrind leaves trailing zero columns out */
        errno = 0;
        x = strtoull(sum, &end, 10);
        if (end == sum || errno)
            return err_set(e, "malformed summary: line in callgrind's output");
        if (at[i] >= 0)
            v[at[i]] = x;
        sum = end;
    }
    if (nev == 0 || at[0] != IR)
        return err_set(e, "callgrind's output counts no instructions (events: without Ir)");
    c->ir = v[IR];
    l1miss = v[I1MR] + v[D1MR] + v[D1MW];
    ram = v[ILMR] + v[DLMR] + v[DLMW];
    ll = l1miss > ram ? l1miss - ram : 0;
    l1 = v[IR] + v[DR] + v[DW];
    l1 = l1 > l1miss ? l1 - l1miss : 0;
    c->cycles = l1 + 5 * ll + 35 * ram;
    return 0;
}

void counts_dump_profile(uint64_t iters)
{
    char what[64];

    snprintf(what, sizeof what, "pacer profile iters=%" PRIu64, iters);
    CALLGRIND_DUMP_STATS_AT(what);
}

int counts_dump(const char *prefix, unsigned n, struct counts *c, struct err *e)
{
    char path[4096], *text;
    FILE *f;
    size_t len;
    int rc;

    CALLGRIND_DUMP_STATS_AT("pacer sample");
    snprintf(path, sizeof path, "%s.%ld.%u", prefix, (long)getpid(), n);
    if (!(f = fopen(path, "r")))
        return err_set(e, "cannot read callgrind's counts %s: %s", path, strerror(errno));
    if (!(text = malloc(COUNTS_FILE_MAX + 1))) {
        fclose(f);
        return err_set(e, "out of memory");
    }
    len = fread(text, 1, COUNTS_FILE_MAX, f);
    text[len] = '\0';
    fclose(f);
    unlink(path);
    rc = counts_parse(text, c, e);
    free(text);
    return rc;
}
