/*
 * utf8.h: UTF-8 as JSON holds it (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF; what jansson accepts).  The writer
 * repairs the strings pacer records (stderr of a crashed process, a CPU
 * model may hold any bytes); the lean trend reader checks the strings it
 * scans.
 */
#ifndef PACER_UTF8_H
#define PACER_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence starting at s (1 for ASCII, also for
 * the terminating NUL), or 0 when the bytes there are not one.  Reads no
 * further than the first byte that does not continue the sequence. */
size_t utf8_len(const unsigned char *s);

/* A new copy of s in which every byte that does not start a valid UTF-8
 * sequence is replaced by U+FFFD.  NULL when out of memory. */
char *utf8_repair(const char *s);

#endif
