/*
 * hash.c: throughput of the byte-moving and byte-hashing loops that sit
 * under buffers, caches and protocols: memcpy and memset (libc), FNV-1a 64,
 * table-driven CRC-32, and MurmurHash64A.  Sizes run from 64 bytes (a
 * hash-table key, a small header) to 64 KiB (a socket buffer), so the
 * figures show both per-call overhead and the streaming rate from cache.
 *
 * Each benchmark gets its own context from setup: source and destination
 * buffers of the largest size, 64-byte aligned, filled from a fixed seed,
 * and the CRC table.  Bytes per op is the size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pacer.h"

#define MAX_SIZE (64 << 10)
#define HASH_SEED 0x853c49e6748fea9bULL

struct bufs {
    unsigned char *src;     /* MAX_SIZE bytes of fixed pseudo-random data */
    unsigned char *dst;     /* MAX_SIZE bytes */
    uint32_t crc[256];      /* CRC-32 table, built once in setup */
};

/* Marsaglia's xorshift64 (13, 7, 17). */
static uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* The byte-wise table of the reflected CRC-32 (IEEE 802.3, polynomial
 * 0xEDB88320), as in zlib and Sarwate, CACM 31(8), 1988. */
static void crc32_table(uint32_t t[256])
{
    uint32_t c;
    unsigned i, k;

    for (i = 0; i < 256; i++) {
        c = i;
        for (k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
}

static uint32_t crc32_sum(const uint32_t t[256], const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    size_t i;

    for (i = 0; i < n; i++)
        c = t[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* FNV-1a, 64 bits (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* MurmurHash64A (Austin Appleby, public domain): a multiply-xorshift over
 * 8-byte little-endian words, then the tail bytes and a final mix. */
static uint64_t murmur64a(const unsigned char *p, size_t n, uint64_t seed)
{
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    const int r = 47;
    uint64_t h = seed ^ (n * m), k;
    const unsigned char *end = p + (n & ~(size_t)7);

    for (; p != end; p += 8) {
        memcpy(&k, p, 8);
        k *= m;
        k ^= k >> r;
        k *= m;
        h ^= k;
        h *= m;
    }
    switch (n & 7) {
    case 7:
        h ^= (uint64_t)p[6] << 48;
        /* fall through */
    case 6:
        h ^= (uint64_t)p[5] << 40;
        /* fall through */
    case 5:
        h ^= (uint64_t)p[4] << 32;
        /* fall through */
    case 4:
        h ^= (uint64_t)p[3] << 24;
        /* fall through */
    case 3:
        h ^= (uint64_t)p[2] << 16;
        /* fall through */
    case 2:
        h ^= (uint64_t)p[1] << 8;
        /* fall through */
    case 1:
        h ^= (uint64_t)p[0];
        h *= m;
    }
    h ^= h >> r;
    h *= m;
    h ^= h >> r;
    return h;
}

static void bufs_free(pacer_state *st)
{
    struct bufs *b = pacer_data(st);

    if (!b)
        return;
    free(b->src);
    free(b->dst);
    free(b);
    pacer_set_data(st, NULL);
}

static void bufs_setup(pacer_state *st)
{
    static const unsigned char check[] = "123456789";
    struct bufs *b = calloc(1, sizeof *b);
    uint64_t rng = HASH_SEED, x;
    size_t i;
    int rc;
    char msg[128];

    if (!b) {
        pacer_skip(st, "out of memory");
        return;
    }
    pacer_set_data(st, b);
    if ((rc = posix_memalign((void **)&b->src, 64, MAX_SIZE)) != 0 ||
        (rc = posix_memalign((void **)&b->dst, 64, MAX_SIZE)) != 0) {
        snprintf(msg, sizeof msg, "posix_memalign: %s", strerror(rc));
        pacer_skip(st, msg);
        return;
    }
    for (i = 0; i < MAX_SIZE; i += 8) {
        x = xorshift64(&rng);
        memcpy(b->src + i, &x, 8);
    }
    memset(b->dst, 0, MAX_SIZE);
    crc32_table(b->crc);
    /* The standard check values of "123456789". */
    if (crc32_sum(b->crc, check, 9) != 0xcbf43926u)
        pacer_skip(st, "crc32 self-test failed");
    else if (fnv1a64(check, 9) != 0x06d5573923c6cdfcULL)
        pacer_skip(st, "fnv1a64 self-test failed");
}

/* The instance's size; 0 (and skipped) when out of range. */
static size_t size_of(pacer_state *st)
{
    long long n = pacer_param(st, "size");

    if (n <= 0 || n > MAX_SIZE) {
        pacer_skip(st, "size out of range 1..65536");
        return 0;
    }
    pacer_set_bytes_per_op(st, (double)n);
    return (size_t)n;
}

/* memcpy of size bytes between two buffers. */
static void copy(pacer_state *st)
{
    struct bufs *b = pacer_data(st);
    size_t n = size_of(st);

    PACER_LOOP(st) {
        memcpy(b->dst, b->src, n);
        pacer_clobber();
    }
}
PACER_BENCHMARK(copy, .group = "mem", .setup = bufs_setup, .teardown = bufs_free,
                .params = {PACER_RANGE("size", 64, 64 << 10, 4)});

/* memset of size bytes. */
static void fill(pacer_state *st)
{
    struct bufs *b = pacer_data(st);
    size_t n = size_of(st);
    int c = 0x5a;

    PACER_LOOP(st) {
        memset(b->dst, c, n);
        pacer_clobber();
    }
}
PACER_BENCHMARK(fill, .group = "mem", .setup = bufs_setup, .teardown = bufs_free,
                .params = {PACER_RANGE("size", 64, 64 << 10, 4)});

/* FNV-1a 64 over size bytes: one multiply per byte, a serial chain. */
static void fnv1a(pacer_state *st)
{
    struct bufs *b = pacer_data(st);
    size_t n = size_of(st);

    PACER_LOOP(st) {
        uint64_t h = fnv1a64(b->src, n);
        pacer_do_not_optimize(h);
    }
}
PACER_BENCHMARK(fnv1a, .group = "hashfn", .setup = bufs_setup, .teardown = bufs_free,
                .params = {PACER_RANGE("size", 64, 64 << 10, 4)});

/* CRC-32 over size bytes, one table lookup per byte. */
static void crc32(pacer_state *st)
{
    struct bufs *b = pacer_data(st);
    size_t n = size_of(st);

    PACER_LOOP(st) {
        uint32_t c = crc32_sum(b->crc, b->src, n);
        pacer_do_not_optimize(c);
    }
}
PACER_BENCHMARK(crc32, .group = "hashfn", .setup = bufs_setup, .teardown = bufs_free,
                .params = {PACER_RANGE("size", 64, 64 << 10, 4)});

/* MurmurHash64A over size bytes, 8 bytes per step. */
static void murmur(pacer_state *st)
{
    struct bufs *b = pacer_data(st);
    size_t n = size_of(st);

    PACER_LOOP(st) {
        uint64_t h = murmur64a(b->src, n, HASH_SEED);
        pacer_do_not_optimize(h);
    }
}
PACER_BENCHMARK(murmur, .group = "hashfn", .setup = bufs_setup, .teardown = bufs_free,
                .params = {PACER_RANGE("size", 64, 64 << 10, 4)});
