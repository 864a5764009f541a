/* plan.c: the jobs of pacer run and pacer ab (plan.h). */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lib/rx.h"
#include "harness/result/env.h"
#include "harness/result/result_json.h"
#include "counted.h"
#include "placeholder.h"
#include "words.h"

#define LIST_TIMEOUT_NS 30000000000ULL
#define AB_MAX_BINARIES 64

/* ---- what the jobs borrow ----------------------------------------------------- */

static int add_job(struct plan *p, const struct job *j)
{
    struct job *nj = realloc(p->jobs, (p->njobs + 1) * sizeof *nj);

    if (!nj)
        return -1;
    nj[p->njobs++] = *j;
    p->jobs = nj;
    return 0;
}

/* Add a job unless one of the same full name is planned already (the same
 * binary listed twice, the same command given twice). */
static int add_unique_job(struct plan *p, const struct job *j)
{
    size_t i;

    for (i = 0; i < p->njobs; i++)
        if (!strcmp(p->jobs[i].suite, j->suite) && !strcmp(p->jobs[i].name, j->name))
            return 0;
    return add_job(p, j);
}

/* Keep s (stolen; NULL: out of memory) for the jobs to borrow. */
static const char *keep_string(char ***v, size_t *n, char *s)
{
    char **nv;

    if (!s)
        return NULL;
    nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(s);
        return NULL;
    }
    nv[(*n)++] = s;
    *v = nv;
    return s;
}

/* "suite/name", kept in *v. */
static const char *keep_full_name(char ***v, size_t *n, const char *suite, const char *name)
{
    size_t len = strlen(suite) + strlen(name) + 2;
    char *s = malloc(len);

    if (s)
        snprintf(s, len, "%s/%s", suite, name);
    return keep_string(v, n, s);
}

/* List binary into a new listing of p (from: the path given on the command
 * line, or NULL); "BINARY: cause" in e on failure. */
static struct listing *list_binary(struct plan *p, const char *binary, const char *from,
                                   struct err *e)
{
    struct listing *nl = realloc(p->listings, (p->nlistings + 1) * sizeof *nl);
    const char **nf;
    struct err le = {0};

    if (!nl)
        return NULL;
    p->listings = nl;
    if (!(nf = realloc(p->listed_from, (p->nlistings + 1) * sizeof *nf)))
        return NULL;
    p->listed_from = nf;
    if (runner_list(binary, LIST_TIMEOUT_NS, &nl[p->nlistings], &le) < 0) {
        err_set(e, "%s: %s", binary, le.msg);
        listing_free(&nl[p->nlistings]);
        return NULL;
    }
    nf[p->nlistings] = from;
    return &nl[p->nlistings++];
}

/* The build of the measured code: the first binary's that says it. */
static void note_build(struct plan *p, const struct listing *l)
{
    if (!p->compiler) {
        p->compiler = l->compiler;
        p->cflags = l->cflags;
    }
}

/* Whether suite/name passes re and name the entry's filter (either may be
 * NULL). */
static int selected(const struct name_filter *re, const regex_t *filter, const char *suite,
                    const char *name)
{
    return runner_matches(re, suite, name) &&
           (!filter || regexec(filter, name, 0, NULL, 0) == 0);
}

static int is_json(const char *path)
{
    size_t len = strlen(path);

    return len > 5 && !strcmp(path + len - 5, ".json");
}

static int is_executable_file(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

/* A suite binary, or a Python benchmark file (FILE.py, child.h) that is a
 * readable regular file. */
static int is_suite_binary(const char *path)
{
    struct stat sb;

    if (!child_is_python(path))
        return is_executable_file(path);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, R_OK) == 0;
}

/* ---- pacer run ------------------------------------------------------------------ */

/* Settings for one entry: defaults, then the suite's, the entry's, the
 * command line's. */
