/*
 * isotime.h: reading ISO 8601 times as result files and other tools' files
 * write them ("2026-11-24T10:00:00Z", "2026-11-24 10:00:00.5+01:00").
 */
#ifndef PACER_ISOTIME_H
#define PACER_ISOTIME_H

#include <stddef.h>

/* "YYYY-MM-DD[T| ]HH:MM:SS[.frac][Z|+HH:MM|-HH:MM|+HHMM]" (T and Z in either
 * case, a comma for the point; no offset reads as UTC) as seconds since
 * the epoch into *epoch.  The date must exist (no 30 February).  0, or -1
 * when s is not such a time. */
int iso_time_parse(const char *s, double *epoch);

/* The same time in UTC as "YYYY-MM-DDTHH:MM:SSZ" (the fraction dropped)
 * into out (size bytes, at least 21).  0, or -1. */
int iso_time_utc(const char *s, char *out, size_t size);

/* epoch (seconds since the epoch) in UTC with milliseconds,
 * "YYYY-MM-DDTHH:MM:SS.mmmZ", into out (size bytes, at least 25). */
void iso_time_ms(double epoch, char *out, size_t size);

#endif
