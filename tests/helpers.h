/*
 * helpers.h: what the tests share, in the one header a test file includes.
 * Header only (the Makefile links each test file alone with the tool's
 * objects), so every helper is static inline.  Here: numbers compared,
 * strings and files, a scratch directory per test, shell commands, the
 * pacer binary and the test server run, histograms, hand-made monitor rows
 * and random cut points.  Two parts are included at the end:
 * result_files.h (results built and saved, other tools' files imported,
 * the golden corpora of tests/data, trends of result files) and
 * plot_files.h (what the plot tests draw and read back).
 */
#ifndef PACER_TESTS_HELPERS_H
#define PACER_TESTS_HELPERS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/rng.h"
#include "harness/load/hist.h"
#include "harness/load/monitor.h"
#include "harness/load/url.h"

/* ---- numbers and strings ------------------------------------------------- */

/* The number of elements of an array. */
#define COUNT(a) (sizeof (a) / sizeof *(a))

/* The seed of the seeded random tests. */
#define SEED 20240611u

/* 60 s in ns: the highest latency the histograms under test hold. */
#define H60 60000000000ull

/* got equals want within a relative rel; NaN equals only NaN and an
 * infinity only itself. */
static inline int rel_eq(double got, double want, double rel)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    return fabs(got - want) <= rel * fabs(want);
}

/* Assert rel_eq(got, want, rel), naming what is compared. */
#define assert_rel(got, want, rel, what)                                        \
    cr_assert(rel_eq((got), (want), (rel)), "%s: %s = %.17g, expected %.17g",   \
              (what), #got, (double)(got), (double)(want))

/* Doubles as a file keeps them: bit for bit (the sign of zero too), NaN
 * equal to NaN. */
static inline int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || (a == b && signbit(a) == signbit(b));
}

/* Both NULL, or both strings and equal. */
static inline int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* s ends with suffix. */
static inline int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A new copy of s (NULL for NULL); the test fails when memory runs out. */
static inline char *xstrdup(const char *s)
{
    char *d = s ? strdup(s) : NULL;

    cr_assert(!s || d);
    return d;
}

/* Sleep ms milliseconds, whatever signals arrive. */
static inline void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- files --------------------------------------------------------------- */

/* The whole file as a new NUL-terminated string (its length in *len when
 * len is not NULL), or NULL when it cannot be opened. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, got;

    if (!f)
        return NULL;
    do {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap + 1);
            cr_assert_not_null(buf);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Write text to path (replacing it); the test fails when that fails. */
static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert_eq(fclose(f), 0, "%s: %s", path, strerror(errno));
}

/* path names something (a dangling symbolic link too). */
static inline int exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

/* path is a file of at least one byte. */
static inline int nonempty(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && st.st_size > 0;
}

/* The JSON document of path (new: json_decref); the test fails when it
 * cannot be read. */
static inline json_t *load_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);

    cr_assert_not_null(j, "%s: %s", path, je.text);
    return j;
}

/* The YAML document of path as Debian's python3-yaml reads it
 * (yaml.safe_load), as JSON (new: json_decref); the test fails when it
 * cannot be read. */
static inline json_t *load_yaml(const char *path)
{
    char cmd[1024];
    json_error_t je;
    json_t *j;
    FILE *p;

    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import json, sys, yaml; "
             "json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)' '%s'", path);
    p = popen(cmd, "r");
    cr_assert_not_null(p, "popen %s", cmd);
    j = json_loadf(p, 0, &je);
    cr_assert_eq(pclose(p), 0, "%s: python3-yaml could not read it", path);
    cr_assert_not_null(j, "%s: %s", path, je.text);
    return j;
}

/* The numbers of tests/ref/data_<name>.txt, one a line (lines that do not
 * start with one are skipped), as a new array of *n. */