static struct settings entry_settings(const struct settings_ov *suite_ov,
                                      const struct settings_ov *entry_ov,
                                      const struct settings_ov *cli, int is_cmd)
{
    struct settings s;

    settings_default(&s);
    if (is_cmd)
        s.samples = 0;   /* with no budget: hyperfine's rule (cmdbench.h) */
    if (suite_ov)
        settings_apply(&s, suite_ov);
    if (entry_ov)
        settings_apply(&s, entry_ov);
    settings_apply(&s, cli);
    /* A budget alone means: sample until it is spent. */
    if ((s.budget_ns || s.ci_target > 0) && !((cli->mask | (entry_ov ? entry_ov->mask : 0) |
                                              (suite_ov ? suite_ov->mask : 0)) & OV_SAMPLES))
        s.samples = 0;
    if (s.ci_target > 0 && !s.budget_ns)
        s.budget_ns = 10000000000ULL;
    /* Counts hardly vary: a few samples show how little (counted.h), and
     * no warmup run changes them. */
    if (s.mode == RUN_MODE_INSTRUCTIONS) {
        unsigned given = cli->mask | (entry_ov ? entry_ov->mask : 0) |
                         (suite_ov ? suite_ov->mask : 0);
        if (!(given & OV_SAMPLES)) {
            s.samples = COUNTED_SAMPLES;
            s.budget_ns = 0;
            s.ci_target = 0;
        }
        if (is_cmd && !(given & OV_WARMUP_RUNS))
            s.warmup_runs = 0;
    }
    return s;
}

/* Which settings the suite, the entry and the command line give. */
static unsigned given(const struct settings_ov *suite_ov, const struct settings_ov *entry_ov,
                      const struct settings_ov *cli)
{
    return cli->mask | (entry_ov ? entry_ov->mask : 0) | (suite_ov ? suite_ov->mask : 0);
}

/* What a benchmark's definition asks of its measuring (Google Benchmark's
 * ->Repetitions(), ->MinTime()), where nothing above said otherwise. */
static void wanted(struct settings *s, const struct listed *li, unsigned mask)
{
    if (s->mode == RUN_MODE_INSTRUCTIONS)
        return;   /* counts need few samples of any length */
    if (li->want_samples && !(mask & (OV_SAMPLES | OV_BUDGET | OV_CI_TARGET)))
        s->samples = li->want_samples;
    if (li->want_sample_time_ns && !(mask & OV_SAMPLE_TIME))
        s->sample_target_ns = li->want_sample_time_ns;
    if (li->want_warmup_ns && !(mask & OV_WARMUP))
        s->warmup_ns = li->want_warmup_ns;
}

/* List a binary and add its (matching) benchmarks as jobs; mask: the
 * settings given above the benchmarks' own wishes. */
static int plan_binary(struct plan *p, const char *binary, const char *from, const char *filter,
                       const struct name_filter *re, const struct settings *set,
                       unsigned mask, struct err *e)
{
    const char *suite = runner_suite_name(binary);
    const struct listing *l;
    regex_t fre;
    size_t i;
    int rc = 0;

    if (!(l = list_binary(p, binary, from, e)))
        return -1;
    note_build(p, l);
    if (filter && rx_compile(&fre, filter) != 0)
        return err_set(e, "%s: filter '%s' is not a valid regular expression", binary, filter);
    for (i = 0; i < l->n && rc == 0; i++) {
        struct job j = {.suite = suite, .name = l->items[i].name, .binary = binary,
                        .li = &l->items[i], .set = *set};
        wanted(&j.set, &l->items[i], mask);
        if (selected(re, filter ? &fre : NULL, suite, j.name))
            rc = add_unique_job(p, &j);
    }
    if (filter)
        regfree(&fre);
    return rc;
}

/* A job per point of every scenario of s. */
static int plan_scenarios(struct plan *p, const struct suite *s, const struct plan_run_opts *o)
{
    size_t i, k;

    for (i = 0; i < s->nscenarios; i++)
        for (k = 0; k < scenario_npoints(&s->scenarios[i]); k++) {
            struct job j = {.suite = s->name};
            scenario_point_get(s, i, k, &j.mp);
            if (!(j.name = keep_string(&p->strings, &p->nstrings, scenario_point_name(&j.mp))))
                return -1;
            j.set = entry_settings(&s->ov, NULL, o->ov, 1);
            j.set.samples = (o->ov->mask & OV_SAMPLES) ? o->ov->s.samples
                                                       : s->scenarios[i].repetitions;
            if (runner_matches(o->re, s->name, j.name) && add_unique_job(p, &j) < 0)
                return -1;
        }
    return 0;
}

