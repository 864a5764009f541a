/*
 * test_readme.c: README.md's examples, run as a user would copy them.  The
 * test reads README.md, so it runs whatever the text says now: the C
 * benchmark built with the text's cc command; the Python benchmark file run
 * by pacer; the shell lines starting with
 * `pacer `, `build/pacer ` or `$ build/`, block by block, each block in a
 * directory of its own (build/ and suites/ linked in) where the files they
 * name were made by quick pacer runs; the suite, load suite and policy
 * files used by pacer; the error line made by a file with that defect; the
 * layout's names.  What is not run is in skips[] with its reason, what a
 * line has changed before it runs in substs[].  The scratch directory is a
 * git work tree: results name a commit, trend --git-order reads it.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buildinfo.h"
#include "helpers.h"

/* ---- README.md's code blocks ------------------------------------------------ */

/* A fenced code block of README.md. */
struct block {
    char info[16];     /* the fence's language: c, sh, json, yaml, or empty */
    int line;          /* README line of the opening fence */
    char *body;        /* the text between the fences (new) */
    char *lines[64];   /* its lines trimmed, continued ones joined, blank ones left out (new) */
    int at[64];        /* the README line each of them starts on */
    size_t n;
};

static char *readme;   /* all of README.md */
static struct block blocks[64];
static size_t nblocks;

/* Add the README line s (len bytes, the line at) to the lines of b: blanks
 * around it trimmed; one ending in a backslash is continued by the next,
 * after one space, in cur. */
static void block_add_line(struct block *b, char *cur, size_t size, const char *s, size_t len,
                           int at)
{
    size_t n = strlen(cur);
    int continued;

    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    if (!n)
        b->at[b->n] = at;
    continued = len > 0 && s[len - 1] == '\\';
    snprintf(cur + n, size - n, "%.*s", (int)(len - (size_t)continued), s);
    if (continued || !cur[0])
        return;
    cr_assert_lt(b->n, COUNT(b->lines), "README.md:%d: a long block", at);
    b->lines[b->n++] = xstrdup(cur);
    cur[0] = '\0';
}