static inline double *read_data(const char *name, size_t *n)
{
    const char *slash = strrchr(__FILE__, '/');
    char path[4096], line[128];
    double *x = NULL;
    size_t cap = 0;
    FILE *f;

    if (slash)
        snprintf(path, sizeof path, "%.*s/ref/data_%s.txt", (int)(slash - __FILE__),
                 __FILE__, name);
    else
        snprintf(path, sizeof path, "ref/data_%s.txt", name);
    f = fopen(path, "r");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        char *end;
        double v = strtod(line, &end);

        if (end == line)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            x = realloc(x, cap * sizeof *x);
            cr_assert_not_null(x);
        }
        x[(*n)++] = v;
    }
    fclose(f);
    cr_assert_gt(*n, 0, "%s: no values", path);
    return x;
}

/* ---- a scratch directory per test ---------------------------------------- */

/* The running test's scratch directory (Criterion runs each test in a
 * process of its own): empty until tmp_setup. */
static inline char *tmp_dir(void)
{
    static char dir[64];

    return dir;
}

/* Make a new scratch directory, /tmp/pacer-<test program>-XXXXXX: a test
 * suite's .init. */
static inline void tmp_setup(void)
{
    char *dir = tmp_dir();

    snprintf(dir, 64, "/tmp/pacer-%s-XXXXXX", program_invocation_short_name);
    cr_assert_not_null(mkdtemp(dir), "%s: %s", dir, strerror(errno));
}

/* Remove the scratch directory and everything in it (kept, and named on
 * stderr, when PACER_TEST_KEEP is set: to look at what a test wrote): a
 * test suite's .fini. */
static inline void tmp_teardown(void)
{
    char cmd[128];

    if (!tmp_dir()[0])
        return;
    if (getenv("PACER_TEST_KEEP")) {
        fprintf(stderr, "kept %s\n", tmp_dir());
        return;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir());
    if (system(cmd) != 0)
        cr_log_info("could not remove %s", tmp_dir());
}

/* The path of name in the scratch directory, in one of eight buffers used
 * in turn (so that a call may take several). */
static inline char *tmp_path(const char *name)
{
    static char p[8][512];
    static int i;

    i = (i + 1) % 8;
    snprintf(p[i], sizeof p[i], "%s/%s", tmp_dir(), name);
    return p[i];
}

/* ---- shell commands ------------------------------------------------------ */

/* Run the shell command made of fmt and its arguments; the test fails when
 * the command does. */
static inline void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    cr_assert_eq(system(cmd), 0, "failed: %s", cmd);
}

/* The first line of the shell command's stdout, without its trailing
 * newline and spaces, into buf. */
