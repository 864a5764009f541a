/*
 * env.c: the context block of a result, read from this machine (procfs,
 * sysfs, uname, git), and its fingerprint.
 *
 * Fingerprint: FNV-1a 64 (Fowler, Noll, Vo) over a canonical text with one
 * line per field, in this order:
 *   cpu_model, cpus, memory_bytes, kernel, governor, turbo, compiler, cflags
 *   (and valgrind, only when instructions were counted under it)
 * A field that is set is written "name=value\n"; a NULL field is written
 * "name\n" (no '='), so NULL never equals any string, the empty one
 * included.  In values a backslash is written "\\" and a newline "\n", so
 * no value can forge the separator.  memory_bytes is written as whole GiB,
 * rounded to nearest (MemTotal moves by a few MiB between boots and
 * kernels); kernel is only the release, its first word.  The hash is
 * printed as 16 lowercase hex digits.
 */
#include "env.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "version.h"

extern char **environ;

#define LINE_MAX_LEN 4096
#define GIB (1024.0 * 1024.0 * 1024.0)

/* ---- small helpers ------------------------------------------------------ */

/* Store a malloc'd copy of s (NULL stays NULL) in *dst, freeing the old
 * value.  Returns -1 only when out of memory. */
static int set_str(char **dst, const char *s)
{
    char *copy = NULL;

    if (s && !(copy = strdup(s)))
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

/* Cut trailing white space (the newline of a file or a command). */
static char *rtrim(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' ||
                     s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static char *ltrim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* The first line of a file, trimmed, into buf.  0 if read and not empty. */
static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    int ok;

    if (!f)
        return -1;
    ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (!ok || !*rtrim(buf))
        return -1;
    return 0;
}

/* The value of the first "key<sep>value" line of a file whose key, trimmed,
 * is exactly key (/proc/cpuinfo and /proc/meminfo use ':', os-release '=').
 * The value is trimmed into buf.  0 if found. */
static int read_keyed(const char *path, const char *key, char sep, char *buf, size_t len)
{
    char line[LINE_MAX_LEN];
    FILE *f = fopen(path, "r");
    int found = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        char *s = strchr(line, sep), *k;

        if (!s)
            continue;
        *s = '\0';
        k = rtrim(ltrim(line));
        if (strcmp(k, key) != 0)
            continue;
        snprintf(buf, len, "%s", rtrim(ltrim(s + 1)));
        found = 0;
        break;
    }
    fclose(f);
    return found;
}

/* Run argv (searched in PATH) with stdin and stderr on /dev/null; its
 * stdout, trimmed, goes into buf (cut to len - 1; the rest is read and
 * dropped so the child never blocks).  0 when it exited with status 0. */
static int run_capture(char *const argv[], char *buf, size_t len)
{
    posix_spawn_file_actions_t fa;
    int pfd[2], status, rc = -1;
    size_t used = 0;
    pid_t pid;

    buf[0] = '\0';
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    if (posix_spawn_file_actions_init(&fa) != 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, pfd[1], 1) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);

    for (;;) {
        char chunk[1024];
        ssize_t n = read(pfd[0], chunk, sizeof chunk);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (used + 1 < len) {
            size_t take = (size_t)n < len - 1 - used ? (size_t)n : len - 1 - used;

            memcpy(buf + used, chunk, take);
            used += take;
        }
    }
    close(pfd[0]);
    buf[used] = '\0';
    rtrim(buf);

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        rc = 0;
    return rc;
}

/* UTC ISO 8601 with seconds: 2026-11-24T10:00:00Z.  0 on success. */
static int format_utc(time_t t, char *buf, size_t len)
{
    struct tm tm;

    if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return -1;
    return 0;
}

/* ---- the fields --------------------------------------------------------- */

/* Commit, branch, commit time and dirtiness of the repository around the
 * working directory.  Outside a work tree (or without git) all stay NULL and
 * dirty -1; in a repository without commits only branch and dirty are set;
 * on a detached HEAD the branch is NULL.  git status runs with
 * --no-optional-locks, so collecting never writes the repository's index. */