/* The micro benchmarks, commands and scenarios of suite file path. */
static int plan_suite(struct plan *p, const char *path, const struct plan_run_opts *o,
                      struct err *e)
{
    struct suite *s = &p->suites[p->nsuites++];
    size_t k;

    if (suite_load(path, s, e) < 0)
        return -1;
    for (k = 0; k < s->nmicro; k++) {
        struct settings set = entry_settings(&s->ov, &s->micro[k].ov, o->ov, 0);
        if (!is_suite_binary(s->micro[k].binary))
            return err_set(e, child_is_python(s->micro[k].binary)
                                  ? "%s: micro[%zu].binary: %s is not a readable Python file"
                                  : "%s: micro[%zu].binary: %s is not an executable file (built? "
                                    "run make)", path, k, s->micro[k].binary);
        if (plan_binary(p, s->micro[k].binary, NULL, s->micro[k].filter, o->re, &set,
                        given(&s->ov, &s->micro[k].ov, o->ov), e) < 0)
            return -1;
    }
    for (k = 0; k < s->ncmds; k++) {
        struct job j = {.suite = s->name, .name = s->cmds[k].spec.name, .cs = &s->cmds[k].spec};
        j.set = entry_settings(&s->ov, &s->cmds[k].ov, o->ov, 1);
        if (runner_matches(o->re, s->name, j.name) && add_unique_job(p, &j) < 0)
            return -1;
    }
    return plan_scenarios(p, s, o);
}

static void warn_shell_char(const struct plan_run_opts *o, const char *line, char sc)
{
    size_t len = strlen(line) + 256;
    char *msg = malloc(len);

    if (msg) {
        snprintf(msg, len, "--cmd '%s' has '%c', which only a shell understands: it runs "
                 "through /bin/sh -c, whose start its time includes (--shell runs every "
                 "command so, and says nothing)", line, sc);
        o->on_warn(o->arg, msg);
        free(msg);
    }
}

/* Whether line holds "{name}". */
static int uses_param(const char *line, const char *name)
{
    const char *at = line;
    size_t n = strlen(name);

    while ((at = strchr(at, '{'))) {
        if (!strncmp(at + 1, name, n) && at[1 + n] == '}')
            return 1;
        at++;
    }
    return 0;
}

/* How many commands --cmd i makes: the product of the sizes of the
 * parameters it uses (1 with none). */
static size_t cmd_instances(const struct plan_run_opts *o, size_t i)
{
    size_t k, n = 1;

    for (k = 0; k < o->nparams; k++)
        if (uses_param(o->cmds[i], o->params[k].name))
            n *= o->params[k].n;
    return n;
}

/* One command into p (line as it runs, name its benchmark's, pn/pv its
 * parameters, taken over), checked as argv unless run through the shell. */
static int plan_one_cmd(struct plan *p, const struct plan_run_opts *o, char *line, char *name,
                        char **pn, char **pv, size_t np, struct err *e)
{
    struct cmd_spec *cs = &p->cmds[p->ncmds++];
    struct job j = {.suite = "command", .cs = cs};
    struct err we = {0};
    char **argv, sc;

    cs->line = line;
    cs->name = name;
    cs->pnames = pn;
    cs->pvalues = pv;
    cs->nparams = np;
    cs->shell = o->shell;
    cs->prepare = o->prepare ? strdup(o->prepare) : NULL;
    cs->cleanup = o->cleanup ? strdup(o->cleanup) : NULL;
    cs->ignore_failure = o->ignore_failure;
    cs->show_output = o->show_output;
    if (!line || !name || (np && (!pn || !pv)))
        return -1;
    if (!cs->shell && (sc = words_shell_char(cs->line))) {
        /* a pipe, a redirection, a variable...: only a shell runs it as
         * written (hyperfine runs every command so) */
        cs->shell = 1;
        if (o->on_warn)
            warn_shell_char(o, cs->line, sc);
    } else if (!cs->shell) {
        if (words_split(cs->line, &argv, &we) < 0)
            return err_set(e, "run: --cmd '%s': %s", cs->line, we.msg);
        words_free(argv);
    }
    j.name = cs->name;
    j.set = entry_settings(NULL, NULL, o->ov, 1);
    if (runner_matches(o->re, "command", cs->name) && add_unique_job(p, &j) < 0)
        return -1;
    return 0;
}

