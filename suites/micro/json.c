/*
 * json.c: jansson decode and encode at the sizes an HTTP JSON API server
 * handles per request: a small request object to parse, a small response
 * to serialize, and arrays of N records (a list endpoint) both ways.  For
 * such servers JSON is often the largest CPU cost after the syscalls, so
 * these figures bound requests per second per core.
 *
 * Documents are built in setup from a fixed seed, dumped compact
 * (JSON_COMPACT) and checked to parse back equal; bytes per op is the
 * compact document's length.  Encoding writes into a buffer allocated in
 * setup (json_dumpb), so it measures serialization, not malloc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pacer.h"

/* One document: its value, its compact text, an output buffer. */
struct jdoc {
    json_t *value;   /* owned */
    char *text;      /* owned: json_dumps(value, JSON_COMPACT) */
    size_t len;      /* strlen(text) */
    char *out;       /* owned: len bytes for json_dumpb */
};

#define JSON_SEED 0x2545f4914f6cdd1dULL

/* A request as a client posts it to an order endpoint (213 bytes compact). */
static const char request_text[] =
    "{\"id\": 48213, \"method\": \"POST\", \"path\": \"/api/v1/orders\","
    " \"user\": {\"id\": \"u-90417\", \"name\": \"Ada Lovelace\"},"
    " \"items\": [{\"sku\": \"A-1007\", \"qty\": 2, \"price\": 19.5},"
    " {\"sku\": \"B-2210\", \"qty\": 1, \"price\": 89.75}],"
    " \"coupon\": null, \"express\": true}";

/* Marsaglia's xorshift64 (13, 7, 17). */
static uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void jdoc_free(pacer_state *st)
{
    struct jdoc *d = pacer_data(st);

    if (!d)
        return;
    json_decref(d->value);
    free(d->text);
    free(d->out);
    free(d);
    pacer_set_data(st, NULL);
}

/* Hand value (stolen; NULL means out of memory) to the benchmark: dump it
 * compact, check it parses back equal, allocate the output buffer. */
static void jdoc_publish(pacer_state *st, json_t *value)
{
    struct jdoc *d = calloc(1, sizeof *d);
    json_error_t err;
    json_t *back;
    char msg[256];

    if (!d || !value) {
        free(d);
        json_decref(value);
        pacer_skip(st, "out of memory building the document");
        return;
    }
    d->value = value;
    pacer_set_data(st, d);
    d->text = json_dumps(value, JSON_COMPACT);
    if (!d->text) {
        pacer_skip(st, "json_dumps failed");
        return;
    }
    d->len = strlen(d->text);
    d->out = malloc(d->len);
    if (!d->out) {
        pacer_skip(st, "out of memory");
        return;
    }
    back = json_loadb(d->text, d->len, 0, &err);
    if (!back) {
        snprintf(msg, sizeof msg, "the document does not parse back: %s", err.text);
        pacer_skip(st, msg);
        return;
    }
    if (!json_equal(back, value))
        pacer_skip(st, "the document parses back to a different value");
    json_decref(back);
}

static void request_setup(pacer_state *st)
{
    json_error_t err;
    json_t *v = json_loads(request_text, 0, &err);
    char msg[256];

    if (!v) {
        snprintf(msg, sizeof msg, "request_text: line %d: %s", err.line, err.text);
        pacer_skip(st, msg);
        return;
    }
    jdoc_publish(st, v);
}

/* A response to the request above. */
static void response_setup(pacer_state *st)
{
    jdoc_publish(st, json_pack("{s:s, s:I, s:f, s:s, s:i, s:[{s:s, s:s}], s:b, s:n}",
                               "status", "accepted", "order_id", (json_int_t)700012345,
                               "total", 128.75, "currency", "EUR", "eta_s", 3600, "links",
                               "rel", "self", "href", "/api/v1/orders/700012345", "express", 1,
                               "warning"));
}

/* One record of a list endpoint: six fields of mixed types. */
static json_t *record_new(size_t i, uint64_t *rng)
{
    static const char *const tags[] = {"new", "vip", "eu", "us", "trial", "staff"};
    uint64_t r = xorshift64(rng);
    char name[32], email[48];

    snprintf(name, sizeof name, "user-%05zu", i);
    snprintf(email, sizeof email, "user%zu@example.com", i);
    return json_pack("{s:I, s:s, s:s, s:f, s:b, s:[s, s]}", "id", (json_int_t)(i + 1), "name", name,
                     "email", email, "score", (double)(r % 40000) / 4.0, "active",
                     (int)(r >> 32 & 1), "tags", tags[(r >> 40) % 6], tags[(r >> 48) % 6]);
}

/* An array of "n" records. */
static void records_setup(pacer_state *st)
{
    long long n = pacer_param(st, "n");
    uint64_t rng = JSON_SEED;
    json_t *a;
    long long i;

    if (n <= 0) {
        pacer_skip(st, "n must be positive");
        return;
    }
    a = json_array();
    for (i = 0; a && i < n; i++) {
        if (json_array_append_new(a, record_new((size_t)i, &rng)) < 0) {
            json_decref(a);
            a = NULL;
        }
    }
    jdoc_publish(st, a);
}

/* json_loadb of the document, then json_decref: parse and free. */
static void decode(pacer_state *st)
{
    struct jdoc *d = pacer_data(st);
    json_error_t err;
    json_t *v;

    pacer_set_bytes_per_op(st, (double)d->len);
    PACER_LOOP(st) {
        v = json_loadb(d->text, d->len, 0, &err);
        if (!v) {
            pacer_skip(st, err.text);
            break;
        }
        pacer_do_not_optimize(v);
        json_decref(v);
    }
}

/* json_dumpb(JSON_COMPACT) of the value into a buffer of its length. */
static void encode(pacer_state *st)
{
    struct jdoc *d = pacer_data(st);
    size_t n;

    pacer_set_bytes_per_op(st, (double)d->len);
    PACER_LOOP(st) {
        n = json_dumpb(d->value, d->out, d->len, JSON_COMPACT);
        if (n != d->len) {
            pacer_skip(st, "json_dumpb: unexpected length");
            break;
        }
        pacer_clobber();
    }
}

/* Parse a ~200-byte request object. */
static void decode_request(pacer_state *st)
{
    decode(st);
}
PACER_BENCHMARK(decode_request, .group = "jansson", .setup = request_setup, .teardown = jdoc_free);

/* Serialize a small response object. */
static void encode_response(pacer_state *st)
{
    encode(st);
}
PACER_BENCHMARK(encode_response, .group = "jansson", .setup = response_setup,
                .teardown = jdoc_free);

/* Parse an array of n records. */
static void decode_records(pacer_state *st)
{
    decode(st);
}
PACER_BENCHMARK(decode_records, .group = "jansson", .setup = records_setup, .teardown = jdoc_free,
                .params = {PACER_LIST("n", 10, 100, 1000)});

/* Serialize an array of n records. */
static void encode_records(pacer_state *st)
{
    encode(st);
}
PACER_BENCHMARK(encode_records, .group = "jansson", .setup = records_setup, .teardown = jdoc_free,
                .params = {PACER_LIST("n", 10, 100, 1000)});