/* Read README.md (the tests run from the project's root) into blocks. */
static void readme_read(void)
{
    struct block *b = NULL;
    char cur[4096] = "", *p;
    size_t len;
    int line = 1;

    readme = slurp("README.md", NULL);
    cr_assert_not_null(readme, "README.md: %s (run from the project's root)", strerror(errno));
    for (p = readme; *p; p += len + (p[len] == '\n'), line++) {
        len = strcspn(p, "\n");
        if (strncmp(p, "```", 3) == 0 && !b) {
            cr_assert_lt(nblocks, COUNT(blocks));
            b = &blocks[nblocks++];
            snprintf(b->info, sizeof b->info, "%.*s", (int)len - 3, p + 3);
            b->line = line;
            b->body = p + len + 1;
        } else if (strncmp(p, "```", 3) == 0) {
            b->body = strndup(b->body, (size_t)(p - b->body));
            cr_assert_not_null(b->body);
            b = NULL;
        } else if (b) {
            block_add_line(b, cur, sizeof cur, p, len, line);
        }
    }
    cr_assert_null(b, "README.md: a code block is not closed");
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

/* ---- what each block is ----------------------------------------------------- */

enum kind { K_UNKNOWN, K_C, K_SUITE, K_LOAD_SUITE, K_POLICY, K_FLOW, K_ERROR, K_LAYOUT,
            K_LINES, K_PYTHON };

/* line is the error line "FILE: benchmarks[B].samples[S]: expected a
 * number >= 0, got V" (its parts into file, *bi, *si and *v). */
static int error_line(const char *line, char file[256], unsigned *bi, unsigned *si, double *v)
{
    int end = 0;

    return sscanf(line, "%255[^:]: benchmarks[%u].samples[%u]: expected a number >= 0, got "
                  "%lf%n", file, bi, si, v, &end) == 4 && !line[end];
}

/* What b is, from its language and its content. */
static enum kind block_kind(const struct block *b)
{
    enum kind k = K_UNKNOWN;
    char file[256];
    unsigned bi, si;
    double v;
    json_t *j;

    if (strcmp(b->info, "c") == 0)
        return K_C;
    if (strcmp(b->info, "python") == 0)
        return K_PYTHON;
    if (strcmp(b->info, "json") == 0 && (j = json_loads(b->body, 0, NULL))) {
        if (json_object_get(j, "scenarios"))
            k = K_LOAD_SUITE;
        else if (json_object_get(j, "micro") || json_object_get(j, "commands"))
            k = K_SUITE;
        else if (json_object_get(j, "limits") || json_object_get(j, "thresholds"))
            k = K_POLICY;
        else if (json_object_get(j, "flows"))
            k = K_FLOW;
        json_decref(j);
        return k;
    }
    if (strcmp(b->info, "") != 0 && strcmp(b->info, "sh") != 0 && strcmp(b->info, "yaml") != 0)
        return K_UNKNOWN;
    if (b->n == 1 && error_line(b->lines[0], file, &bi, &si, &v))
        return K_ERROR;
    return b->n > 0 && strncmp(b->lines[0], "Makefile ", 9) == 0 ? K_LAYOUT : K_LINES;
}

/* The first block of kind k (borrowed); the test fails without one. */
static const struct block *block_of(enum kind k)
{
    const struct block *found = NULL;

    for (size_t i = 0; i < nblocks && !found; i++)
        if (block_kind(&blocks[i]) == k)
            found = &blocks[i];
    cr_assert_not_null(found, "README.md has no block of kind %d", (int)k);
    return found;
}

/* The command of a shell line a user would run (borrowed, inside line):
 * `pacer ...`, `build/pacer ...`, or `build/...` after a `$ ` prompt; NULL
 * for any other line. */
static const char *command_of(const char *line)
{
    if (strncmp(line, "pacer ", 6) == 0 || strncmp(line, "build/pacer ", 12) == 0)
        return line;
    return strncmp(line, "$ build/", 8) == 0 ? line + 2 : NULL;
}

/* The lines of the shell blocks that are not run here, and why.  (The YAML
 * block is GitHub Actions configuration: only its pacer line runs.) */
static const struct skip {
    const char *start;
    const char *why;
} skips[] = {
    {"make bench", "runs the whole default suite for minutes and stores into the project's "
                   "results/ (its steps run here one by one: pacer run, compare, trend, plot)"},
    {"make test", "runs these very tests"},
    {"set -e", "the CI recipe's shell setting"},
    {"git worktree add", "needs the project's repository and a base commit: a copy of the "
                         "build under test stands for the base build"},
    {"make all", "the build these tests run from"},
    {"git fetch origin pacer-baseline", "the stored-baseline recipe's git steps "
                                        "(tests/ci_recipes.sh runs them on a scratch repository)"},
    {"{ git worktree add --detach", "the same recipe"},
    {"git -C ../baseline", "the same recipe"},
    {"cp new.json ../baseline", "the same recipe"},
    {"make install", "installs outside the scratch directory (tests/test_install.c runs it into "
                     "a scratch PREFIX and builds a benchmark with its pkg-config file)"},
    {"PASS: ", "an example of compare's outcome line (tests/test_report.c checks its forms)"},
    {"FAIL: ", "an example of compare's outcome line (tests/test_report.c checks its forms)"},
    {"UNTRUSTED: ", "an example of compare's outcome line (tests/test_report.c checks its "
                    "forms)"},
    {"explain (profiles of both sides", "an example of --explain's output (tests/test_counted.c "
                                        "makes it from a purpose-built pair of builds)"},
    {"counted_extra/work regressed +2.2%", "the same example"},
    {"aio improved -74.3%", "an example of --explain on two load runs (tests/test_profiles.c "
                            "makes it from the asyncio target)"},
    {"function                                  self base", "the same example"},
    {"lcg                                          5006.0", "the same example"},
    {"extra_step                                      0.0", "the same example"},
    {"benchmark                                    median", "the output of the line before it "
                                                            "(which runs)"},
    {"asyncio_bench.py/", "the same output"},
    {"pytest --benchmark-json", "needs a pytest test suite (tests/test_import_pytestbench.c "
                                "runs pytest-benchmark live and imports its files)"},
    {"profile diff (self and inclusive costs", "an example of pacer show --profile --diff on the "
                                               "asyncio tuning suite (tests/test_loadprof.c "
                                               "makes one from the asyncio target)"},
    {"asyncio-tuning/outbound-blocking/rate=0 -> ", "the same example"},
    {"fetch_blocking (aio_backend.py:", "the same example"},
    {"on_blocking (aio_backend.py:", "the same example"},
    {"readinto (socket.py:", "the same example"},
    {"_read_status (client.py:", "the same example"},
    {"begin (client.py:", "the same example"},
    {"getresponse (client.py:", "the same example"},
    {"on_outbound (aio_backend.py:", "the same example"},
    {"__aenter__ (client.py:", "the same example"},
    {"differential flame graph: tuning.json.profiles/", "the same example"},
    {"$ pacer merge run.json seg1.json", "needs the segments of a split load run "
                                       "(tests/test_cmd_merge.c merges two real loads)"},
    {"merged 2 segments of run r42", "its output"},
    {"$ cat shared.json", "a split suite's example, aimed at a server on another host "
                          "(tests/test_runseg.c runs two segments of such a suite and merges "
                          "them)"},
    {"{\"name\": \"shared\", \"scenarios\": [", "the same example"},
    {"{\"name\": \"closed\", \"url\": \"http://10.0.0.5:8080/\"", "the same example"},
    {"\"warmup\": \"5s\", \"repetitions\": 3},", "the same example"},
    {"{\"name\": \"open\", \"url\": \"http://10.0.0.5:8080/\"", "the same example"},
    {"\"duration\": \"30s\", \"warmup\": \"5s\"}]}", "the same example"},
    {"$ T=$(date -u -d '+20 seconds'", "the same example"},
    {"$ pacer run shared.json --segment", "the same example"},
    {"$ pacer merge run.json s1.json s2.json", "the same example"},
    {"http://127.0.0.1:43341/: 27133 requests", "its output"},
    {"limit       latency.p99 < 5ms", "its output"},
    {"$ suites/distributed/slurm-local.sh start", "the Slurm recipe: starts munged, slurmctld "
                                                  "and slurmd (tests/test_slurm.c runs the "
                                                  "recipe and the batch job on them)"},
    {"SLURM_CONF=/tmp/", "its output"},
    {"$ export SLURM_CONF=", "the same recipe"},
    {"$ T=$(date -u -d '+3 seconds'", "the same recipe"},
    {"$ srun -n 2 --ntasks-per-node 2 pacer load", "the same recipe"},
    {"segment 2/2 of run 1: 4 of 8", "its output"},
    {"segment 1/2 of run 1: 4 of 8", "its output"},
    {"http://127.0.0.1:18777/index.html: ", "its output"},
    {"requests    1500 in 3.00 s", "its output"},
    {"...", "its output, cut"},
    {"$ pacer merge run.json seg-*.json", "the same recipe"},
    {"merged 2 segments of run 1,", "its output"},
    {"$ sbatch ", "the batch job: needs a Slurm cluster (tests/test_slurm.c submits it to the "
                  "one-host one)"},
    {"$ /usr/bin/python3 suites/self/slurm_merge.py", "starts the Slurm cluster and loads nginx "
                                                      "for half a minute"},
    {"nginx 1 worker at http://127.0.0.1:37401/", "its output"},
    {"merged requests the segments' sum in", "its output"},
    {"exit codes (srun, merge):", "its output"},
};

/* ---- commands in the scratch directory -------------------------------------- */

static char root[PATH_MAX];    /* the project's root */
static char build[PATH_MAX];   /* the build under test, absolute */
static struct srv http_srv;    /* testsrv --mode ok, started on first use */
static struct srv echo_srv;    /* testsrv --mode echo (answers each line), on first use */

/* Run the shell command cmd in dir (relative: to the scratch directory);
 * its exit code (or 128 + signal) and output (free it with out_free). */
static struct out shell_in(const char *dir, const char *cmd)
{
    char *line;
    struct out o;
    int st;

    cr_assert_geq(asprintf(&line, "cd '%s' && cd '%s' && ( %s\n) >'%s' 2>'%s'", tmp_dir(), dir,
                           cmd, tmp_path("line.out"), tmp_path("line.err")), 0);
    st = system(line);
    o.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    o.stdout_s = slurp(tmp_path("line.out"), NULL);
    o.stderr_s = slurp(tmp_path("line.err"), NULL);
    cr_assert(o.stdout_s && o.stderr_s);
    free(line);
    return o;
}

/* Run the shell command of fmt in dir; the test fails unless it exits 0,
 * or 3 for a pacer load run the machine made invalid. */
static void shell_ok(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void shell_ok(const char *dir, const char *fmt, ...)
{
    char *cmd;
    struct out o;
    va_list ap;

    va_start(ap, fmt);
    cr_assert_geq(vasprintf(&cmd, fmt, ap), 0);
    va_end(ap);
    o = shell_in(dir, cmd);
    cr_assert(o.code == 0 || (o.code == 3 && strstr(cmd, "pacer load ") &&
                              strstr(o.stdout_s, "INVALID")),
              "in %s: %s: exit %d\n%s%s", dir, cmd, o.code, o.stdout_s, o.stderr_s);
    out_free(&o);
    free(cmd);
}

/* The directory name of the scratch directory with build/ and suites/
 * linked in, made when missing; name is returned. */
static const char *work_dir(const char *name)
{
    if (!exists(tmp_path(name)))
        shell_ok(".", "mkdir -p '%s' && ln -s '%s' '%s/build' && ln -s '%s/suites' '%s/suites'",
                 name, build, name, root, name);
    return name;
}

/* The suite's .init: the scratch directory as a git work tree with one
 * commit, the project's root and the build under test found, PACER_BUILD
 * made absolute (the examples run elsewhere) and first in PATH (pacer is
 * the built one), README.md read. */
static void init(void)
{
    char rel[PATH_MAX], *path;

    tmp_setup();
    cr_assert_not_null(getcwd(root, sizeof root));
    build_path(rel, sizeof rel, "");
    cr_assert_not_null(realpath(rel, build), "%s: %s", rel, strerror(errno));
    cr_assert_eq(setenv("PACER_BUILD", build, 1), 0);
    cr_assert_geq(asprintf(&path, "%s:%s", build, getenv("PATH")), 0);
    cr_assert_eq(setenv("PATH", path, 1), 0);
    free(path);
    shell_ok(".", "git init -q . && git -c user.name=pacer -c user.email=pacer@localhost "
             "commit -q --allow-empty -m readme");
    readme_read();
}

static void fini(void)
{
    srv_stop(&http_srv);
    srv_stop(&echo_srv);
    tmp_teardown();
}

TestSuite(readme, .init = init, .fini = fini, .timeout = 60);

/* s with every from replaced by to (new; s is freed). */
static char *replace(char *s, const char *from, const char *to)
{
    char *out = NULL, *p, *q;
    size_t len = 0, n = strlen(from);
    FILE *f = open_memstream(&out, &len);

    cr_assert_not_null(f);
    for (p = s; (q = strstr(p, from)); p = q + n)
        fprintf(f, "%.*s%s", (int)(q - p), p, to);
    fputs(p, f);
    fclose(f);
    free(s);
    return out;
}

/* s (freed) with its placeholders filled in (new): {root} the project's
 * root; {cc} the command README gives to build a benchmark elsewhere (the
 * `cc ...` in backquotes), {san} the build's sanitizer option (a library
 * built with one links only with it); {http}, {echo} and {pid} the ports
 * of the test servers and the pid of the first, started when named. */
static char *placeholders(char *s)
{
    static const char *const ok[] = {"--mode", "ok", NULL};
    static const char *const echo[] = {"--mode", "echo", NULL};
    const char *cc = strstr(readme, "`cc "), *san = strstr(PACER_BUILD_CFLAGS, "-fsanitize=");
    char num[256];

    s = replace(s, "{root}", root);
    cr_assert_not_null(cc, "README.md gives no `cc ...` command");
    snprintf(num, sizeof num, "%.*s", (int)strcspn(cc + 1, "`"), cc + 1);
    s = replace(s, "{cc}", num);
    snprintf(num, sizeof num, "%.*s", san ? (int)strcspn(san, " ") : 0, san ? san : "");
    s = replace(s, "{san}", num);
    if ((strstr(s, "{http}") || strstr(s, "{pid}")) && http_srv.pid <= 0)
        http_srv = srv_start(ok);
    if (strstr(s, "{echo}") && echo_srv.pid <= 0)
        echo_srv = srv_start(echo);
    snprintf(num, sizeof num, "%d", http_srv.port);
    s = replace(s, "{http}", num);
    snprintf(num, sizeof num, "%d", (int)http_srv.pid);
    s = replace(s, "{pid}", num);
    snprintf(num, sizeof num, "%d", echo_srv.port);
    return replace(s, "{echo}", num);
}

/* ---- the files the examples name, made for real ----------------------------- */

/* Quick measuring, where README's settings would take seconds. */
#define QUICK "--warmup 1ms --sample-time 1ms -q"

/* pacer ab, shortened: its defaults (60 pairs over 10 worker pairs of
 * every benchmark) take minutes.  Five pairs cannot give p < 0.05 (the
 * exact test's least is 2/2^5), so two copies of one build cannot come out
 * "regressed" by chance. */
#define AB_QUICK "--pairs 5 --processes 3 --no-confirm --warmup-runs 0 " QUICK \
                 " --filter 'fnv1a/size=64$|^command/'"

/* The micro benchmarks of base.json: hash/mem/ ones for the policy's
 * throughput limit, all far below the 2 ms of the median limit. */
#define SMALL "'mem/copy/size=64$|fnv1a/size=(64|256|1024)$'"

/* A tool of pacer ab --cmd's example, under dir/. */
#define TOOL(dir) "mkdir -p " dir " && printf '#!/bin/sh\\nexec cat \"$1\"\\n' > " dir "/tool " \
                  "&& chmod +x " dir "/tool"

/* The files the examples name, each made by a shell command (in the
 * directory fix/, then copied where it is read), after the file it needs. */
static const struct maker {
    const char *name, *needs, *cmd;
} makers[] = {
    {"base.json", NULL, "pacer run build/suites/micro/hash --filter " SMALL
                        " --samples 8 " QUICK " --out base.json"},
    /* copies of base.json, so that comparing them has one answer (two runs
     * of one build may differ by chance on a shared machine, and the exit
     * code would follow the machine, not the README) */
    {"new.json", "base.json", "cp base.json new.json"},
    {"a.json", "base.json", "cp base.json a.json"},
    {"b.json", "base.json", "cp base.json b.json"},
    {"results/", NULL, "mkdir results && for i in 1 2 3; do pacer run build/suites/micro/hash"
                       " --filter 'fnv1a/size=64$' --samples 5 " QUICK
                       " --out results/run$i.json || exit 1; done"},
    {"baseline/main.json", NULL, "mkdir baseline && pacer run suites/default.json --filter "
                                 "'fnv1a/size=64$' --samples 5 " QUICK " --out baseline/main.json"},
    /* the base build: the programs of the build under test, copied */
    {"build-base", NULL, "mkdir -p build-base/suites/micro && cp build/pacer build-base/ && "
                         "for f in build/suites/micro/*; do if [ -x \"$f\" ]; then "
                         "cp \"$f\" build-base/suites/micro/ || exit 1; fi; done"},
    {"AB.json", "build-base", "pacer ab build-base/suites/micro/hash build/suites/micro/hash "
                              AB_QUICK " --out AB.json"},
    /* load runs against testsrv: closed loop, open loop, and with --monitor */
    {"closed.json", NULL, "pacer load http://127.0.0.1:{http}/ -c 4 -d 300ms -q "
                          "--out closed.json"},
    {"open.json", NULL, "pacer load http://127.0.0.1:{http}/ -R 1000 -d 300ms -q "
                        "--out open.json"},
    {"run.json", NULL, "pacer load http://127.0.0.1:{http}/ -R 1000 -d 300ms "
                       "--monitor {pid} -q --out run.json"},
    /* a flow of one step for the load examples against testsrv (the README's
     * own flow file runs against the asyncio target: flow_file) */
    {"flows.json", NULL, "echo '{\"flows\": [{\"name\": \"f\", \"think\": \"1ms\", "
                         "\"steps\": [{\"name\": \"get\", \"path\": \"/\"}]}]}' > flows.json"},
    {"old/tool", NULL, TOOL("old")},
    {"new/tool", NULL, TOOL("new")},
    {"input", NULL, "echo 'some input' > input"},
    /* pytest-benchmark's files: the one pytest wrote, twice */
    {"before.json", NULL, "cp {root}/tests/data/import/good/pytestbench_json.json before.json"},
    {"after.json", NULL, "cp {root}/tests/data/import/good/pytestbench_json.json after.json"},
};

/* name in dir: made in fix/ first, then copied. */
static void ensure(const char *dir, const char *name)
{
    const struct maker *m = NULL;
    char path[256], *cmd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (exists(tmp_path(path)))
        return;
    if (strcmp(dir, "fix") != 0) {
        ensure(work_dir("fix"), name);
        shell_ok(dir, "mkdir -p \"$(dirname %s)\" && cp -R ../fix/%s %s", name, name, name);
        return;
    }
    for (size_t i = 0; i < COUNT(makers); i++)
        if (strcmp(makers[i].name, name) == 0)
            m = &makers[i];
    cr_assert_not_null(m, "no maker of %s", name);
    if (m->needs)
        ensure(dir, m->needs);
    cmd = placeholders(xstrdup(m->cmd));
    shell_ok(dir, "%s", cmd);
    cr_assert(exists(tmp_path(path)), "%s did not make %s", cmd, path);
    free(cmd);
}

/* name is one of cmd's words (between blanks, quotes or slashes), and not
 * one that cmd writes with --out. */
static int names(const char *cmd, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = strstr(cmd, name); p; p = strstr(p + 1, name))
        if ((p == cmd || strchr(" '\"/", p[-1])) && (!p[n] || strchr(" '\"/", p[n])) &&
            (p - cmd < 6 || strncmp(p - 6, "--out ", 6) != 0))
            return 1;
    return 0;
}

/* ---- a line made runnable here ---------------------------------------------- */

/* What a line or a JSON block has changed before it runs, in this order
 * (each `from` must still be in README.md); placeholders() then fills in
 * the test servers. */
static const struct subst {
    const char *from, *to;
} substs[] = {
    /* the synopses of pacer compare: an instance without options */
    {"[options] ", ""},
    {"BASE.json", "base.json"},
    {"NEW.json", "new.json"},
    /* the servers of the load examples: testsrv on loopback */
    {"127.0.0.1:8080", "127.0.0.1:{http}"},
    {"127.0.0.1:6379", "127.0.0.1:{echo}"},
    {"$(pidof myserver)", "{pid}"},
    /* durations shortened: 10 s (the default) is too slow; a later -d wins */
    {"pacer load ", "pacer load -d 300ms "},
    {"-d 10s", "-d 300ms"},
    {"--warmup 2s", "--warmup 100ms"},
    /* stages set the duration: no -d beside them, and short stages */
    {"pacer load -d 300ms http://127.0.0.1:{http}/ --stages 10s:50,30s:50,10s:0",
     "pacer load http://127.0.0.1:{http}/ --stages 100ms:20,200ms:20,100ms:0"},
    {"pacer load -d 300ms http://127.0.0.1:{http}/ --rate-stages 10s:100,30s:1000,5s:0",
     "pacer load http://127.0.0.1:{http}/ --rate-stages 100ms:100,200ms:1000,100ms:0"},
    /* capacity searches: short steps (12 of them at most, and 3 confirms) */
    {"-c 64 -d 5s --capacity 'latency.p99 < 20ms'",
     "-c 8 -d 300ms --capacity 'latency.p99 < 20ms' --capacity-step 100ms "
     "--capacity-range 2000:4000"},
    {"--capacity-step 1s", "--capacity-step 100ms"},
    /* pacer ab (see AB_QUICK) and the default suite, shortened */
    {"pacer ab ", "pacer ab " AB_QUICK " "},
    {"pacer run suites/default.json",
     "pacer run suites/default.json --samples 5 " QUICK " --filter 'fnv1a/size=64$'"},
    /* the Python suite, shortened */
    {"asyncio_bench.py --filter 'sleep0|queue'",
     "asyncio_bench.py --filter 'sleep0|queue' --samples 5 " QUICK},
    /* the CI recipes' base build: a copy of this build, in the directory */
    {"../base/build", "build-base"},
    {"/tmp/base/build", "build-base"},
    /* the load suite's scenarios, shortened: 5 x 2.5 s per benchmark */
    {"\"duration\": \"2s\"", "\"duration\": \"300ms\""},
    {"\"warmup\": \"500ms\"", "\"warmup\": \"100ms\""},
};

/* s (freed) with substs[] applied (new). */
static char *substituted(char *s)
{
    for (size_t i = 0; i < COUNT(substs); i++)
        s = replace(s, substs[i].from, substs[i].to);
    return s;
}

/* ---- what a line must do ---------------------------------------------------- */

#define OK0 (1u << 0)
#define OK1 (1u << 1)

/* What the lines containing key must do (the first entry that matches; a
 * line none matches must exit 0 and print something). */
static const struct expect {
    const char *key;
    unsigned codes;      /* the exit codes that pass, as bits */
    const char *start;   /* what the output starts with (a redirected one: the file) */
    const char *has;     /* what the output contains */
} expects[] = {
    {"build/suites/micro/hash --filter mem/copy", OK0, "benchmark ", "\nmem/copy/"},
    {"pacer compare [options] BASE.json NEW.json", OK0, "benchmark ", NULL},
    {"pacer compare [options] AB.json", OK0, "benchmark ", "paired (A/B pairs)"},
    {"pacer compare --limit", OK0, "limits:", NULL},
    {"pacer compare base.json new.json --plot", OK0, "benchmark ", NULL},
    /* two runs measured apart: 1 (regressed) is the machine's verdict */
    {"--format markdown > compare.md", OK0 | OK1, "### pacer compare", NULL},
    {"--format markdown > ab.md", OK0, "### pacer compare", NULL},
    {"pacer ab ", OK0, "benchmark ", NULL},
    {"pacer run suites/default.json", OK0, "benchmark ", NULL},
    {"pacer trend --git-order", OK0, "### pacer trend", NULL},
    {"pacer trend results/", OK0, NULL, " runs, "},
    {"pacer load ", OK0, NULL, "requests"},
};

/* The expectation of line. */
static struct expect expect_for(const char *line)
{
    static const struct expect any = {NULL, OK0, NULL, NULL};

    for (size_t i = 0; i < COUNT(expects); i++)
        if (strstr(line, expects[i].key))
            return expects[i];
    return any;
}

/* o's exit code is one e allows; a load run may also end invalid (3) or
 * with a failed limit (1), a capacity search with a lower bound (3: the
 * generator was the limit) or without a confirmed answer (1): it measures
 * a server on a shared machine. */
static int code_ok(const struct expect *e, const char *cmd, const struct out *o)
{
    const char *s = o->stdout_s;

    if (o->code < 32 && (e->codes & (1u << o->code)))
        return 1;
    return strstr(cmd, "pacer load ") &&
           ((o->code == 3 && (strstr(s, "INVALID") || strstr(s, "\ncapacity: at least "))) ||
            (o->code == 1 && (strstr(s, ": FAILED") || strstr(s, "\ncapacity: not confirmed") ||
                              strstr(s, "\ncapacity: none"))));
}

/* The picture pic in dir, with the script that draws it beside. */
static void check_picture(const char *dir, const char *pic, const char *where)
{
    char path[600], gp[600];
    const char *dot = strrchr(pic, '.');

    cr_assert_not_null(dot, "%s: %s: a picture without an extension", where, pic);
    snprintf(path, sizeof path, "%s/%s", tmp_path(dir), pic);
    snprintf(gp, sizeof gp, "%s/%.*s.gp", tmp_path(dir), (int)(dot - pic), pic);
    cr_assert(nonempty(path), "%s: no picture %s", where, pic);
    cr_assert(exists(gp), "%s: no %s beside the picture", where, gp);
}

/* The files cmd writes (--out, -o, --plot) are there, and
 * the picture pacer plot names on stdout. */
static void check_files(const char *dir, const char *cmd, const struct out *o, const char *where)
{
    char *words = xstrdup(cmd), *w[64], *save, path[600];
    size_t n = 0, i;
    int drawn = 0;

    for (char *t = strtok_r(words, " ", &save); t && n < COUNT(w); t = strtok_r(NULL, " ", &save))
        w[n++] = t;
    for (i = 0; i + 1 < n; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp_path(dir), w[i + 1]);
        if (strcmp(w[i], "--out") == 0) {
            json_t *j = load_json(path);

            cr_assert_gt(json_array_size(json_object_get(j, "benchmarks")), 0, "%s: %s", where,
                         path);
            json_decref(j);
        } else if (strcmp(w[i], "-o") == 0 && n > 1 && strcmp(w[1], "report") == 0) {
            /* pacer report -o DIR writes a site */
            snprintf(path, sizeof path, "%s/%s/index.html", tmp_path(dir), w[i + 1]);
            cr_assert(nonempty(path), "%s: no %s", where, path);
            drawn = 1;
        } else if (strcmp(w[i], "-o") == 0 || strcmp(w[i], "--plot") == 0) {
            /* --plot DIR draws DIR/trend.png */
            snprintf(path, sizeof path, "%s%s", w[i + 1], ends_with(w[i + 1], "/") ?
                     "trend.png" : "");
            check_picture(dir, path, where);
            drawn = 1;
        }
    }
    if (n > 1 && strcmp(w[1], "plot") == 0 && !drawn) {
        snprintf(path, sizeof path, "%.*s", (int)strcspn(o->stdout_s, "\n"), o->stdout_s);
        check_picture(dir, path, where);
    }
    free(words);
}

