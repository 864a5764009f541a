/*
 * fmt.h: numbers for people.  Results hold base units (ns, bytes); these
 * scale them only for display, and parse the units people type.
 */
#ifndef PACER_FMT_H
#define PACER_FMT_H

#include <stddef.h>
#include <stdint.h>

/* "0.312 ns", "12.3 ns", "4.56 us", "789 ms", "1.23 s": 3 significant digits. */
char *fmt_time(char *buf, size_t len, double ns);
/* "1.23 GiB/s" from bytes per second. */
char *fmt_bytes_rate(char *buf, size_t len, double bytes_per_s);
/* "12.3 M/s" from items per second. */
char *fmt_items_rate(char *buf, size_t len, double items_per_s);
/* "12.0 MiB" from bytes. */
char *fmt_bytes(char *buf, size_t len, double bytes);
/* A value in its unit: ns -> fmt_time, bytes -> fmt_bytes, bytes/s ->
 * fmt_bytes_rate, ratio -> "0.15%", a rate ("req/s", "/s") with an SI
 * prefix ("12.3k req/s"), else "%.4g unit". */
char *fmt_value(char *buf, size_t len, double v, const char *unit);

/* Parse a duration: a number with ns, us, ms, s, m or h ("200ms", "1.5s");
 * a bare number means seconds.  Returns 0, or -1 when malformed, negative
 * or too large. */
int fmt_parse_duration(const char *s, uint64_t *ns);
/* Parse a non-negative integer with an optional suffix: k = 1000; K or
 * Ki = 1024, M or Mi = 1024^2 (sizes, as Google Benchmark writes them).
 * Returns 0, or -1 when malformed or out of range. */
int fmt_parse_count(const char *s, unsigned long long *v);
/* Parse a percentage "2%" or a fraction "0.02" into a fraction. */
int fmt_parse_percent(const char *s, double *frac);

#endif
