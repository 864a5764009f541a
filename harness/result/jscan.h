/*
 * jscan.h: a lean scanner of JSON text (RFC 8259) for readers that take a
 * few fields of large documents without building them.  One pass over a
 * NUL-terminated buffer; strings are copied out only where asked, numbers
 * converted only where asked.  It never says why it stops: every function
 * returns 0, or JSCAN_GIVE_UP when the text is not JSON, or not JSON that
 * jansson reads the same way (a \u0000 or a surrogate escape, an integer
 * that may not fit a long long, a real out of range, nesting deeper than
 * jansson's limit, an object whose keys are not in ascending byte order).
 * The caller then reads the document with a full reader, which words the
 * error.
 */
#ifndef PACER_JSCAN_H
#define PACER_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#define JSCAN_GIVE_UP (-1)
#define JSCAN_MAX_DEPTH 2048      /* jansson's JSON_PARSER_MAX_DEPTH */

/* p walks the buffer up to end (where a NUL is); the strings asked for are
 * decoded into arena, which must hold as many bytes as the buffer (a
 * decoded string is never longer than its quoted form). */
struct jscan {
    const char *p, *end;
    char *arena;
    size_t alen;               /* bytes of the arena in use */
};

/* Skip white space. */
void jscan_ws(struct jscan *s);

/* The character c, after white space. */
int jscan_expect(struct jscan *s, char c);

/* The string at s->p (its opening quote).  With out, its decoded text is
 * appended to the arena and *out points to it; without, it is only
 * checked. */
int jscan_string(struct jscan *s, const char **out);

/* A number at s->p.  *is_int (may be NULL) is 1 when it has neither a
 * fraction nor an exponent; with v, its value as jansson gives it
 * (json_number_value: an integer converted from its long long, a real by
 * strtod). */
int jscan_number(struct jscan *s, int *is_int, double *v);

/* An integer (what jansson reads as one) at s->p into *v. */
int jscan_int(struct jscan *s, long long *v);

/* After white space: 1 when a null is there (consumed), 0 when not. */
int jscan_null(struct jscan *s);

/* Any value at s->p (after white space), checked and passed over. */
int jscan_skip(struct jscan *s, int depth);

/* An object (after white space): each(s, key, klen, ctx, depth + 1) for
 * every member, with s->p at its value, which each must consume.  Keys
 * with escapes are decoded into the arena first; keys must come in
 * ascending byte order (as pacer writes them: then no key repeats, and
 * jansson refuses repeated keys). */
typedef int (*jscan_member_fn)(struct jscan *s, const char *key, size_t klen, void *ctx,
                               int depth);
int jscan_object(struct jscan *s, jscan_member_fn each, void *ctx, int depth);

/* The same for an object whose keys come in any order (as other tools
 * write them): a repeated key gives up, and so do more than
 * JSCAN_ANY_KEYS keys. */
#define JSCAN_ANY_KEYS 64
int jscan_object_any(struct jscan *s, jscan_member_fn each, void *ctx, int depth);

/* jscan_skip for values whose objects have keys in any order. */
int jscan_skip_any(struct jscan *s, int depth);

/* An array (after white space): each(s, i, ctx, depth + 1) for element i,
 * with s->p at it, which each must consume. */
typedef int (*jscan_elem_fn)(struct jscan *s, size_t i, void *ctx, int depth);
int jscan_array(struct jscan *s, jscan_elem_fn each, void *ctx, int depth);

/* A number as its text says it: its value is m x 10^e exactly when it has
 * nd <= 19 significant digits (leading zeros do not count; past 19 digits
 * m is not its digits). */
struct jscan_dec {
    const char *at;            /* the text, in the buffer */
    uint64_t m;
    long e, nd;
    int integral;              /* neither a fraction nor an exponent */
};

/* The value of the number d as jansson gives it (jscan_number's). */
double jscan_dec_value(const struct jscan_dec *d);

/* The numbers of an array: d[0..n), in a list of cap that grows as needed
 * (the caller frees d). */
struct jscan_nums {
    struct jscan_dec *d;
    size_t n, cap;
};

/* An array of numbers (after white space), counted into *n; with nonneg,
 * every one >= 0; with nums (or NULL), each one's decimal form appended to
 * it.  Running out of memory gives up too. */
int jscan_numbers(struct jscan *s, int nonneg, size_t *n, struct jscan_nums *nums, int depth);

/* The value of a hexadecimal digit, -1 for any other character. */
int jscan_hex(char c);

#endif
