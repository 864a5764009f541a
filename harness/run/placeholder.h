/*
 * placeholder.h: the "{NAME}" placeholders of suite files ({build},
 * {suite_dir}, {python}, {port}), filled in from a list of names and
 * values.
 */
#ifndef PACER_PLACEHOLDER_H
#define PACER_PLACEHOLDER_H

/* s with every "{NAME}" of names[i] replaced by values[i] (both
 * NULL-terminated lists; other braces are left as written): a new string,
 * or NULL when out of memory. */
char *placeholder_expand(const char *s, const char *const *names, const char *const *values);

/* Every string of v (NULL-terminated, may be NULL: an empty list) with
 * "{port}" filled in: a new NULL-terminated array of new strings
 * (words_free), or NULL when out of memory. */
char **placeholder_port(char *const *v, const char *port);

#endif