static inline void sh_line(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void sh_line(char *buf, size_t len, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    FILE *p;
    size_t n;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    p = popen(cmd, "r");
    cr_assert_not_null(p, "popen %s", cmd);
    if (!fgets(buf, (int)len, p))
        buf[0] = '\0';
    pclose(p);
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
}

/* ---- built programs: pacer, the test server ------------------------------ */

/* rel under the build directory ($PACER_BUILD, else build) into buf. */
static inline void build_path(char *buf, size_t size, const char *rel)
{
    const char *b = getenv("PACER_BUILD");

    snprintf(buf, size, "%s/%s", b && *b ? b : "build", rel);
}

/* The fixture suite binary tests/fixtures/faulty of the build directory
 * (borrowed). */
static inline const char *faulty_bin(void)
{
    static char path[512];

    if (!path[0])
        build_path(path, sizeof path, "tests/fixtures/faulty");
    return path;
}

/* What a program run by pacer_exec left. */
struct out {
    char *stdout_s, *stderr_s;   /* all of it, NUL-terminated */
    int code;                    /* exit code, or 128 + signal */
};

/* All of fd's file from its start, as a new string (fd is closed). */
static inline char *read_all(int fd)
{
    char *s = NULL, buf[4096];
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    ssize_t r;

    lseek(fd, 0, SEEK_SET);
    while ((r = read(fd, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)r, f);
    fclose(f);
    close(fd);
    return s;
}

/* Run bin with args (NULL-terminated, without argv[0]); send it SIGINT
 * after sigint_ms when that is positive.  Free the output with out_free. */
static inline struct out pacer_exec(const char *bin, int sigint_ms, const char *const *args)
{
    const char *argv[64];
    char po[] = "/tmp/pacer-test-out-XXXXXX", pe[] = "/tmp/pacer-test-err-XXXXXX";
    struct out o;
    int n = 0, fo, fe, st;
    pid_t pid;

    /* make check-valgrind: pacer itself under memcheck, whose errors and
     * definite leaks exit 99 */
    if (getenv("PACER_VALGRIND") && *getenv("PACER_VALGRIND") && strrchr(bin, '/') &&
        !strcmp(strrchr(bin, '/'), "/pacer")) {
        static const char *const vg[] = {"/usr/bin/valgrind", "--quiet", "--error-exitcode=99",
                                         "--leak-check=full", "--show-leak-kinds=definite",
                                         "--errors-for-leak-kinds=definite"};
        for (size_t i = 0; i < sizeof vg / sizeof *vg; i++)
            argv[n++] = vg[i];
    }
    argv[n++] = bin;
    while (*args && n < 63)
        argv[n++] = *args++;
    argv[n] = NULL;
    fo = mkstemp(po);
    fe = mkstemp(pe);
    cr_assert(fo >= 0 && fe >= 0);
    unlink(po);
    unlink(pe);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        dup2(fo, 1);
        dup2(fe, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    if (sigint_ms > 0) {
        usleep((useconds_t)sigint_ms * 1000);
        kill(pid, SIGINT);
    }
    waitpid(pid, &st, 0);
    o.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    o.stdout_s = read_all(fo);
    o.stderr_s = read_all(fe);
    return o;
}

/* The pacer binary of the build directory run with the arguments, a list
 * ending in NULL; SIGINT after sigint_ms when that is positive. */
static inline struct out pacer_run(int sigint_ms, const char *first, ...)
{
    char bin[512];
    const char *args[64];
    int n = 0;
    va_list ap;

    build_path(bin, sizeof bin, "pacer");
    va_start(ap, first);
    for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    return pacer_exec(bin, sigint_ms, args);
}

/* pacer with the arguments given (the list's NULL is added). */
#define run_pacer(...) pacer_run(0, __VA_ARGS__, NULL)

/* The same, with SIGINT after ms milliseconds. */
#define run_pacer_sig(ms, ...) pacer_run((ms), __VA_ARGS__, NULL)

/* Free what pacer_exec returned. */
static inline void out_free(struct out *o)
{
    free(o->stdout_s);
    free(o->stderr_s);
    o->stdout_s = o->stderr_s = NULL;
}

/* pid is a live process (a zombie is not: an orphan's may wait for an init
 * that does not reap). */
static inline int proc_alive(pid_t pid)
{
    char path[64], buf[512], *p;
    FILE *f;

    if (pid <= 0 || kill(pid, 0) < 0)
        return 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    p = fgets(buf, sizeof buf, f);
    fclose(f);
    p = p ? strrchr(buf, ')') : NULL;
    return !(p && p[1] == ' ' && p[2] == 'Z');
}

/* A one-benchmark suite source (spin: a multiply-add chain) at path, for
 * tests that build a benchmark as a user would. */
static inline void write_spin_bench(const char *path)
{
    write_file(path, "#include <pacer.h>\n"
                     "static void spin(pacer_state *st) { unsigned x = 1;\n"
                     "  PACER_LOOP(st) { x = x * 3 + 1; pacer_do_not_optimize(x); } }\n"
                     "PACER_BENCHMARK(spin);\n");
}

/* Whether dir holds a temporary file of a save (a name with ".tmp."). */
static inline int dir_has_temp_file(const char *dir)
{
    struct dirent *de;
    DIR *d = opendir(dir);
    int found = 0;

    if (!d)
        return 0;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".tmp."))
            found = 1;
    closedir(d);
    return found;
}

/* Live worker processes of the benchmark binary bin (argv "bin
 * --pacer-worker") that lost their pacer: reparented to init. */
static inline int orphan_workers(const char *bin)
{
    char path[300], buf[4096];
    struct dirent *de;
    DIR *d = opendir("/proc");
    int n = 0;

    if (!d)
        return 0;
    while ((de = readdir(d))) {
        FILE *f;
        size_t len;
        int ppid = 0;
        char *p;

        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/cmdline", de->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        if (strcmp(buf, bin) || len <= strlen(bin) + 1 ||
            strcmp(buf + strlen(bin) + 1, "--pacer-worker"))
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        p = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
        fclose(f);
        if (p && sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == 1 &&
            proc_alive((pid_t)atoi(de->d_name)))
            n++;
    }
    closedir(d);
    return n;
}

