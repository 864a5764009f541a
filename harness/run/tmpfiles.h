/*
 * tmpfiles.h: the scratch folders and files of the driver (callgrind's
 * dumps, profiles on their way beside a result): made under $TMPDIR (else
 * /tmp), removed whole, and files moved across file systems.
 */
#ifndef PACER_TMPFILES_H
#define PACER_TMPFILES_H

#include <stddef.h>

#include "harness/lib/err.h"

/* A new folder $TMPDIR/<prefix>-XXXXXX (else /tmp) into dir.  0, or -1
 * with the cause in e. */
int tmp_dir_make(char *dir, size_t len, const char *prefix, struct err *e);

/* A new empty file $TMPDIR/<prefix>-XXXXXX (else /tmp), its path in path.
 * 0, or -1 with the cause in e. */
int tmp_file_make(char *path, size_t len, const char *prefix, struct err *e);

/* Remove the files of folder dir (one level) and the folder. */
void tmp_dir_remove(const char *dir);

/* Move from to to, copying when they are on different file systems.  0,
 * or -1 with errno (to removed when a copy failed). */
int file_move(const char *from, const char *to);

#endif
