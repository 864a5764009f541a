/*
 * import_private.h: what the converters of other tools' files share
 * (import.c holds it).
 */
#ifndef PACER_IMPORT_PRIVATE_H
#define PACER_IMPORT_PRIVATE_H

/* The suite of an imported file: the base name of path without its
 * extension ("out/bench.json" is "bench"), as a new string; NULL when out
 * of memory. */
char *import_suite_of(const char *path);

#endif
