/*
 * html.h: the pages of a report site as files: each written to a file of
 * its own beside its place and renamed there when complete, its text
 * escaped as HTML, its charts' data gathered as JSON (escaped so that no
 * string can end the script that holds it) and written at its end, with
 * the scripts that draw them (site/assets/pacer-site.js).
 */
#ifndef PACER_SITE_HTML_H
#define PACER_SITE_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "harness/lib/err.h"

struct page {
    FILE *f;                  /* the page's text */
    FILE *data;               /* its charts' data: a JSON list's items */
    char *databuf;
    size_t datalen;
    char *path, *tmp;
    const char *root;         /* from the page to the site's top: "" or "../" */
    int ncharts;
};

/* A page at dir/rel ("index.html", "bench/x.html") titled title, with the
 * site's header (links to the index).  0, or -1 with the cause in e. */
int page_open(struct page *p, const char *dir, const char *rel, const char *title,
              struct err *e);
/* Finish p (its data, scripts, end) and put it in its place: 0, or -1
 * with the cause in e (nothing left half-written). */
int page_close(struct page *p, struct err *e);
/* Drop p unfinished (after an error). */
void page_abort(struct page *p);

/* s escaped as HTML text (or an attribute's value). */
void html_text(FILE *f, const char *s);
/* The first n (at most 63) bytes of s, escaped (a commit's short form). */
void html_textn(FILE *f, const char *s, size_t n);
/* printf, then nothing escaped: for the page's own markup only. */
void html_raw(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A chart of kind at a new <div id=ID class=chart> (written into the page
 * here) whose data follow: json_* calls on p->data, each field starting
 * with a comma; ended by chart_end. */
void chart_begin(struct page *p, const char *id, const char *kind);
void chart_end(struct page *p);

/* JSON: a string (NULL: null) or a number (not finite: null), as
 * ,"key":value; and a list of n numbers. */
void js_str(FILE *f, const char *key, const char *s);
void js_num(FILE *f, const char *key, double v);
void js_nums(FILE *f, const char *key, const double *v, size_t n);
/* A string alone (no key, no comma). */
void js_string(FILE *f, const char *s);

/* A file name for a page: the letters, digits and ._- of shown (a
 * benchmark's name, a file's name) from its first letter or digit, the
 * rest as -, at most 60 of them, then - and 8 hex digits of the hash
 * (FNV-1a) of hashed (the full name or path), so that two never share
 * one; into buf. */
char *site_slug(char *buf, size_t len, const char *shown, const char *hashed);

#endif
