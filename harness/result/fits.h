/*
 * fits.h: the complexity fits of a result's benchmark families (pacer.h's
 * .complexity, Google Benchmark's ->Complexity(); the fit itself is
 * harness/lib/bigo.h): made after a run from its benchmarks, kept in the
 * result as one object per family (schema 1.8), never as benchmarks of
 * their own, so compare never diffs them.
 *
 *   "complexity": [{"family": str (req), "big_o": str|null, "error": str|null,
 *                   "coefficient": num|null, "rms": num|null,
 *                   "benchmarks": [str, ...] (req), "n": [num >= 1, ...] (req)}]
 *
 * big_o is bigo_name's ("N", "NlgN", ...; null when it could not be
 * fitted, error then says why), coefficient c of c * g(n) in ns per
 * iteration, rms the root mean square of the residuals over the mean
 * time; benchmarks and n the points fitted, as many of each.
 */
#ifndef PACER_FITS_H
#define PACER_FITS_H

#include <jansson.h>

#include "jsonread.h"
#include "result.h"

/* Fit every family of r whose benchmarks ask for it (bench.complexity),
 * replacing r's fits: a family is the benchmarks of one bench.family, in
 * the order of their first benchmark; its points their complexity_n and
 * median sample (time per iteration), the benchmarks that failed left out.
 * -1 when out of memory. */
int fits_make(struct result *r);

/* r's fits as the "complexity" array (new), or NULL when out of memory. */
json_t *fits_json(const struct result *r);

/* The "complexity" array of root, if any, into r (checked). */
int fits_read(const struct jr *rd, const json_t *root, struct result *r);

/* Free r's fits. */
void fits_free(struct result *r);

#endif
