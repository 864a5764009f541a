/*
 * env.h: the context block of a result: where and how a run was made, and
 * the fingerprint of what makes two runs comparable.
 */
#ifndef PACER_ENV_H
#define PACER_ENV_H

#include <stdio.h>

#include "result.h"

/* Fill every field of ctx that this machine lets us read (unreadable ones
 * stay NULL / -1 / 0); compiler and cflags describe pacer's own build; the
 * clock fields are measured.  Computes the fingerprint last.  Never fails
 * for lack of a file; returns -1 only when out of memory. */
int env_collect(struct context *ctx);

/* (Re)compute ctx->fingerprint: a 16-hex-digit FNV-1a 64 hash over the
 * comparability-relevant fields (CPU model, cpus, memory in GiB, kernel
 * release, governor, turbo, compiler, cflags), so that two runs with the
 * same fingerprint ran on the same kind of machine with the same build. */
int env_fingerprint(struct context *ctx);

/* The names of the fields that differ between two contexts' fingerprints,
 * written comma-separated into buf (e.g. "cpu_model, kernel").  Returns the
 * number of differing fields. */
int env_diff(const struct context *a, const struct context *b, char *buf, size_t len);

/* Warnings about the machine, one line each, to f: a CPU governor that is
 * not "performance", turbo on, a load average above half the cpus.
 * Returns the number printed. */
int env_warn(FILE *f, const struct context *ctx);

#endif
