/*
 * loadforeign.h: the options of other load tools (k6, Locust, wrk, ab,
 * hey) that pacer load does not take, each with what pacer does instead,
 * for the one line an unknown option gets (cmd_load.c); and the warning
 * for -n, which counts requests in ab and hey but repeats the run here.
 */
#ifndef PACER_LOADFOREIGN_H
#define PACER_LOADFOREIGN_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

/* arg, an option pacer load did not take as given ("--vus", "--vus=10",
 * "-u", "-u10"): "k6's --vus; pacer's is ..." into buf (size n), or NULL
 * when no other tool spells an option so.  Returns buf. */
const char *load_foreign_option(const char *arg, char *buf, size_t n);

/* The i-th option of the table behind load_foreign_option ("--vus"), or
 * NULL past its end. */
const char *load_foreign_at(size_t i);

/* arg, a long option not among opts: the nearest of opts' names (edit
 * distance at most 2), or NULL. */
const char *load_option_near(const char *arg, const struct option *opts);

/* -n N with runs of run_ns each: a warning into buf when N is 50 or more
 * or the repetitions add up to an hour or more (ab's and hey's -n is a
 * count of requests), else "".  Returns buf. */
const char *load_repeat_warning(unsigned repeat, uint64_t run_ns, char *buf, size_t n);

#endif
