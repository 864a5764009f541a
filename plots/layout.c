/*
 * layout.c: what makes a plot readable (gp.h): display units chosen by the
 * data's magnitude, benchmark names short enough for an axis, and the
 * geometry of a grid of panels.
 */
#include "gp.h"

#include <math.h>
#include <string.h>

struct scale {
    double div;
    const char *label;
};

static void pick(const struct scale *s, size_t n, double mag, struct gp_unit *u)
{
    size_t i = 0;

    while (i + 1 < n && mag >= s[i + 1].div)
        i++;
    u->div = s[i].div;
    snprintf(u->label, sizeof u->label, "%s", s[i].label);
}

void gp_unit_pick(const char *unit, double mag, struct gp_unit *u)
{
    static const struct scale times[] = {
        {1, "ns"}, {1e3, "us"}, {1e6, "ms"}, {1e9, "s"},
    };
    static const struct scale bytes[] = {
        {1, "bytes"}, {1024, "KiB"}, {1048576, "MiB"}, {1073741824, "GiB"},
    };
    static const struct scale brates[] = {
        {1, "bytes/s"}, {1024, "KiB/s"}, {1048576, "MiB/s"}, {1073741824, "GiB/s"},
    };
    size_t len;

    memset(u, 0, sizeof *u);
    mag = fabs(mag);
    if (!isfinite(mag))
        mag = 0;
    if (!unit)
        unit = "";
    len = strlen(unit);
    if (!strcmp(unit, "ns")) {
        pick(times, 4, mag, u);
        snprintf(u->what, sizeof u->what, "time");
    } else if (!strcmp(unit, "bytes")) {
        pick(bytes, 4, mag, u);
        snprintf(u->what, sizeof u->what, "size");
    } else if (!strcmp(unit, "bytes/s")) {
        pick(brates, 4, mag, u);
        snprintf(u->what, sizeof u->what, "throughput");
    } else if (!strcmp(unit, "ratio")) {
        u->div = 0.01;
        snprintf(u->label, sizeof u->label, "%%");
        snprintf(u->what, sizeof u->what, "rate");
    } else if (len >= 2 && !strcmp(unit + len - 2, "/s")) {
        /* 12.3k req/s, 1.2M items/s */
        const char *rest = unit[0] == '/' ? "/s" : unit;
        u->div = mag >= 1e6 ? 1e6 : mag >= 1e3 ? 1e3 : 1;
        snprintf(u->label, sizeof u->label, "%s%s%s",
                 u->div == 1e6 ? "M" : u->div == 1e3 ? "k" : "",
                 u->div > 1 && rest[0] != '/' ? " " : "", rest);
        snprintf(u->what, sizeof u->what, "throughput");
    } else {
        u->div = 1;
        snprintf(u->label, sizeof u->label, "%s", unit);
        snprintf(u->what, sizeof u->what, "%s", *unit ? "value" : "");
    }
}

const char *gp_unit_axis(const struct gp_unit *u, char *buf, size_t len)
{
    if (u->label[0] && u->what[0])
        snprintf(buf, len, "%s (%s)", u->what, u->label);
    else
        snprintf(buf, len, "%s", u->label[0] ? u->label : u->what);
    return buf;
}

double gp_tic_step(double range, int n)
{
    static const double nice[] = {1, 2, 5, 10};
    double p10;
    size_t i;

    if (!(range > 0) || !isfinite(range) || n < 1)
        return 1;
    p10 = pow(10, floor(log10(range / n)));
    for (i = 0; i < 3; i++)
        if (range / (nice[i] * p10) <= n + 1)
            break;
    return nice[i] * p10;
}

size_t gp_common_prefix(char *const *names, size_t n)
{
    size_t len, i, k, cut = 0;

    if (n < 2)
        return 0;
    len = strlen(names[0]);
    for (i = 1; i < n; i++) {
        for (k = 0; k < len && names[i][k] == names[0][k]; k++)
            ;
        len = k;
    }
    for (k = 0; k < len; k++)
        if (names[0][k] == '/')
            cut = k + 1;
    /* never the whole of a name */
    for (i = 0; i < n; i++)
        if (strlen(names[i]) <= cut)
            return 0;
    return cut;
}

const char *gp_shorten(char *buf, size_t len, const char *s, size_t max)
{
    size_t n = strlen(s);
    const char *p = s;

    if (max < 8)
        max = 8;
    if (n <= max) {
        snprintf(buf, len, "%s", s);
        return buf;
    }
    /* drop leading components while what is left does not fit */
    while (strlen(p) + 4 > max) {
        const char *sl = strchr(p, '/');
        if (!sl || !sl[1])
            break;
        p = sl + 1;
    }
    if (strlen(p) + 4 <= max) {
        snprintf(buf, len, ".../%s", p);
        return buf;
    }
    /* one long component: keep its start and its end */
    {
        size_t keep = max - 3, head = keep / 3, tail = keep - head;
        snprintf(buf, len, "%.*s...%s", (int)head, s, s + n - tail);
    }
    return buf;
}

const char *gp_slug(char *buf, size_t len, const char *s)
{
    size_t n = 0;

    for (; *s && n + 1 < len; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '=' || c == '-' || c == '_';
        buf[n++] = ok ? c : '_';
    }
    if (n && buf[0] == '.')
        buf[0] = '_';
    buf[n] = '\0';
    return buf;
}

void gp_grid_layout(size_t n, int panel_w, int panel_h, struct gp_grid *gr)
{
    int cols = n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4;

    gr->cols = cols;
    gr->rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    if (gr->rows < 1)
        gr->rows = 1;
    gr->width = cols * panel_w;
    if (gr->width < 1000)
        gr->width = 1000;
    gr->height = gr->rows * panel_h;
    if (gr->height < 600)
        gr->height = 600;
}

void gp_multiplot(struct gp *g, const struct gp_grid *gr, int l, int r, int b, int t, int sx,
                  int sy)
{
    double W = g->width, H = g->height;
    char q[1024];

    fprintf(g->f,
            "set multiplot layout %d,%d rowsfirst margins %.4f,%.4f,%.4f,%.4f spacing %.4f,%.4f",
            gr->rows, gr->cols, l / W, 1 - r / W, b / H, 1 - t / H, sx / W, sy / H);
    if (g->title)
        fprintf(g->f, " title %s font ',12'", gp_quote(q, sizeof q, g->title));
    fputc('\n', g->f);
}
