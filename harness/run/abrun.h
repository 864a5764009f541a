/*
 * abrun.h: paired A/B measurement of one micro benchmark in two builds of a
 * suite binary.  Both run as resident workers at the same time; the
 * iteration count is calibrated on the base and used for both; both warm
 * up; then pair k takes one sample from each, base first when k is even and
 * new first when k is odd (ABBA), so slow drift of the machine hits both
 * sides alike and cancels in the per-pair ratio.
 */
#ifndef PACER_ABRUN_H
#define PACER_ABRUN_H

#include "harness/result/result.h"
#include "runner.h"

/* Measure settings.samples pairs of li in base_bin and new_bin into bb
 * (base side) and nb (new side), both named suite/li->name.  A failure of
 * either side is recorded as that side's error.  Returns -1 only when
 * interrupted. */
int abrun_micro(const char *base_bin, const char *new_bin, const char *suite,
                const struct listed *li, const struct run_opts *o, struct bench *bb,
                struct bench *nb);

#endif