static int collect_git(struct context *ctx)
{
    static char *const inside[] = {"git", "rev-parse", "--is-inside-work-tree", NULL};
    static char *const head[] = {"git", "rev-parse", "--verify", "-q", "HEAD^{commit}", NULL};
    static char *const branch[] = {"git", "symbolic-ref", "-q", "--short", "HEAD", NULL};
    static char *const when[] = {"git", "-c", "log.showSignature=false", "show", "-s",
                                 "--format=%ct", "HEAD", NULL};
    static char *const status[] = {"git", "--no-optional-locks", "status", "--porcelain",
                                   "--untracked-files=normal", NULL};
    char out[LINE_MAX_LEN], iso[32];

    ctx->git_dirty = -1;
    if (run_capture(inside, out, sizeof out) != 0 || strcmp(out, "true") != 0)
        return 0;

    if (run_capture(head, out, sizeof out) == 0 && *out) {
        if (set_str(&ctx->git_commit, out) < 0)
            return -1;
        if (run_capture(when, out, sizeof out) == 0 && *out) {
            char *end;
            long long t;

            errno = 0;
            t = strtoll(out, &end, 10);
            if (!errno && *end == '\0' && format_utc((time_t)t, iso, sizeof iso) == 0 &&
                set_str(&ctx->git_commit_time, iso) < 0)
                return -1;
        }
    }
    if (run_capture(branch, out, sizeof out) == 0 && *out &&
        set_str(&ctx->git_branch, out) < 0)
        return -1;
    if (run_capture(status, out, sizeof out) == 0)
        ctx->git_dirty = *out != '\0';
    return 0;
}

/* The CPU's name.  x86 says "model name"; older ARM kernels "Processor",
 * MIPS "cpu model", POWER "cpu", RISC-V "uarch"; arm64 only gives numbers,
 * written as "implementer 0x41 part 0xd0c"; last resort the machine name. */
static int collect_cpu_model(struct context *ctx)
{
    static const char *const keys[] = {"model name", "Processor", "cpu model", "cpu", "uarch"};
    char val[LINE_MAX_LEN], impl[64], part[64];
    struct utsname u;
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (read_keyed("/proc/cpuinfo", keys[i], ':', val, sizeof val) == 0 && *val)
            return set_str(&ctx->cpu_model, val);
    if (read_keyed("/proc/cpuinfo", "CPU implementer", ':', impl, sizeof impl) == 0 &&
        read_keyed("/proc/cpuinfo", "CPU part", ':', part, sizeof part) == 0) {
        snprintf(val, sizeof val, "implementer %s part %s", impl, part);
        return set_str(&ctx->cpu_model, val);
    }
    if (uname(&u) == 0)
        return set_str(&ctx->cpu_model, u.machine);
    return 0;
}

static void collect_memory(struct context *ctx)
{
    char val[128];
    unsigned long long kb;
    long pages, psize;

    if (read_keyed("/proc/meminfo", "MemTotal", ':', val, sizeof val) == 0 &&
        sscanf(val, "%llu", &kb) == 1) {
        ctx->memory_bytes = (uint64_t)kb * 1024;   /* the kernel's "kB" is KiB */
        return;
    }
    pages = sysconf(_SC_PHYS_PAGES);
    psize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psize > 0)
        ctx->memory_bytes = (uint64_t)pages * (uint64_t)psize;
}

/* PRETTY_NAME of os-release(5), without its quotes. */
static int collect_os(struct context *ctx)
{
    char val[LINE_MAX_LEN];
    size_t n;
    char *s = val;

    if (read_keyed("/etc/os-release", "PRETTY_NAME", '=', val, sizeof val) != 0 &&
        read_keyed("/usr/lib/os-release", "PRETTY_NAME", '=', val, sizeof val) != 0)
        return 0;
    n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s[n - 1] = '\0';
        s++;
    }
    return *s ? set_str(&ctx->os, s) : 0;
}

