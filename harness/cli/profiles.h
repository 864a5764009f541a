/*
 * profiles.h: the profiles of pacer run --profile (harness/result/profile.h)
 * taken, kept beside the result ("<result>.profiles/<benchmark>.callgrind",
 * names as profile_file_name writes them), and shown by pacer show
 * --profile: each benchmark's top functions and its flame graph
 * (plots/flame.h) beside its profile.
 */
#ifndef PACER_PROFILES_H
#define PACER_PROFILES_H

#include <regex.h>
#include <stdio.h>

#include "harness/result/result.h"
#include "harness/run/plan.h"

#define PROFILES_TOP 10      /* functions shown per benchmark */

/* Whether profiles can be taken here (valgrind runs): 0, or -1 after
 * saying why not. */
int profiles_ready(void);

/* A new temporary folder for profiles, its path in dir.  0, or -1 after
 * saying why not. */
int profiles_dir_make(char *dir, size_t len);

/* Profile every micro benchmark of p that ran without error (r's benches
 * are p's jobs, in order) into the folder dir (made first when dir is
 * empty).  Failures are said and skipped.  0, or -1 after saying why no
 * folder could be made. */
int profiles_take(const struct plan *p, const struct result *r, int quiet, char *dir,
                  size_t len);

/* Remove the folder dir of profiles_take and what it holds. */
void profiles_discard(const char *dir);

/* Move the folder dir to result_path's profile folder (replacing one
 * there).  0, or -1 after saying why. */
int profiles_keep(const char *dir, const char *result_path, int quiet);

/* The top functions of the profile at path, as benchmark bench, to out;
 * its flame graph written to svg unless NULL.  0, or -1 after saying why
 * it could not be read. */
int profiles_show_file(FILE *out, const char *bench, const char *path, const char *svg);

/* For each benchmark of r (read from result_path) matching re that has a
 * profile: its top functions to out, and its flame graph written beside
 * the profile.  Returns the number of profiles shown, or -1 after saying
 * why one could not be read. */
int profiles_show(FILE *out, const char *result_path, const struct result *r, const regex_t *re);

/* For each benchmark of r (read from result_path) matching re whose name
 * holds before as whole '/'-separated parts ("store-per-request", or a
 * full name), and its partner, the benchmark named with that part
 * replaced by after: the functions whose cost changed most from the first's
 * profile to the partner's, and a differential flame graph beside the
 * partner's profile (explain.h).  Returns the number of pairs shown (0:
 * none with profiles of both), or -1 when out of memory. */
int profiles_diff(FILE *out, const char *result_path, const struct result *r, const regex_t *re,
                  const char *before, const char *after);

#endif
