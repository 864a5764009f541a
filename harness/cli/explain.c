/* explain.c: --explain of compare and ab (explain.h). */
#include "explain.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "compare/explain.h"
#include "compare/report/escape.h"
#include "harness/result/profile.h"
#include "harness/run/counted.h"
#include "plots/flame.h"

#define EXPLAIN_LINE 5           /* functions in the one-line summary */
#define EXPLAIN_ROWS 8           /* rows of the table per benchmark */

static int wanted(const struct compare_row *r)
{
    return r->verdict == VERDICT_REGRESSED || r->verdict == VERDICT_IMPROVED;
}

static void put_table(FILE *out, const struct explanation *x, int md)
{
    size_t i, k = 0;

    if (md)
        fprintf(out, "\n| function | self base | self new | change | incl base | incl new |\n"
                     "|---|---:|---:|---:|---:|---:|\n");
    else
        fprintf(out, "    %-40s %10s %10s %8s %10s %10s\n", "function", "self base", "self new",
                "change", "incl base", "incl new");
    for (i = 0; i < x->n && k < EXPLAIN_ROWS; i++) {
        const struct fn_change *c = &x->ch[i];
        char ch[32], name[ESCAPE_MAX];

        if (!(fabs(c->n_incl - c->b_incl) > 1e-4 * x->b_total))
            continue;
        if (!c->in_base)
            snprintf(ch, sizeof ch, "new");
        else if (!c->in_new)
            snprintf(ch, sizeof ch, "gone");
        else if (c->b_self > 0)
            snprintf(ch, sizeof ch, "%+.1f%%", 100 * (c->n_self - c->b_self) / c->b_self);
        else
            snprintf(ch, sizeof ch, "%+.1f", c->n_self - c->b_self);
        if (md) {
            fputs("| ", out);
            escape_md_code(out, c->name, 1);
            fprintf(out, " | %.1f | %.1f | %s | %.1f | %.1f |\n", c->b_self, c->n_self, ch,
                    c->b_incl, c->n_incl);
        } else
            fprintf(out, "    %-40.40s %10.1f %10.1f %8s %10.1f %10.1f\n",
                    escape_term(name, sizeof name, c->name), c->b_self, c->n_self, ch, c->b_incl,
                    c->n_incl);
        k++;
    }
}

int explain_pair(FILE *out, const char *head, const char *pb, const char *pn, const char *title,
                 const char *svg, int md)
{
    char line[1024];
    struct profile b, n;
    struct explanation x;
    struct err e = {0};

    if (access(pb, F_OK) != 0 || access(pn, F_OK) != 0)
        return 0;
    if (profile_load(pb, &b, &e) < 0) {
        warn_msg("explain: %s", e.msg);
        return 0;
    }
    if (profile_load(pn, &n, &e) < 0) {
        warn_msg("explain: %s", e.msg);
        profile_free(&b);
        return 0;
    }
    if (explain_profiles(&b, &n, &x) < 0) {
        profile_free(&b);
        profile_free(&n);
        return 0;
    }
    explain_line(line, sizeof line, &x, EXPLAIN_LINE);
    if (md) {
        fprintf(out, "\n%s (%s %s %.1f → %.1f): ", head, profile_unit(&n), profile_per(&n),
                x.b_total, x.n_total);
        escape_md_text(out, line);
        fputs("\n", out);
    } else
        fprintf(out, "  %s (%s %s %.1f -> %.1f): %s\n", head, profile_unit(&n), profile_per(&n),
                x.b_total, x.n_total, line);
    put_table(out, &x, md);
    if (flame_svg(&n, &b, title, svg, &e) < 0)
        warn_msg("explain: %s", e.msg);
    else
        fprintf(out, md ? "\ndifferential flame graph: `%s`\n" : "    differential flame graph: %s\n",
                svg);
    explain_free(&x);
    profile_free(&b);
    profile_free(&n);
    return 1;
}