/* A running test server (suites/targets/testsrv). */
struct srv {
    pid_t pid;
    int port;
};

/* Start the server argv[0] (argv NULL-terminated) and wait until it says
 * "listening on PORT". */
static inline struct srv srv_exec(const char *const *argv)
{
    struct srv s = {0};
    char line[128];
    int fds[2];
    FILE *f;

    cr_assert(pipe(fds) == 0);
    s.pid = fork();
    cr_assert(s.pid >= 0);
    if (s.pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    f = fdopen(fds[0], "r");
    cr_assert(f && fgets(line, sizeof line, f), "%s did not start", argv[0]);
    cr_assert(sscanf(line, "listening on %d", &s.port) == 1, "%s said: %s", argv[0], line);
    fclose(f);
    return s;
}

/* Start testsrv on a port of its choosing with the arguments given (a
 * NULL-terminated list, or NULL), and wait until it says which port. */
static inline struct srv srv_start(const char *const *args)
{
    char path[512];
    const char *argv[24];
    size_t n = 0, i;

    build_path(path, sizeof path, "suites/targets/testsrv");
    cr_assert(access(path, X_OK) == 0, "%s is not built", path);
    argv[n++] = path;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--max-time";
    argv[n++] = "60s";
    for (i = 0; args && args[i] && n < 22; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return srv_exec(argv);
}

/* Kill the server started by srv_start, if any, and reap it. */
static inline void srv_stop(struct srv *s)
{
    int st;

    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &st, 0);
        s->pid = 0;
    }
}

/* ---- latency histograms -------------------------------------------------- */

/* hist_init; the test fails when it does. */
static inline void hist_init_ok(struct hist *h, int digits, uint64_t highest)
{
    struct err e = { 0 };

    cr_assert_eq(hist_init(h, digits, highest, &e), 0, "hist_init(%d, %" PRIu64 "): %s",
                 digits, highest, e.msg);
}

/* n lognormal latencies around exp(mu) ns, rounded to integers, drawn from
 * seed (new). */
static inline uint64_t *lognormal_ns(size_t n, double mu, double sigma, uint64_t seed)
{
    struct rng r;
    uint64_t *x = malloc(n * sizeof *x);

    cr_assert_not_null(x);
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = (uint64_t)llround(exp(mu + sigma * rng_normal(&r)));
    return x;
}

/* a and b are the same histogram: layout, counts, extremes, sum bit for bit. */
static inline void assert_same_hist(const struct hist *a, const struct hist *b)
{
    cr_assert_eq(a->digits, b->digits);
    cr_assert_eq(a->sub_bits, b->sub_bits);
    cr_assert_eq(a->highest, b->highest);
    cr_assert_eq(a->nbuckets, b->nbuckets);
    cr_assert_eq(a->count, b->count, "count %" PRIu64 " vs %" PRIu64, a->count, b->count);
    cr_assert_eq(a->min, b->min, "min %" PRIu64 " vs %" PRIu64, a->min, b->min);
    cr_assert_eq(a->max, b->max, "max %" PRIu64 " vs %" PRIu64, a->max, b->max);
    cr_assert_eq(memcmp(&a->sum, &b->sum, sizeof a->sum), 0, "sum %.17g vs %.17g", a->sum,
                 b->sum);
    cr_assert_eq(a->clamped, b->clamped);
    for (size_t i = 0; i < a->nbuckets; i++)
        cr_assert_eq(a->counts[i], b->counts[i], "bucket %zu: %" PRIu64 " vs %" PRIu64, i,
                     a->counts[i], b->counts[i]);
}

/* ---- a server's monitor rows, made by hand ------------------------------- */

