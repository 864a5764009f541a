/* compare_files.c: read result files and compare them (compare_files.h). */
#include "compare_files.h"

#include <stdio.h>
#include <string.h>

#include "ab.h"
#include "compare/import/import.h"
#include "policy.h"

/* The thresholds file and the filter into o. */
static int apply_opts(const struct compare_files_opts *fo, struct compare_opts *o,
                      struct compare_files *cf, struct err *e)
{
    if (fo->thresholds &&
        policy_load(fo->thresholds, o, fo->have_threshold, fo->have_drift, e) < 0)
        return -1;
    if (fo->filter) {
        if (regcomp(&cf->re, fo->filter, REG_EXTENDED | REG_NOSUB) != 0)
            return err_set(e, "compare: --filter: '%s' is not a valid regular expression",
                           fo->filter);
        cf->have_re = 1;
        o->filter = &cf->re;
    }
    return 0;
}

int compare_files(char *const *paths, size_t n, const struct compare_files_opts *fo,
                  struct compare_opts *o, struct compare_files *cf, struct err *e)
{
    memset(cf, 0, sizeof *cf);
    result_init(&cf->base);
    result_init(&cf->nw);
    if (apply_opts(fo, o, cf, e) < 0)
        return -1;
    if (n == 2) {
        if (import_load(paths[0], &cf->base, NULL, e) < 0 ||
            import_load(paths[1], &cf->nw, NULL, e) < 0)
            return -1;
        cf->ab_side = ab_is_result(&cf->nw) || ab_is_result(&cf->base);
    } else {
        if (import_load(paths[0], &cf->nw, NULL, e) < 0)
            return -1;
        if (!ab_is_result(&cf->nw))
            return 1;
        cf->paired = 1;
        ab_base_view(&cf->nw, &cf->base);
        o->paired = 1;
    }
    if (compare_results(&cf->base, &cf->nw, o, &cf->cmp, e) < 0)
        return err_prefix(e, "compare: %s and %s", n == 2 ? paths[0] : "base",
                          n == 2 ? paths[1] : "new");
    snprintf(cf->cmp.base_name, sizeof cf->cmp.base_name, "%s", n == 2 ? paths[0] : "base");
    snprintf(cf->cmp.new_name, sizeof cf->cmp.new_name, "%s", paths[n - 1]);
    return 0;
}

void compare_files_free(struct compare_files *cf)
{
    comparison_free(&cf->cmp);
    if (cf->have_re)
        regfree(&cf->re);
    if (!cf->paired)
        result_free(&cf->base);   /* a paired base is a view into nw */
    result_free(&cf->nw);
    memset(cf, 0, sizeof *cf);
}