/* "on" / "off": intel_pstate's no_turbo is inverted, cpufreq's boost is not. */
static int collect_turbo(struct context *ctx)
{
    char val[32];

    if (read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", val, sizeof val) == 0 &&
        (!strcmp(val, "0") || !strcmp(val, "1")))
        return set_str(&ctx->turbo, !strcmp(val, "0") ? "on" : "off");
    if (read_line("/sys/devices/system/cpu/cpufreq/boost", val, sizeof val) == 0 &&
        (!strcmp(val, "0") || !strcmp(val, "1")))
        return set_str(&ctx->turbo, !strcmp(val, "1") ? "on" : "off");
    return 0;
}

/* The string fields a collect may leave unset: cleared first, so that a
 * context filled before (on another machine, or inside a repository) does
 * not keep stale values.  env_collect takes a zeroed context (result_init,
 * memset) or one it filled before; the others are replaced by set_str. */
static const size_t ctx_strings[] = {
    offsetof(struct context, time),     offsetof(struct context, git_commit),
    offsetof(struct context, git_branch), offsetof(struct context, git_commit_time),
    offsetof(struct context, hostname), offsetof(struct context, cpu_model),
    offsetof(struct context, kernel),   offsetof(struct context, os),
    offsetof(struct context, governor), offsetof(struct context, turbo),
};

int env_collect(struct context *ctx)
{
    char buf[LINE_MAX_LEN];
    struct clock_info ci;
    struct utsname u;
    size_t k;
    long n;
    int i;

    for (k = 0; k < sizeof ctx_strings / sizeof ctx_strings[0]; k++) {
        char **field = (char **)(void *)((char *)ctx + ctx_strings[k]);

        free(*field);
        *field = NULL;
    }
    ctx->git_dirty = -1;
    ctx->cpus = -1;
    ctx->memory_bytes = 0;
    if (set_str(&ctx->pacer_version, PACER_VERSION) < 0)
        return -1;
    if (format_utc(time(NULL), buf, sizeof buf) == 0 && set_str(&ctx->time, buf) < 0)
        return -1;
    if (collect_git(ctx) < 0)
        return -1;

    if (gethostname(buf, sizeof buf) == 0) {
        buf[sizeof buf - 1] = '\0';
        if (set_str(&ctx->hostname, buf) < 0)
            return -1;
    }
    if (collect_cpu_model(ctx) < 0)
        return -1;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    ctx->cpus = n > 0 && n <= INT_MAX ? (int)n : -1;
    collect_memory(ctx);
    if (uname(&u) == 0) {
        snprintf(buf, sizeof buf, "%s %s", u.release, u.version);
        if (set_str(&ctx->kernel, buf) < 0)
            return -1;
    }
    if (collect_os(ctx) < 0)
        return -1;
    if (read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof buf) == 0 &&
        set_str(&ctx->governor, buf) < 0)
        return -1;
    if (collect_turbo(ctx) < 0)
        return -1;

    for (i = 0; i < 3; i++)
        ctx->loadavg[i] = 0;
    if (getloadavg(ctx->loadavg, 3) < 3)
        for (i = 0; i < 3; i++)
            ctx->loadavg[i] = 0;   /* none or partial: unknown */

    /* compiler and cflags are the measured code's: a suite binary tells
     * them (plan_result_start, pacer env BINARY); a command's are unknown */

    clock_measure(&ci);
    ctx->clock_resolution_ns = ci.resolution_ns;
    ctx->clock_read_ns = ci.read_ns;

    return env_fingerprint(ctx);
}

/* ---- fingerprint -------------------------------------------------------- */

enum fp_kind { FP_STR, FP_RELEASE, FP_INT, FP_GIB, FP_OPT };

struct fp_field {
    const char *name;
    enum fp_kind kind;
    size_t off;
};

static const struct fp_field fp_fields[] = {
    {"cpu_model", FP_STR, offsetof(struct context, cpu_model)},
    {"cpus", FP_INT, offsetof(struct context, cpus)},
    {"memory_bytes", FP_GIB, offsetof(struct context, memory_bytes)},
    {"kernel", FP_RELEASE, offsetof(struct context, kernel)},
    {"governor", FP_STR, offsetof(struct context, governor)},
    {"turbo", FP_STR, offsetof(struct context, turbo)},
    {"compiler", FP_STR, offsetof(struct context, compiler)},
    {"cflags", FP_STR, offsetof(struct context, cflags)},
    /* only when set: the fingerprints of timed runs stay as they were */
    {"valgrind", FP_OPT, offsetof(struct context, valgrind)},
};
#define FP_NFIELDS (sizeof fp_fields / sizeof fp_fields[0])