/* One benchmark: 1 explained, 0 without its profiles. */
static int explain_row(FILE *out, const struct compare_row *r, const struct explain_src *src,
                       int md)
{
    char fb[1024], fn[1024], pb[5200], pn[5200], svg[5200], name[ESCAPE_MAX];
    char head[ESCAPE_MAX + 64];
    FILE *h;

    snprintf(pb, sizeof pb, "%s/%s", src->base_dir,
             profile_file_name(fb, sizeof fb, r->name, src->base_ext));
    snprintf(pn, sizeof pn, "%s/%s", src->new_dir,
             profile_file_name(fn, sizeof fn, r->name, src->new_ext));
    snprintf(svg, sizeof svg, "%s/%s", src->new_dir,
             profile_file_name(fn, sizeof fn, r->name, ".diff.svg"));
    if (md) {
        /* the name as markdown code, into head */
        if (!(h = fmemopen(head, sizeof head, "w")))
            return 0;
        escape_md_code(h, r->name, 0);
        fprintf(h, " %s %+.1f%%", verdict_name(r->verdict), 100 * r->change);
        fclose(h);
    } else
        snprintf(head, sizeof head, "%s %s %+.1f%%", escape_term(name, sizeof name, r->name),
                 verdict_name(r->verdict), 100 * r->change);
    return explain_pair(out, head, pb, pn, r->name, svg, md);
}

int explain_print(FILE *out, const struct comparison *cmp, const struct explain_src *src,
                  const char *format)
{
    int md = !strcmp(format, "markdown"), done = 0;
    size_t i, missing = 0, want = 0;

    if (!md && strcmp(format, "table"))
        return 0;
    for (i = 0; i < cmp->nrows; i++)
        want += (size_t)wanted(&cmp->rows[i]);
    if (!want)
        return 0;
    fprintf(out, md ? "\n### Why: the profiles of both sides\n" :
                      "explain (profiles of both sides; self and inclusive costs):\n");
    for (i = 0; i < cmp->nrows; i++) {
        int k;
        if (!wanted(&cmp->rows[i]))
            continue;
        k = explain_row(out, &cmp->rows[i], src, md);
        done += k;
        missing += (size_t)!k;
    }
    if (missing)
        fprintf(out, md ? "\n%zu benchmark%s without profiles of both sides (pacer run "
                          "--profile)\n"
                        : "  %zu benchmark%s without profiles of both sides (run them with "
                          "pacer run --profile, or pair the builds: pacer ab --explain)\n",
                missing, missing == 1 ? "" : "s");
    return done;
}

void explain_take(const struct plan *p, const struct comparison *cmp, const char *dir, int quiet)
{
    size_t i, k;

    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        warn_msg("explain: cannot make %s: %s", dir, strerror(errno));
        return;
    }
    for (i = 0; i < cmp->nrows; i++) {
        const struct compare_row *r = &cmp->rows[i];
        if (!wanted(r))
            continue;
        for (k = 0; k < p->njobs; k++) {
            const struct job *j = &p->jobs[k];
            struct run_opts ro = {.set = j->set};
            char full[1024], f[1024], path[5200];
            struct err e = {0};
            snprintf(full, sizeof full, "%s/%s", j->suite, j->name);
            if (!j->li || strcmp(full, r->name))
                continue;
            if (!quiet)
                fprintf(stderr, "pacer: profiling both builds of %s under callgrind\n", r->name);
            snprintf(path, sizeof path, "%s/%s", dir,
                     profile_file_name(f, sizeof f, r->name, ".base.callgrind"));
            if (counted_profile(j->base_binary, j->li, &ro, 0, path, &e) < 0) {
                warn_msg("explain: %s: base: %s", r->name, e.msg);
                continue;
            }
            snprintf(path, sizeof path, "%s/%s", dir,
                     profile_file_name(f, sizeof f, r->name, ".callgrind"));
            if (counted_profile(j->binary, j->li, &ro, 0, path, &e) < 0)
                warn_msg("explain: %s: new: %s", r->name, e.msg);
        }
    }
}