/* The name of instance of --cmd i with parameters pn = pv: -n's name with
 * "/name=value" for each, or the command as it runs. */
static char *instance_name(const struct plan_run_opts *o, size_t i, const char *line,
                           char **pn, char **pv, size_t np)
{
    size_t k, len;
    char *s;

    if (i >= o->nnames)
        return strdup(line);
    len = strlen(o->names[i]) + 1;
    for (k = 0; k < np; k++)
        len += strlen(pn[k]) + strlen(pv[k]) + 2;
    if (!(s = malloc(len)))
        return NULL;
    strcpy(s, o->names[i]);
    for (k = 0; k < np; k++)
        strcat(strcat(strcat(strcat(s, "/"), pn[k]), "="), pv[k]);
    return s;
}

/* The --cmd commands, each once per combination of the parameters it
 * uses (hyperfine's -L and -P), as plan_one_cmd takes them. */
static int plan_cmds(struct plan *p, const struct plan_run_opts *o, struct err *e)
{
    size_t i, k, c, n;

    for (i = 0; i < o->ncmds; i++) {
        n = cmd_instances(o, i);
        for (c = 0; c < n; c++) {
            const char *names[PLAN_MAX_PARAMS + 1], *values[PLAN_MAX_PARAMS + 1];
            char **pn = NULL, **pv = NULL, *line;
            size_t np = 0, rest = c;
            for (k = 0; k < o->nparams; k++) {
                if (!uses_param(o->cmds[i], o->params[k].name))
                    continue;
                names[np] = o->params[k].name;
                values[np++] = o->params[k].values[rest % o->params[k].n];
                rest /= o->params[k].n;
            }
            names[np] = values[np] = NULL;
            if (np && (!(pn = calloc(np + 1, sizeof *pn)) || !(pv = calloc(np + 1, sizeof *pv))))
                return -1;
            for (k = 0; k < np; k++)
                if (!(pn[k] = strdup(names[k])) || !(pv[k] = strdup(values[k])))
                    return -1;
            line = np ? placeholder_expand(o->cmds[i], names, values) : strdup(o->cmds[i]);
            if (plan_one_cmd(p, o, line, line ? instance_name(o, i, line, pn, pv, np) : NULL, pn,
                             pv, np, e) < 0)
                return -1;
        }
    }
    return 0;
}

/* The result's suite name: the suite file's, the binary's, "command" or
 * "mixed". */
static char *run_name(const struct plan *p, const struct plan_run_opts *o)
{
    if (o->ninputs == 1 && p->nsuites == 1)
        return strdup(p->suites[0].name);
    if (o->ninputs == 1 && o->ncmds == 0)
        return strdup(runner_suite_name(o->inputs[0]));
    return strdup(o->ninputs == 0 ? "command" : "mixed");
}

int plan_run(struct plan *p, const struct plan_run_opts *o, struct err *e)
{
    size_t i, ncmd;

    memset(p, 0, sizeof *p);
    p->suites = calloc(o->ninputs + 1, sizeof *p->suites);
    for (i = 0, ncmd = 0; i < o->ncmds; i++)
        ncmd += cmd_instances(o, i);
    p->cmds = calloc(ncmd + 1, sizeof *p->cmds);
    if (!p->suites || !p->cmds)
        return -1;
    for (i = 0; i < o->ninputs; i++) {
        const char *in = o->inputs[i];
        if (is_json(in)) {
            if (plan_suite(p, in, o, e) < 0)
                return -1;
        } else if (is_suite_binary(in)) {
            struct settings set = entry_settings(NULL, NULL, o->ov, 0);
            const char *bin = keep_string(&p->strings, &p->nstrings, strdup(in));
            if (!bin || plan_binary(p, bin, bin, NULL, o->re, &set, given(NULL, NULL, o->ov),
                                    e) < 0)
                return -1;
        } else
            return err_set(e, "run: %s: not a suite file (*.json), an executable suite "
                           "binary nor a readable Python file (*.py)", in);
    }
    if (plan_cmds(p, o, e) < 0 || !(p->name = run_name(p, o)))
        return -1;
    p->rounds = 1;
    for (i = 0; i < p->njobs; i++) {
        unsigned k = p->jobs[i].cs ? cmdbench_rounds(&p->jobs[i].set) : p->jobs[i].set.processes;
        if (!p->jobs[i].mp.sc && k > p->rounds)
            p->rounds = k;
    }
    return 0;
}

