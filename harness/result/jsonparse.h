/*
 * jsonparse.h: a faster parse of JSON text into jansson values, for the
 * large files pacer reads (results, Google Benchmark and hyperfine output).
 * It builds the very tree json_loadb(buf, len, JSON_DECODE_ANY |
 * JSON_REJECT_DUPLICATES) builds, but only for text it is sure of: on
 * anything else it gives up and the caller parses with jansson, which then
 * also words any error.
 */
#ifndef PACER_JSONPARSE_H
#define PACER_JSONPARSE_H

#include <stddef.h>

#include <jansson.h>

/* The value of buf[0..len) as a new reference, or NULL when the text is
 * not JSON or holds what this parser leaves to jansson: a \u escape, a byte
 * above 0x7f in a string, a number of 64 characters or more, an integer
 * that does not fit a long long, a real out of range, a repeated key,
 * nesting deeper than jansson's 2048 levels; or when memory runs out. */
json_t *jp_loadb(const char *buf, size_t len);

/* jp_loadb, leaving out of the tree what flags say. */
#define JP_NO_BENCH_STATS 1   /* the "stats" member of an element of the
                                 root's "benchmarks" that has "samples"
                                 before it (a pacer result's stored
                                 statistics, half its tree): the text is
                                 checked as jp_loadb checks it (giving up on
                                 an object whose keys are not in ascending
                                 byte order, where a key could repeat), and
                                 the member is not in the tree */
json_t *jp_loadb_with(const char *buf, size_t len, int flags);

/* The number t[0..len) (JSON's syntax, a real) into *out, correctly
 * rounded as strtod rounds it, when it is one of the cases that can be
 * done without strtod (at most 19 significant digits, a small exponent,
 * not halfway between two doubles): 1, else 0 (call strtod). */
int jp_real(const char *t, size_t len, double *out);

#endif
