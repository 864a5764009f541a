/*
 * rx.h: the regular expressions users give (--filter, limits, thresholds):
 * POSIX extended, matched without sub-matches.  glibc builds the
 * automaton of a repetition by copying its operand, so nested repetitions
 * multiply: x{1000}{1000}, or a+ nested thirty times, takes gigabytes to
 * compile.  Such a pattern is refused rather than compiled.
 */
#ifndef PACER_RX_H
#define PACER_RX_H

#include <regex.h>

/* The most copies of atoms a pattern may make glibc build. */
#define RX_MAX_NODES 10000

/* The copies of atoms glibc builds for pattern, estimated from its
 * structure: x+ is x x*, x{m,n} is n copies (m when n is not given, m + 1
 * for {m,}), so quantifiers on quantifiers and on groups multiply (a
 * pattern of 30 nested +'s would need 2^30); more than 3 quantifiers one
 * on another (a*+++, ((b+)*)+{2}) count as too many whatever their nodes.
 * Saturates above RX_MAX_NODES. */
unsigned long rx_nodes(const char *pattern);

/* regcomp(re, pattern, REG_EXTENDED | REG_NOSUB), or REG_ESPACE without
 * compiling when rx_nodes(pattern) is above RX_MAX_NODES.  0 when
 * compiled (free with regfree). */
int rx_compile(regex_t *re, const char *pattern);

#endif