/* ---- pacer ab ------------------------------------------------------------------- */

/* A pair of binaries: their common benchmarks become jobs; the others are
 * noted as on one side only. */
static int plan_binaries(struct plan *p, const char *base, const char *nw, const char *filter,
                         const struct plan_ab_opts *o, struct err *e)
{
    const char *suite = runner_suite_name(nw), *bb, *nb;
    const struct listing *lb, *ln;
    regex_t fre;
    size_t i;
    int rc = 0;

    if (p->nlistings == 2 * AB_MAX_BINARIES)
        return err_set(e, "ab: more than %d suite binaries", AB_MAX_BINARIES);
    if (!(lb = list_binary(p, base, NULL, e)) || !(ln = list_binary(p, nw, NULL, e)))
        return -1;
    lb = ln - 1;   /* the second listing may have moved the first */
    note_build(p, ln);
    if (!(bb = keep_string(&p->strings, &p->nstrings, strdup(base))) ||
        !(nb = keep_string(&p->strings, &p->nstrings, strdup(nw))))
        return -1;
    if (filter && rx_compile(&fre, filter) != 0)
        return err_set(e, "ab: filter '%s' is not a valid regular expression", filter);
    for (i = 0; i < ln->n && rc == 0; i++) {
        struct job j = {.suite = suite, .name = ln->items[i].name, .binary = nb,
                        .base_binary = bb, .li = &ln->items[i], .set = o->set};
        if (!selected(o->re, filter ? &fre : NULL, suite, j.name))
            continue;
        if (listing_find(lb, j.name))
            rc = add_job(p, &j);
        else if (!keep_full_name(&p->only_new, &p->nonly_new, suite, j.name))
            rc = -1;
    }
    for (i = 0; i < lb->n && rc == 0; i++) {
        const char *name = lb->items[i].name;
        if (selected(o->re, filter ? &fre : NULL, suite, name) && !listing_find(ln, name) &&
            !keep_full_name(&p->only_base, &p->nonly_base, suite, name))
            rc = -1;
    }
    if (filter)
        regfree(&fre);
    return rc;
}

/* Two commands, base then new: one pair named "command/ab". */
static int plan_ab_cmds(struct plan *p, const struct plan_ab_opts *o)
{
    struct job j = {.suite = "command", .name = o->name ? o->name : o->cmds[1], .set = o->set};
    size_t i;

    if (!(p->cmds = calloc(2, sizeof *p->cmds)))
        return -1;
    p->ncmds = 2;
    for (i = 0; i < 2; i++) {
        p->cmds[i].line = strdup(o->cmds[i]);
        p->cmds[i].name = strdup(o->cmds[i]);
        p->cmds[i].shell = o->shell;
        p->cmds[i].prepare = o->prepare ? strdup(o->prepare) : NULL;
        p->cmds[i].cleanup = o->cleanup ? strdup(o->cleanup) : NULL;
    }
    j.base_cs = &p->cmds[0];
    j.cs = &p->cmds[1];
    if (add_job(p, &j) < 0)
        return -1;
    p->base_label = strdup(o->cmds[0]);
    p->new_label = strdup(o->cmds[1]);
    p->name = strdup("command");
    return 0;
}

