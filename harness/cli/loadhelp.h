/*
 * loadhelp.h: the help text of `pacer load` (cmd_load.c), with the
 * capacity search's options (loadcap.h) in their place.
 */
#ifndef PACER_LOADHELP_H
#define PACER_LOADHELP_H

#include <stdio.h>

/* The whole --help text into f. */
void load_usage(FILE *f);

#endif