/* ---- the shell lines ---------------------------------------------------------- */

/* Run the command run in dir, with the files it names made first, and
 * check that it does what e says (where: what to call it in messages). */
static void run_checked(const char *dir, const char *run, const struct expect *e,
                        const char *where)
{
    const char *gt = strstr(run, " > ");
    char path[600], *text;
    struct out o;

    for (size_t k = 0; k < COUNT(makers); k++)
        if (names(run, makers[k].name))
            ensure(dir, makers[k].name);
    o = shell_in(dir, run);
    cr_assert(code_ok(e, run, &o), "%s\nran: %s\nexit %d\nstdout: %s\nstderr: %s", where, run,
              o.code, o.stdout_s, o.stderr_s);
    /* the output: stdout, or the file stdout went to */
    snprintf(path, sizeof path, "%s/%.*s", tmp_path(dir), gt ? (int)strcspn(gt + 3, " ") : 0,
             gt ? gt + 3 : "");
    text = gt ? slurp(path, NULL) : xstrdup(o.stdout_s);
    cr_assert(text && text[0], "%s: no output", where);
    cr_assert(!e->start || strncmp(text, e->start, strlen(e->start)) == 0, "%s\nexpected output "
              "starting %s, got: %s", where, e->start, text);
    cr_assert(!e->has || strstr(text, e->has), "%s\nexpected %s in: %s", where, e->has, text);
    check_files(dir, run, &o, where);
    free(text);
    out_free(&o);
}