/* The value of field f of c as a byte range (*val NULL when the field is
 * NULL); numbers are formatted into num. */
static void fp_value(const struct context *c, const struct fp_field *f, char *num,
                     size_t numlen, const char **val, size_t *len)
{
    const char *base = (const char *)c + f->off;
    const char *s;

    switch (f->kind) {
    case FP_INT:
        snprintf(num, numlen, "%d", *(const int *)(const void *)base);
        *val = num;
        *len = strlen(num);
        return;
    case FP_GIB:
        snprintf(num, numlen, "%.0f", (double)*(const uint64_t *)(const void *)base / GIB);
        *val = num;
        *len = strlen(num);
        return;
    case FP_STR:
    case FP_OPT:
    case FP_RELEASE:
        s = *(char *const *)(const void *)base;
        *val = s;
        *len = s ? (f->kind == FP_RELEASE ? strcspn(s, " ") : strlen(s)) : 0;
        return;
    }
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int env_fingerprint(struct context *ctx)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    char num[32], hex[17];
    size_t i, j;

    for (i = 0; i < FP_NFIELDS; i++) {
        const char *val;
        size_t len;

        fp_value(ctx, &fp_fields[i], num, sizeof num, &val, &len);
        if (fp_fields[i].kind == FP_OPT && !val)
            continue;
        h = fnv1a(h, fp_fields[i].name, strlen(fp_fields[i].name));
        if (val) {
            h = fnv1a(h, "=", 1);
            for (j = 0; j < len; j++) {
                if (val[j] == '\\')
                    h = fnv1a(h, "\\\\", 2);
                else if (val[j] == '\n')
                    h = fnv1a(h, "\\n", 2);
                else
                    h = fnv1a(h, &val[j], 1);
            }
        }
        h = fnv1a(h, "\n", 1);
    }
    snprintf(hex, sizeof hex, "%016" PRIx64, h);
    return set_str(&ctx->fingerprint, hex);
}

int env_diff(const struct context *a, const struct context *b, char *buf, size_t len)
{
    size_t i, used = 0;
    int count = 0;

    if (buf && len)
        buf[0] = '\0';
    for (i = 0; i < FP_NFIELDS; i++) {
        char na[32], nb[32];
        const char *va, *vb;
        size_t la, lb;

        fp_value(a, &fp_fields[i], na, sizeof na, &va, &la);
        fp_value(b, &fp_fields[i], nb, sizeof nb, &vb, &lb);
        if ((!va && !vb) || (va && vb && la == lb && memcmp(va, vb, la) == 0))
            continue;
        if (buf && used < len) {
            int w = snprintf(buf + used, len - used, "%s%s", count ? ", " : "",
                             fp_fields[i].name);

            if (w > 0)
                used += (size_t)w;
        }
        count++;
    }
    return count;
}

/* ---- warnings ----------------------------------------------------------- */

int env_warn(FILE *f, const struct context *ctx)
{
    int n = 0;

    if (ctx->governor && strcmp(ctx->governor, "performance") != 0) {
        fprintf(f, "pacer: warning: cpu governor is '%s', not 'performance': "
                        "timings will drift\n", ctx->governor);
        n++;
    }
    if (ctx->turbo && !strcmp(ctx->turbo, "on")) {
        fprintf(f, "pacer: warning: turbo boost is on: timings will drift\n");
        n++;
    }
    if (ctx->cpus > 0 && ctx->loadavg[0] > ctx->cpus / 2.0) {
        fprintf(f, "pacer: warning: machine is loaded: load average %.2f on %d cpus\n",
                ctx->loadavg[0], ctx->cpus);
        n++;
    }
    return n;
}