/*
 * Five rows of a server "server" (pid 4242), times and CPU in binary
 * fractions so that every step below is exact in double:
 *
 *   t      user   sys     cpu     rss   thr fds  vol invol rchar
 *   0      1      0.5     1.5     1000  2   5    10  1     0
 *   0.25   1.125  0.5     1.625   3000  4   7    20  1     100
 *   0.5    1.375  0.5625  1.9375  2000  3   9    30  3     200
 *   0.75   1.5    0.625   2.125   6000  3   6    40  3     300
 *   1      1.75   0.75    2.5     4000  2   6    110 5     1000
 *
 * wchar unknown (-1) throughout.
 *
 * Whole series: duration 1; cpu (2.5 - 1.5) / 1 = 1; user 0.75, sys 0.25;
 * per period (0.125, 0.3125, 0.1875, 0.375) / 0.25 = 0.5, 1.25, 0.75, 1.5,
 * max 1.5; rss mean 16000 / 5 = 3200, max 6000; threads max 4, fds max 9;
 * switches (115 - 11) / 1 = 104, involuntary 4; read 1000 / s; write -1.
 *
 * [0.25, 0.75]: duration 0.5; cpu 0.5 / 0.5 = 1, max 1.25; user 0.375 /
 * 0.5 = 0.75, sys 0.125 / 0.5 = 0.25; rss mean 11000 / 3, max 6000;
 * threads 4, fds 9; switches (43 - 21) / 0.5 = 44, involuntary 2 / 0.5 = 4;
 * read 200 / 0.5 = 400.
 *
 * The rows are borrowed (static).
 */
static inline struct mon_series hand_series(void)
{
    static struct mon_row rows[] = {
        { 0, 1, 0.5, 1000, 2, 5, 10, 1, 0, -1, 1 },
        { 0.25, 1.125, 0.5, 3000, 4, 7, 20, 1, 100, -1, 1 },
        { 0.5, 1.375, 0.5625, 2000, 3, 9, 30, 3, 200, -1, 1 },
        { 0.75, 1.5, 0.625, 6000, 3, 6, 40, 3, 300, -1, 1 },
        { 1, 1.75, 0.75, 4000, 2, 6, 110, 5, 1000, -1, 1 },
    };
    struct mon_series s = { 0 };

    s.label = "server";
    s.pid = 4242;
    s.rows = rows;
    s.n = s.cap = COUNT(rows);
    return s;
}

/* ---- streams cut anywhere ------------------------------------------------ */

/* At most max random increasing cut points inside [1, len) into cuts;
 * returns their number. */
static inline size_t random_cuts(struct rng *r, size_t len, size_t *cuts, size_t max)
{
    size_t n = 0, i, j;

    if (len < 2)
        return 0;
    max = 1 + (size_t)rng_below(r, max);
    for (i = 0; i < max; i++) {
        size_t c = 1 + (size_t)rng_below(r, len - 1);
        for (j = 0; j < n && cuts[j] != c; j++)
            ;
        if (j == n)
            cuts[n++] = c;
    }
    for (i = 1; i < n; i++) /* insertion sort */
        for (j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
            size_t t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
        }
    return n;
}

/* Parse url into u; the test fails when it cannot be parsed. */
static inline void url_ok(const char *url, struct target_url *u)
{
    struct err e = {0};

    cr_assert_eq(target_url_parse(url, u, &e), 0, "%s: %s", url, e.msg);
}

/* The parts: plot_files.h builds on result_files.h. */
/* now + ms as a UTC ISO 8601 time with milliseconds into buf (a
 * --start-at for segments started together). */
static inline void iso_ahead(char *buf, size_t size, long ms)
{
    struct timespec ts;
    struct tm tm;
    long long t;
    time_t sec;

    clock_gettime(CLOCK_REALTIME, &ts);
    t = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + ms;
    sec = (time_t)(t / 1000);
    gmtime_r(&sec, &tm);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, t % 1000);
}

/* The pod template's spec of a Kubernetes Job doc (borrowed). */
static inline json_t *pod_of(json_t *doc)
{
    return json_object_get(json_object_get(json_object_get(doc, "spec"), "template"), "spec");
}

/* The pod template's one container of Job doc (borrowed). */
static inline json_t *container_of(json_t *doc)
{
    json_t *cs = json_object_get(pod_of(doc), "containers");

    cr_assert_eq(json_array_size(cs), 1);
    return json_array_get(cs, 0);
}

#include "result_files.h"
#include "plot_files.h"

#endif
