/* html.c: pages of a report site as files (html.h). */
#include "html.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int page_open(struct page *p, const char *dir, const char *rel, const char *title,
              struct err *e)
{
    size_t n = strlen(dir) + strlen(rel) + 16;

    memset(p, 0, sizeof *p);
    p->root = strchr(rel, '/') ? "../" : "";
    p->path = malloc(n);
    p->tmp = malloc(n);
    if (!p->path || !p->tmp) {
        page_abort(p);
        return err_set(e, "out of memory");
    }
    snprintf(p->path, n, "%s/%s", dir, rel);
    snprintf(p->tmp, n, "%s/%s.tmp", dir, rel);
    p->f = fopen(p->tmp, "w");
    p->data = open_memstream(&p->databuf, &p->datalen);
    if (!p->f || !p->data) {
        err_set(e, "%s: cannot write: %s", p->tmp, strerror(errno));
        page_abort(p);
        return -1;
    }
    html_raw(p->f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
    html_text(p->f, title);
    html_raw(p->f, " - pacer</title>\n<link rel=\"stylesheet\" href=\"%sassets/uPlot.min.css\">\n"
                   "<link rel=\"stylesheet\" href=\"%sassets/pacer-site.css\">\n</head>\n<body>\n"
                   "<header><span class=\"title\">pacer report</span>"
                   "<a href=\"%sindex.html\">index</a></header>\n<main>\n",
             p->root, p->root, p->root);
    return 0;
}

int page_close(struct page *p, struct err *e)
{
    int bad;

    fclose(p->data);
    p->data = NULL;
    if (p->ncharts) {
        html_raw(p->f, "<script type=\"application/json\" id=\"pacer-data\">[");
        fwrite(p->databuf, 1, p->datalen, p->f);
        html_raw(p->f, "]</script>\n");
    }
    html_raw(p->f, "</main>\n<script src=\"%sassets/uPlot.iife.min.js\"></script>\n"
                   "<script src=\"%sassets/pacer-site.js\"></script>\n</body>\n</html>\n",
             p->root, p->root);
    bad = ferror(p->f);
    if (fclose(p->f) != 0)
        bad = 1;
    p->f = NULL;
    if (bad || rename(p->tmp, p->path) != 0) {
        err_set(e, "%s: cannot write: %s", p->path, strerror(errno ? errno : EIO));
        page_abort(p);
        return -1;
    }
    free(p->tmp);
    p->tmp = NULL;
    page_abort(p);
    return 0;
}

void page_abort(struct page *p)
{
    if (p->f)
        fclose(p->f);
    if (p->data)
        fclose(p->data);
    if (p->tmp)
        unlink(p->tmp);
    free(p->databuf);
    free(p->path);
    free(p->tmp);
    memset(p, 0, sizeof *p);
}

void html_text(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fprintf(f, "&#xfffd;");   /* a control character */
            else
                fputc(*s, f);
        }
}

void html_textn(FILE *f, const char *s, size_t n)
{
    char buf[64];

    snprintf(buf, sizeof buf < n + 1 ? sizeof buf : n + 1, "%s", s ? s : "");
    html_text(f, buf);
}

void html_raw(FILE *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
}

void chart_begin(struct page *p, const char *id, const char *kind)
{
    html_raw(p->f, "<div class=\"chart\" id=\"%s\"></div>\n", id);
    fprintf(p->data, "%s{\"kind\":", p->ncharts++ ? ",\n" : "");
    js_string(p->data, kind);
    js_str(p->data, "id", id);
}

void chart_end(struct page *p)
{
    fputc('}', p->data);
}

void js_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == '<' || c == '>' || c == '&')
            fprintf(f, "\\u%04x", c);   /* nothing can close the script */
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void js_str(FILE *f, const char *key, const char *s)
{
    fprintf(f, ",\"%s\":", key);
    js_string(f, s);
}

static void number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.9g", v);
    else
        fputs("null", f);
}

void js_num(FILE *f, const char *key, double v)
{
    fprintf(f, ",\"%s\":", key);
    number(f, v);
}

void js_nums(FILE *f, const char *key, const double *v, size_t n)
{
    fprintf(f, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        number(f, v[i]);
    }
    fputc(']', f);
}

char *site_slug(char *buf, size_t len, const char *shown, const char *hashed)
{
    uint32_t h = 2166136261u;
    size_t i, k = 0;

    for (i = 0; hashed[i]; i++)
        h = (h ^ (unsigned char)hashed[i]) * 16777619u;
    while (*shown && !((*shown >= 'a' && *shown <= 'z') || (*shown >= 'A' && *shown <= 'Z') ||
                       (*shown >= '0' && *shown <= '9')))
        shown++;   /* never a name that starts with - or . */
    for (i = 0; shown[i] && k < 60 && k + 12 < len; i++) {
        char c = shown[i];
        buf[k++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           c == '.' || c == '_' || c == '-'
                       ? c
                       : '-';
    }
    snprintf(buf + k, len - k, "%s%08x", k ? "-" : "p", (unsigned)h);
    return buf;
}