/* Run line i of b in dir as substs[] make it (a synopsis: pacer SUB
 * --help, which must show it as its usage line), and check that it does
 * what expects[] says. */
static void run_line(const struct block *b, size_t i, const char *dir)
{
    const char *cmd = command_of(b->lines[i]);
    struct expect e = expect_for(b->lines[i]);
    char where[512], *run, *usage = NULL;

    /* valgrind cannot run the sanitizer builds (their shadow memory) */
    if (SANITIZED && (strstr(cmd, "--mode instructions") || strstr(cmd, "--profile") ||
                      strstr(cmd, "--explain")))
        return;
    snprintf(where, sizeof where, "README.md:%d: %s", b->at[i], b->lines[i]);
    if (strstr(cmd, "]...")) {
        cr_assert_geq(asprintf(&run, "pacer %.*s --help", (int)strcspn(cmd + 6, " "), cmd + 6),
                      0);
        cr_assert_geq(asprintf(&usage, "usage: %s\n", cmd), 0);
        e.has = usage;
    } else {
        run = placeholders(substituted(xstrdup(cmd)));
    }
    run_checked(dir, run, &e, where);
    free(usage);
    free(run);
}

/* The tests of the shell blocks share them out by the pacer command of
 * their first line: run and ab (or a suite binary) measure, load loads,
 * the others report. */
