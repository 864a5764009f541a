/*
 * gp.h: what every plot shares (internal to plots/): where the picture, its
 * script and its data files go, text made safe for gnuplot, display units,
 * the layout of a grid of panels, and running gnuplot.
 *
 * A plot opens a struct gp (the script file NAME.gp beside the picture),
 * writes data files with gp_data_open (NAME.dat or NAME-KEY.dat), prints
 * gnuplot commands into g->f, and calls gp_run: gnuplot runs in the
 * picture's directory (the script names its files relative to it, so
 * `cd DIR && gnuplot NAME.gp` draws it again), with a timeout, its stderr
 * kept for the error message.
 */
#ifndef PACER_GP_H
#define PACER_GP_H

#include <stddef.h>
#include <stdio.h>

#include "harness/lib/err.h"
#include "plot.h"

#define GP_TIMEOUT_S 60     /* gnuplot gets this long per picture */
#define GP_ENV_PROGRAM "PACER_GNUPLOT"   /* the gnuplot to run (default: PATH) */
#define GP_ENV_TIMEOUT "PACER_GNUPLOT_TIMEOUT"  /* seconds, instead of GP_TIMEOUT_S */

/* Colours: runs and curves in order, and the verdicts. */
#define GP_NCOLOURS 8
extern const char *const gp_colours[GP_NCOLOURS];
extern const char *const gp_colour_names[GP_NCOLOURS];   /* "blue", ... */
#define GP_RED "#d62728"
#define GP_GREEN "#2ca02c"
#define GP_GREY "#8c8c8c"
#define GP_ORANGE "#ff7f0e"

struct gp {
    char *dir;              /* the picture's directory ("." when none) */
    char *name;             /* its file name without the extension */
    char *picture;          /* dir/name.png or .svg */
    char *script;           /* dir/name.gp */
    enum plot_format format;
    int width, height;
    char *title;            /* o->title or the plot's own, or NULL */
    FILE *f;                /* the script while it is written */
};

/* A data file being written. */
struct gp_data {
    FILE *f;
    char *path;             /* dir/name-key.dat */
    char *rel;              /* name-key.dat: how the script names it */
};

/* Set up g for a picture of o->out (NULL: "plot-KIND" in the current
 * directory; an extension .png or .svg decides the format, else o->format's
 * is added), sized o->width x o->height or, where those are 0, width x
 * height; create the script and write the terminal, output and data file
 * settings.  g->title is o->title, else title (the plot writes it: as the
 * title of its one graph, gp_title, or of its multiplot).  -1 with "path:
 * cause". */
int gp_open(struct gp *g, const struct plot_opts *o, const char *kind, int width, int height,
            const char *title, struct err *e);
/* Write "set title ..." of g->title (nothing when there is none). */
void gp_title(struct gp *g);
/* Close the script (if open) and release g.  The files stay. */
void gp_free(struct gp *g);

/* Create the data file NAME.dat (key NULL) or NAME-KEY.dat. */
int gp_data_open(struct gp *g, const char *key, struct gp_data *d, struct err *e);
/* Close it; -1 when writing it failed.  d is released either way. */
int gp_data_close(struct gp_data *d, struct err *e);

/* Close the script and run gnuplot on it in the picture's directory, in a
 * process group of its own, killed after the timeout.  -1 with "gnuplot
 * not found: install gnuplot-nox", or "gnuplot failed: FIRST ERROR LINE"
 * (its first error on stderr; the partial picture removed). */
int gp_run(struct gp *g, struct err *e);

/* The gnuplot program: $PACER_GNUPLOT, else "gnuplot" (searched in PATH). */
const char *gp_program(void);

/* s as a gnuplot string expression that nothing expands: single-quoted
 * (' doubled), newlines joined with ."\n". so titles can have several
 * lines, other control characters as spaces.  Into buf; returns buf. */
const char *gp_quote(char *buf, size_t len, const char *s);
/* Write s as a data file field: double-quoted, " as ', tabs and control
 * characters as spaces. */
void gp_field(FILE *f, const char *s);
/* Write v as a data file number ("NaN" for what is not finite). */
void gp_num(FILE *f, double v);
/* Write v[0..n) as data file numbers, separated by tabs. */
void gp_nums(FILE *f, const double *v, size_t n);

/* A display unit for values in a base unit: v / div reads in label. */
struct gp_unit {
    double div;
    char label[24];         /* "us", "MiB", "k req/s" */
    char what[32];          /* "time", "size", "throughput", or the unit */
};

/* The unit to show values of base unit `unit` (ns, bytes, bytes/s, req/s,
 * /s, ratio, ...) whose largest magnitude is mag. */
void gp_unit_pick(const char *unit, double mag, struct gp_unit *u);
/* "time (us)", "throughput (k req/s)" into buf. */
const char *gp_unit_axis(const struct gp_unit *u, char *buf, size_t len);

/* A tic interval of 1, 2 or 5 times a power of ten giving at most about n
 * tics over range. */
double gp_tic_step(double range, int n);

/* Length of the prefix all names share, ending after a '/' (0 if none). */
size_t gp_common_prefix(char *const *names, size_t n);
/* s shortened to at most max characters: leading path components are
 * dropped for ".../", then the middle of what is left is cut.  Into buf. */
const char *gp_shorten(char *buf, size_t len, const char *s, size_t max);
/* A name usable as a file name: [A-Za-z0-9._=-], other bytes as '_'. */
const char *gp_slug(char *buf, size_t len, const char *s);

/* A grid of n panels: columns, rows and, for an automatic size, the
 * picture's size. */
struct gp_grid {
    int cols, rows;
    int width, height;
};
void gp_grid_layout(size_t n, int panel_w, int panel_h, struct gp_grid *gr);
/* Start a multiplot of gr on g with margins in pixels (left, right,
 * bottom, top) and spacing between panels (x, y). */
void gp_multiplot(struct gp *g, const struct gp_grid *gr, int l, int r, int b, int t, int sx,
                  int sy);

#endif
