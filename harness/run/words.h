/*
 * words.h: split a command line into argv the way a POSIX shell splits
 * words, without any expansion: blanks separate words; '...' is literal;
 * "..." keeps blanks, and in it \ escapes only \ " $ ` and newline; outside
 * quotes \ escapes any character.  So `pacer run --cmd 'grep -c "a b" f'`
 * runs grep with three arguments and no shell in between.
 */
#ifndef PACER_WORDS_H
#define PACER_WORDS_H

#include "harness/lib/err.h"

/* *argv: a new NULL-terminated array (words_free).  Fails on an unterminated
 * quote or a trailing backslash, and on an empty command. */
int words_split(const char *s, char ***argv, struct err *e);
void words_free(char **argv);

/* The first character of s, outside quotes, that only a shell would give a
 * meaning to (| & ; < > ( ) $ ` * ? [ ~ and a leading #), or 0. */
char words_shell_char(const char *s);

#endif