enum group { G_MEASURE, G_REPORT, G_LOAD, G_NONE };

static enum group group_of(const struct block *b)
{
    const char *cmd = NULL, *sub;

    for (size_t i = 0; i < b->n && !cmd; i++)
        cmd = command_of(b->lines[i]);
    if (block_kind(b) != K_LINES || !cmd)
        return G_NONE;
    sub = strncmp(cmd, "pacer ", 6) == 0 ? cmd + 6 : strncmp(cmd, "build/pacer ", 12) == 0 ?
          cmd + 12 : NULL;
    if (!sub || strncmp(sub, "run ", 4) == 0 || strncmp(sub, "ab ", 3) == 0)
        return G_MEASURE;
    return strncmp(sub, "load ", 5) == 0 ? G_LOAD : G_REPORT;
}

/* Run the shell lines of the blocks of group g, in order, each block in a
 * directory of its own. */
static void run_blocks(enum group g)
{
    size_t ran = 0;

    for (size_t k = 0; k < nblocks; k++) {
        const struct block *b = &blocks[k];
        char dir[32];

        if (group_of(b) != g)
            continue;
        snprintf(dir, sizeof dir, "b%d", b->line);
        for (size_t i = 0; i < b->n; i++)
            if (command_of(b->lines[i])) {
                run_line(b, i, work_dir(dir));
                ran++;
            }
    }
    cr_assert_gt(ran, 0, "README.md has no example of this group");
}

