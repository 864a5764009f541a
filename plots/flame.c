/* flame.c: flame graph SVGs of profiles (flame.h). */
#include "flame.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLAME_W 1200.0           /* the image's width */
#define FLAME_PAD 10.0
#define FLAME_ROW 17.0           /* a box's height */
#define FLAME_TOP 44.0           /* room for the title and the legend */
#define FLAME_CHAR 7.0           /* a character's width at font-size 12 */
#define FLAME_MIN_W 0.3          /* narrower boxes are left out */

struct node {
    const char *name;             /* borrowed from the profile */
    double value, base;           /* inclusive cost: new, base */
    struct node *kids;
    size_t nkids, cap;
};

static struct node *child_of(struct node *n, const char *name)
{
    size_t i;

    for (i = 0; i < n->nkids; i++)
        if (!strcmp(n->kids[i].name, name))
            return &n->kids[i];
    if (n->nkids == n->cap) {
        size_t cap = n->cap ? 2 * n->cap : 4;
        struct node *nk = realloc(n->kids, cap * sizeof *nk);
        if (!nk)
            return NULL;
        n->kids = nk;
        n->cap = cap;
    }
    memset(&n->kids[n->nkids], 0, sizeof n->kids[0]);
    n->kids[n->nkids].name = name;
    return &n->kids[n->nkids++];
}

/* Add p's stacks under root (into value, or base when is_base). */
static int add_stacks(struct node *root, const struct profile *p, int is_base)
{
    size_t i, k;

    for (i = 0; i < p->nstacks; i++) {
        const struct prof_stack *st = &p->stacks[i];
        struct node *n = root;
        *(is_base ? &n->base : &n->value) += st->cost;
        for (k = 0; k < st->n; k++) {
            if (!(n = child_of(n, st->frames[k])))
                return -1;
            *(is_base ? &n->base : &n->value) += st->cost;
        }
    }
    return 0;
}

static void node_free(struct node *n)
{
    size_t i;

    for (i = 0; i < n->nkids; i++)
        node_free(&n->kids[i]);
    free(n->kids);
}

/* Rows of boxes wide enough to draw above n (n's own not counted). */
static size_t depth_of(const struct node *n, double scale)
{
    size_t i, d = 0;
    int any = 0;

    for (i = 0; i < n->nkids; i++) {
        size_t k;
        if (n->kids[i].value * scale < FLAME_MIN_W)
            continue;
        any = 1;
        k = depth_of(&n->kids[i], scale);
        if (k > d)
            d = k;
    }
    return any ? d + 1 : 0;
}

static void put_escaped(FILE *f, const char *s, size_t max)
{
    size_t i;

    for (i = 0; s[i] && i < max; i++)
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if ((unsigned char)s[i] < 0x20)
                fputc('?', f);
            else
                fputc(s[i], f);
        }
}

/* A warm colour from the name (the same name, the same colour). */
static void warm(const char *name, char *buf, size_t len)
{
    uint32_t h = 2166136261u;

    for (; *name; name++)
        h = (h ^ (unsigned char)*name) * 16777619u;
    snprintf(buf, len, "rgb(%u,%u,%u)", 205 + h % 51, (h >> 8) % 200, (h >> 16) % 56);
}

/* Red for more than the base, blue for less (flame.h). */
static void diff_colour(const struct node *n, char *buf, size_t len)
{
    double d = n->base > 0 ? (n->value - n->base) / n->base : 1, t = fmin(1, fabs(d) / 0.2);
    unsigned c = (unsigned)lround(255 * (1 - t));

    if (d >= 0)
        snprintf(buf, len, "rgb(255,%u,%u)", c, c);
    else
        snprintf(buf, len, "rgb(%u,%u,255)", c, c);
}

struct draw {
    FILE *f;
    const char *unit, *per;       /* profile_unit, profile_per */
    double scale;                 /* px per unit of cost */
    double total;
    int diff;
    double height;
};

