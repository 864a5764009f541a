/*
 * jsonwrite.h: building JSON for result files, the companion of jsonread.h.
 * Every constructor returns a new value or NULL when out of memory (or,
 * where said, when the value cannot be written); the setters steal the
 * value they are given, also when they fail, and take NULL as a failure,
 * so a whole object can be built with `rc |= jw_put(...)` and one check.
 */
#ifndef PACER_JSONWRITE_H
#define PACER_JSONWRITE_H

#include <stdint.h>

#include <jansson.h>

/* obj[key] = v (stolen); -1 when v is NULL or the set fails. */
int jw_put(json_t *obj, const char *key, json_t *v);
/* Append v (stolen) to arr; -1 when v is NULL or the append fails. */
int jw_push(json_t *arr, json_t *v);
/* o, or NULL (and o freed) when rc says a part of it failed. */
json_t *jw_done(json_t *o, int rc);

/* A string (repaired when not UTF-8: see utf8.h), null for NULL. */
json_t *jw_str(const char *s);
/* A real, or null when v is NaN or infinite. */
json_t *jw_real(double v);
/* A count, clamped to the largest JSON integer. */
json_t *jw_count(uint64_t v);
/* An unsigned integer, or NULL when it is above the largest JSON integer
 * (jansson's are signed 64-bit). */
json_t *jw_u64(uint64_t v);

#endif