Test(readme, measure_blocks)
{
    run_blocks(G_MEASURE);
}

Test(readme, report_blocks)
{
    run_blocks(G_REPORT);
}

Test(readme, load_blocks)
{
    run_blocks(G_LOAD);
}

/* ---- the C and JSON blocks ------------------------------------------------------ */

/* Each of these blocks is saved as file in a directory of its own, with
 * substs[] applied, and used by cmd, which must do what e says. */
static const struct use {
    enum kind kind;
    const char *file, *cmd;
    struct expect e;
} uses[] = {
    /* built as README says, where harness/ and build/ are; run with few
     * samples, it prints a row for each benchmark --list names */
    {K_C, "x.c", "ln -s {root}/harness harness && {cc} {san} && ./a.out --samples 3 "
                 "--warmup 1ms --sample-time 1ms > table && ./a.out --list > list && "
                 "while read -r n; do grep -q \"^$n \" table || exit 1; done < list && cat table",
     {0, OK0, "benchmark ", 0}},
    /* a Python benchmark file, run by pacer with few samples: every
     * benchmark it defines has a row (its "json" group's three too) */
    {K_PYTHON, "bench.py", "pacer run bench.py --samples 3 " QUICK " > table && "
                           "grep -q '^bench.py/json/dumps/keys=256 ' table && cat table",
     {0, OK0, "benchmark ", "bench.py/sleep0/uvloop_loop"}},
    /* its command compresses the README.md of the directory pacer runs in */
    {K_SUITE, "suite.json", "cp {root}/README.md . && pacer run suite.json --samples 3 "
                            "--warmup-runs 0 " QUICK " --out r.json", {0, OK0, "benchmark ", 0}},
    /* beside the project's targets (../targets/aio.py), once per benchmark;
     * the latency threshold is measured on this machine: it may fail (1) */
    {K_LOAD_SUITE, "macro/readme.json", "ln -s {root}/suites/targets targets && pacer run "
                                        "macro/readme.json --samples 1 -q --out r.json",
     {0, OK0 | OK1, "benchmark ", "thresholds:"}},
    /* a flow file, run against the asyncio target (its API: login, items),
     * started on a free port: every check holds and nothing fails */
    {K_FLOW, "flows.json", "ln -s {root}/suites/targets targets && "
                           "{ /usr/bin/python3 targets/aio.py --port 0 --api-token pacer-bench "
                           ">srv.out 2>&1 & echo $! >srv.pid; } && "
                           "for i in $(seq 100); do grep -q listening srv.out && break; "
                           "sleep 0.1; done && "
                           "port=$(sed -n 's/^listening on \\([0-9]*\\).*/\\1/p' srv.out) && "
                           "pacer load http://127.0.0.1:$port --flow flows.json -c 8 -t 1 -d 1s "
                           "--limit 'checks.failed < 0.1%' --limit 'errors.rate < 0.1%' "
                           ">out; rc=$?; kill $(cat srv.pid); cat out; exit $rc",
     {0, OK0, "http://127.0.0.1:", "flow writer"}},
    /* its limits are measured here: throughput > 10GiB/s may fail (1) */
    {K_POLICY, "policy.json", "pacer compare --thresholds policy.json base.json new.json",
     {0, OK0 | OK1, "benchmark ", "limits:"}},
};