int plan_ab_load(struct plan *p, const struct plan_ab_opts *o, struct err *e)
{
    const char *dirs[2] = {o->base_build, o->new_build};
    size_t i;

    memset(p, 0, sizeof *p);
    if (o->ncmds) {
        if (o->ncmds != 2 || o->ninputs)
            return err_set(e, "ab: give exactly two --cmd (base, then new) and no other input");
        return 0;
    }
    if (o->ninputs == 1 && is_json(o->inputs[0])) {
        if (!o->base_build || !o->new_build)
            return err_set(e, "ab: a suite file needs --base-build DIR and --new-build DIR");
        if (!(p->suites = calloc(2, sizeof *p->suites)))
            return -1;
        for (i = 0; i < 2; i++) {
            setenv("PACER_BUILD", dirs[i], 1);
            p->nsuites = i + 1;
            if (suite_load(o->inputs[0], &p->suites[i], e) < 0)
                return -1;
        }
        return 0;
    }
    if (o->ninputs != 2)
        return err_set(e, "ab: expected BASE_BINARY NEW_BINARY, a suite file with --base-build "
                       "and --new-build, or two --cmd (see --help)");
    return 0;
}

int plan_ab(struct plan *p, const struct plan_ab_opts *o, struct err *e)
{
    const struct suite *sb = &p->suites[0], *sn = &p->suites[1];
    size_t k;

    if (o->ncmds)
        return plan_ab_cmds(p, o);
    if (!p->nsuites) {
        if (plan_binaries(p, o->inputs[0], o->inputs[1], NULL, o, e) < 0)
            return -1;
        p->base_label = strdup(o->inputs[0]);
        p->new_label = strdup(o->inputs[1]);
        p->name = strdup(runner_suite_name(o->inputs[1]));
        return 0;
    }
    for (k = 0; k < sn->nmicro; k++)
        if (plan_binaries(p, sb->micro[k].binary, sn->micro[k].binary, sn->micro[k].filter, o,
                          e) < 0)
            return -1;
    for (k = 0; k < sn->ncmds; k++) {
        struct job j = {.suite = sn->name, .name = sn->cmds[k].spec.name,
                        .base_cs = &sb->cmds[k].spec, .cs = &sn->cmds[k].spec, .set = o->set};
        if (runner_matches(o->re, j.suite, j.name) && add_job(p, &j) < 0)
            return -1;
    }
    p->base_label = strdup(o->base_build);
    p->new_label = strdup(o->new_build);
    p->name = strdup(sn->name);
    return 0;
}

/* ---- both ------------------------------------------------------------------------- */

void plan_free(struct plan *p)
{
    size_t i;

    for (i = 0; i < p->nlistings; i++)
        listing_free(&p->listings[i]);
    for (i = 0; i < p->nsuites; i++)
        suite_free(&p->suites[i]);
    for (i = 0; i < p->ncmds; i++)
        cmd_spec_free(&p->cmds[i]);
    for (i = 0; i < p->nstrings; i++)
        free(p->strings[i]);
    for (i = 0; i < p->nonly_new; i++)
        free(p->only_new[i]);
    for (i = 0; i < p->nonly_base; i++)
        free(p->only_base[i]);
    free(p->only_new);
    free(p->only_base);
    free(p->strings);
    free(p->listings);
    free(p->listed_from);
    free(p->suites);
    free(p->cmds);
    free(p->jobs);
    free(p->name);
    free(p->base_label);
    free(p->new_label);
    memset(p, 0, sizeof *p);
}

int plan_result_start(const struct plan *p, struct result *r, int argc, char **argv)
{
    int i;

    if (env_collect(&r->ctx) < 0)
        return -1;
    /* The measured code's build, from the first suite binary. */
    if (p->compiler) {
        free(r->ctx.compiler);
        free(r->ctx.cflags);
        r->ctx.compiler = strdup(p->compiler);
        r->ctx.cflags = strdup(p->cflags);
        env_fingerprint(&r->ctx);
    }
    r->suite = strdup(p->name);
    r->set = p->jobs[0].set;
    r->complete = 1;
    r->argv = calloc((size_t)argc + 2, sizeof *r->argv);
    if (r->argv) {
        r->argv[0] = strdup("pacer");
        for (i = 0; i < argc; i++)
            r->argv[i + 1] = strdup(argv[i]);
    }
    return 0;
}

int plan_result_save(const struct result *r, const char *out, const char *dir,
                     const char *suffix, char **path, struct err *out_err,
                     struct err *dir_err)
{
    int rc = 0;

    *path = NULL;
    if (out && result_save(r, out, out_err) < 0)
        rc = -1;
    if (dir && result_save_new(r, dir, suffix, path, dir_err) < 0)
        return -1;
    return rc;
}
