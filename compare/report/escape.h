/*
 * escape.h: names and messages read from result files, shown so that
 * they cannot break what shows them.  A benchmark name comes from a file
 * anyone may have written: on a terminal a control character or an escape
 * sequence would be obeyed, in markdown a '|' splits a table cell, a
 * backtick ends a code span and a newline ends a table row.  JSON needs
 * nothing more (jansson writes control characters as \uXXXX) and neither
 * does CSV (RFC 4180 quoting keeps any byte, report_csv.c).
 */
#ifndef PACER_ESCAPE_H
#define PACER_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#define ESCAPE_MAX 512   /* a buffer for escape_term */

/* s as it may go to a terminal.  s itself when it is valid UTF-8 without
 * a C0 or C1 control character, DEL or a bidirectional embedding, override
 * or isolate (what a terminal would obey or what reorders the text shown);
 * else a quoted copy in buf, as git quotes a path: "a\x1b[31m" with \\, \",
 * \n, \r, \t and \xHH for every other such byte (each byte of a C1 or
 * bidirectional character, and each byte that is not UTF-8), cut with
 * "..." to fit len (below 16: "..." in quotes alone).  Borrowed: s, buf
 * or a literal. */
const char *escape_term(char *buf, size_t len, const char *s);

/* s as a markdown (GFM) code span: between backticks, one more of them
 * than the longest run of backticks in s, with a space inside each end
 * when s starts or ends with a backtick; in_table: '|' as "\|" (GFM reads
 * it as a pipe inside the cell); control characters as escape_term shows
 * them, without the quotes. */
void escape_md_code(FILE *f, const char *s, int in_table);

/* s as markdown text: the ASCII punctuation markdown gives a meaning to
 * (\ ` * _ [ ] < > | # ~) escaped with a backslash, control characters as
 * in escape_md_code. */
void escape_md_text(FILE *f, const char *s);

/* A name to f as escape_term shows it; as escape_md_code outside a table
 * (the shapes of report.h's report_name_fn). */
void escape_term_put(FILE *f, const char *s);
void escape_md_put(FILE *f, const char *s);

#endif