/* The block of kind k, used as uses[] says. */
static void use_block(enum kind k)
{
    const struct block *b = block_of(k);
    const struct use *u = uses;
    char dir[32], path[300], where[64], *body, *run;

    while (u < uses + COUNT(uses) && u->kind != k)
        u++;
    cr_assert_lt(u, uses + COUNT(uses));
    snprintf(dir, sizeof dir, "b%d", b->line);
    snprintf(path, sizeof path, "%s/%s", work_dir(dir), u->file);
    snprintf(where, sizeof where, "README.md:%d", b->line);
    shell_ok(dir, "mkdir -p \"$(dirname %s)\"", u->file);
    body = substituted(xstrdup(b->body));
    write_file(tmp_path(path), body);
    run = placeholders(xstrdup(u->cmd));
    run_checked(dir, run, &u->e, where);
    free(run);
    free(body);
}

/* The C benchmark builds and runs. */
Test(readme, c_benchmark)
{
    use_block(K_C);
}

/* The Python benchmark file runs under pacer. */
Test(readme, python_file)
{
    use_block(K_PYTHON);
}

/* The suite file runs, with few samples. */
Test(readme, suite_file)
{
    use_block(K_SUITE);
}

/* The load suite runs its target and its scenarios, shortened. */
Test(readme, load_suite)
{
    if (system("/usr/bin/python3 -c 'import aiohttp' 2>/dev/null") != 0)
        cr_skip_test("/usr/bin/python3 has no aiohttp (python3-aiohttp) for the asyncio target");
    use_block(K_LOAD_SUITE);
}