static void draw(const struct draw *d, const struct node *n, double x, size_t level)
{
    double w = n->value * d->scale, y = d->height - FLAME_PAD - (double)(level + 1) * FLAME_ROW;
    char fill[40];
    size_t i, fit;

    if (w < FLAME_MIN_W)
        return;
    if (d->diff)
        diff_colour(n, fill, sizeof fill);
    else
        warm(n->name, fill, sizeof fill);
    fprintf(d->f, "<g><title>");
    put_escaped(d->f, n->name, 2000);
    fprintf(d->f, ": %.1f %s %s (%.2f%%)", n->value, d->unit, d->per,
            d->total > 0 ? 100 * n->value / d->total : 0);
    if (d->diff && n->base > 0)
        fprintf(d->f, "; base %.1f (%+.2f%%)", n->base, 100 * (n->value - n->base) / n->base);
    else if (d->diff)
        fputs("; not in the base", d->f);
    fprintf(d->f, "</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
                  "fill=\"%s\" rx=\"2\"/>", x, y, w, FLAME_ROW - 1, fill);
    fit = w > 3 * FLAME_CHAR ? (size_t)((w - 6) / FLAME_CHAR) : 0;
    if (fit >= 3) {
        fprintf(d->f, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + FLAME_ROW - 5);
        if (strlen(n->name) <= fit)
            put_escaped(d->f, n->name, fit);
        else {
            put_escaped(d->f, n->name, fit - 2);
            fputs("..", d->f);
        }
        fputs("</text>", d->f);
    }
    fputs("</g>\n", d->f);
    for (i = 0; i < n->nkids; i++) {
        draw(d, &n->kids[i], x, level + 1);
        x += n->kids[i].value * d->scale;
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct node *)a)->name, ((const struct node *)b)->name);
}

/* Children in name order, as flame graphs have them. */
static void sort_tree(struct node *n)
{
    size_t i;

    if (n->nkids > 1)
        qsort(n->kids, n->nkids, sizeof *n->kids, by_name);
    for (i = 0; i < n->nkids; i++)
        sort_tree(&n->kids[i]);
}

static void header(FILE *f, double h, const char *title, int diff, double total,
                   const struct profile *p)
{
    fprintf(f, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
               "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
               "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
               "<style>text{font-family:monospace;font-size:12px;fill:#000;"
               "pointer-events:none}rect:hover{stroke:#000;stroke-width:0.5}</style>\n"
               "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
               "<text x=\"%.0f\" y=\"18\" style=\"font-size:15px\">",
            FLAME_W, h, FLAME_W, h, FLAME_PAD);
    put_escaped(f, title, 300);
    fprintf(f, "</text>\n<text x=\"%.0f\" y=\"34\">%.1f %s %s; width: inclusive %s%s; "
               "hover a box for its figures</text>\n",
            FLAME_PAD, total, profile_unit(p), profile_per(p), profile_unit(p),
            diff ? "; red: more than the base, blue: less (full colour at 20%)" : "");
}

int flame_svg(const struct profile *p, const struct profile *base, const char *title,
              const char *path, struct err *e)
{
    struct node root = {"all", 0, 0, NULL, 0, 0};
    struct draw d;
    char tmp[4200];
    FILE *f;
    int bad;

    if (add_stacks(&root, p, 0) < 0 || (base && add_stacks(&root, base, 1) < 0)) {
        node_free(&root);
        return err_set(e, "out of memory");
    }
    sort_tree(&root);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w"))) {
        node_free(&root);
        return err_set(e, "cannot write %s: %s", tmp, strerror(errno));
    }
    d.f = f;
    d.total = root.value;
    d.scale = root.value > 0 ? (FLAME_W - 2 * FLAME_PAD) / root.value : 0;
    d.diff = base != NULL;
    d.height = FLAME_TOP + FLAME_PAD + (double)(depth_of(&root, d.scale) + 1) * FLAME_ROW;
    d.unit = profile_unit(p);
    d.per = profile_per(p);
    header(f, d.height, title, d.diff, root.value, p);
    draw(&d, &root, FLAME_PAD, 0);
    fputs("</svg>\n", f);
    bad = ferror(f);
    node_free(&root);
    if (fclose(f) != 0 || bad) {
        unlink(tmp);
        return err_set(e, "cannot write %s: %s", tmp, strerror(errno ? errno : EIO));
    }
    if (rename(tmp, path) < 0) {
        unlink(tmp);
        return err_set(e, "cannot write %s: %s", path, strerror(errno));
    }
    return 0;
}