/* The flow file runs against the asyncio target. */
Test(readme, flow_file)
{
    if (system("/usr/bin/python3 -c 'import aiohttp' 2>/dev/null") != 0)
        cr_skip_test("/usr/bin/python3 has no aiohttp (python3-aiohttp) for the asyncio target");
    use_block(K_FLOW);
}

/* The policy file works with pacer compare --thresholds. */
Test(readme, policy_file)
{
    use_block(K_POLICY);
}

/* ---- the error line, the layout, and nothing left out ------------------------------ */

/* A result file with exactly the error line's defect (a real run's file
 * with that sample set to that value) gives exactly that line after
 * "pacer: ", and exit 2, in pacer show and pacer compare. */
Test(readme, error_line)
{
    const struct block *b = block_of(K_ERROR);
    const char *dir = work_dir("err");
    char file[256], path[600], *want;
    unsigned bi, si;
    double v;
    json_t *j, *x;
    struct out o;

    cr_assert(error_line(b->lines[0], file, &bi, &si, &v));
    shell_ok(dir, "pacer run build/suites/micro/hash --samples %u " QUICK
             " --out good.json && mkdir -p \"$(dirname %s)\"", si + 1, file);
    j = load_json(tmp_path("err/good.json"));
    x = json_object_get(json_array_get(json_object_get(j, "benchmarks"), bi), "samples");
    cr_assert_gt(json_array_size(x), si, "no benchmarks[%u].samples[%u] in a run", bi, si);
    json_array_set_new(x, si, json_real(v));
    snprintf(path, sizeof path, "%s/%s", tmp_path(dir), file);
    cr_assert_eq(json_dump_file(j, path, JSON_SORT_KEYS | JSON_INDENT(1)), 0);
    cr_assert_geq(asprintf(&want, "pacer: %s\n", b->lines[0]), 0);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "pacer %s %s%s", i ? "compare" : "show", file,
                 i ? " good.json" : "");
        o = shell_in(dir, path);
        cr_assert_eq(o.code, 2, "%s: exit %d", path, o.code);
        cr_assert_str_eq(o.stderr_s, want, "%s", path);
        out_free(&o);
    }
    free(want);
    json_decref(j);
}

/* Every block is one this test runs or checks: the names the layout starts
 * its lines with exist, each shell line runs or is skipped with a reason;
 * and every entry of the tables above is still about a line of README.md. */
Test(readme, every_block_is_checked)
{
    size_t k, i;
    char *text;

    for (k = 0; k < nblocks; k++) {
        const struct block *b = &blocks[k];
        enum kind kind = block_kind(b);

        cr_assert_neq(kind, K_UNKNOWN, "README.md:%d: a ```%s block this test does not know: "
                      "run it here, or skip it with its reason", b->line, b->info);
        for (const char *p = b->body; kind == K_LAYOUT && *p; p += strcspn(p, "\n") + 1) {
            char *path;

            cr_assert_geq(asprintf(&path, "%s/%.*s", root, (int)strcspn(p, " \n"), p), 0);
            cr_assert(*p == ' ' || exists(path), "README.md:%d: the layout names %s", b->line,
                      path);
            free(path);
        }
        for (i = 0; kind == K_LINES && strcmp(b->info, "yaml") != 0 && i < b->n; i++) {
            size_t j = 0;

            while (j < COUNT(skips) && strncmp(b->lines[i], skips[j].start, strlen(skips[j].start)))
                j++;
            cr_assert(command_of(b->lines[i]) || j < COUNT(skips), "README.md:%d: `%s` is "
                      "neither run nor skipped (skips[])", b->at[i], b->lines[i]);
        }
    }
    for (i = 0; i < COUNT(skips); i++)
        cr_assert_not_null(strstr(readme, skips[i].start), "skips[]: %s", skips[i].start);
    for (i = 0; i < COUNT(expects); i++)
        cr_assert_not_null(strstr(readme, expects[i].key), "expects[]: %s", expects[i].key);
    /* each subst finds its text as the ones before it left the README */
    text = xstrdup(readme);
    for (i = 0; i < COUNT(substs); i++) {
        cr_assert_not_null(strstr(text, substs[i].from), "substs[]: %s", substs[i].from);
        text = replace(text, substs[i].from, substs[i].to);
    }
    free(text);
    for (i = 0; i < COUNT(makers); i++)
        cr_assert_not_null(strstr(readme, makers[i].name), "makers[]: %s", makers[i].name);
}
