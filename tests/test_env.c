/*
 * test_env.c: the context block and its fingerprint.  Collected fields are
 * checked against what the system says through another route; git fields
 * inside a throw-away repository made here and outside any repository.
 * Criterion runs each test in its own process, so chdir and setenv stay
 * inside one test.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "buildinfo.h"
#include "harness/result/env.h"
#include "harness/result/result.h"
#include "harness/result/version.h"
#include "helpers.h"

/* ---- helpers ------------------------------------------------------------ */

/* Into a fresh scratch directory; git is kept from looking above it and
 * from reading the user's configuration. */
static void enter_tmpdir(void)
{
    char here[PATH_MAX];

    tmp_setup();
    cr_assert_not_null(realpath(tmp_dir(), here));
    cr_assert_eq(chdir(here), 0);

    /* git: no discovery above the directory, no user or system config */
    *strrchr(here, '/') = '\0';
    setenv("GIT_CEILING_DIRECTORIES", *here ? here : "/", 1);
    unsetenv("GIT_DIR");
    unsetenv("GIT_WORK_TREE");
    unsetenv("GIT_INDEX_FILE");
    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_AUTHOR_NAME", "pacer test", 1);
    setenv("GIT_AUTHOR_EMAIL", "test@pacer.invalid", 1);
    setenv("GIT_COMMITTER_NAME", "pacer test", 1);
    setenv("GIT_COMMITTER_EMAIL", "test@pacer.invalid", 1);
}

/* Out of the scratch directory, which is removed. */
static void leave_tmpdir(void)
{
    cr_assert_eq(chdir("/"), 0);
    tmp_teardown();
}

/* A context as if collected on a fixed machine. */
static void fake_context(struct context *c)
{
    memset(c, 0, sizeof *c);
    c->pacer_version = xstrdup(PACER_VERSION);
    c->time = xstrdup("2026-11-24T10:00:00Z");
    c->git_commit = xstrdup("0123456789abcdef0123456789abcdef01234567");
    c->git_branch = xstrdup("main");
    c->git_dirty = 0;
    c->hostname = xstrdup("bench-1");
    c->cpu_model = xstrdup("Intel(R) Xeon(R) Processor");
    c->cpus = 2;
    c->memory_bytes = 16ULL << 30;
    c->kernel = xstrdup("6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1");
    c->os = xstrdup("Debian GNU/Linux 12 (bookworm)");
    c->governor = xstrdup("performance");
    c->turbo = xstrdup("off");
    c->loadavg[0] = 0.1;
    c->compiler = xstrdup("cc (Debian 12.2.0-14) 12.2.0");
    c->cflags = xstrdup("-std=gnu11 -O2");
    c->clock_resolution_ns = 20;
    c->clock_read_ns = 18;
    cr_assert_eq(env_fingerprint(c), 0);
}

static void replace(char **field, const char *value)
{
    free(*field);
    *field = value ? xstrdup(value) : NULL;
}

/* ---- collected from this machine --------------------------------------- */

Test(env, collect_matches_the_system)
{
    struct context c;
    struct utsname u;
    char line[256], host[256];
    unsigned long long kb = 0;
    FILE *f;

    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);

    cr_assert_str_eq(c.pacer_version, PACER_VERSION);
    cr_assert_eq(c.cpus, (int)sysconf(_SC_NPROCESSORS_ONLN));

    f = fopen("/proc/meminfo", "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
            break;
    fclose(f);
    cr_assert_gt(kb, 0);
    cr_assert_eq(c.memory_bytes, kb * 1024);

    cr_assert_eq(uname(&u), 0);
    cr_assert_not_null(c.kernel);
    cr_assert_eq(strncmp(c.kernel, u.release, strlen(u.release)), 0, "kernel %s", c.kernel);
    cr_assert_eq(c.kernel[strlen(u.release)], ' ');
    cr_assert_not_null(strstr(c.kernel, u.version));

    cr_assert_eq(gethostname(host, sizeof host), 0);
    cr_assert_str_eq(c.hostname, host);

    cr_assert_not_null(c.cpu_model);
    cr_assert_gt(strlen(c.cpu_model), 0);
    /* the measured code's build: a suite binary tells it, not pacer */
    cr_assert_null(c.compiler);
    cr_assert_null(c.cflags);

    if (access("/etc/os-release", R_OK) == 0) {
        cr_assert_not_null(c.os);
        cr_assert_neq(c.os[0], '"');
    }
    f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
    if (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        cr_assert_str_eq(c.governor, line);
    } else {
        cr_assert_null(c.governor);
    }
    if (f)
        fclose(f);
    if (c.turbo)
        cr_assert(!strcmp(c.turbo, "on") || !strcmp(c.turbo, "off"), "turbo %s", c.turbo);

    cr_assert_geq(c.loadavg[0], 0);
    cr_assert_gt(c.clock_resolution_ns, 0);
    cr_assert_gt(c.clock_read_ns, 0);
    cr_assert_not_null(c.fingerprint);
    context_free(&c);
}

Test(env, time_is_utc_iso_and_now)
{
    struct context c;
    struct tm tm;
    const char *end;
    time_t t, now;

    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_not_null(c.time);
    cr_assert_eq(strlen(c.time), 20, "time %s", c.time);
    memset(&tm, 0, sizeof tm);
    end = strptime(c.time, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cr_assert(end && *end == '\0', "time %s", c.time);
    t = timegm(&tm);
    now = time(NULL);
    cr_assert_lt(labs((long)(now - t)), 86400L, "time %s is not today", c.time);
    context_free(&c);
}

Test(env, collect_twice_replaces_without_leaking)
{
    struct context c;
    char *first;

    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);
    first = xstrdup(c.fingerprint);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_str_eq(c.fingerprint, first);
    free(first);
    context_free(&c);
}

/* ---- git ---------------------------------------------------------------- */

Test(env, git_in_a_fresh_repository)
{
    struct context c;
    char head[128];
    FILE *f;

    enter_tmpdir();
    setenv("GIT_COMMITTER_DATE", "2024-01-02T03:04:05+02:00", 1);
    setenv("GIT_AUTHOR_DATE", "2024-01-02T03:04:05+02:00", 1);
    sh("git init -q -b main . && echo a > a.txt && git add a.txt && "
       "git -c commit.gpgsign=false commit -q -m first");
    sh_line(head, sizeof head, "git rev-parse HEAD");
    cr_assert_gt(strlen(head), 0);

    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_str_eq(c.git_commit, head);
    cr_assert_str_eq(c.git_branch, "main");
    cr_assert_str_eq(c.git_commit_time, "2024-01-02T01:04:05Z");
    cr_assert_eq(c.git_dirty, 0);

    f = fopen("new.txt", "w");
    cr_assert_not_null(f);
    fputs("untracked\n", f);
    fclose(f);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_eq(c.git_dirty, 1);
    cr_assert_str_eq(c.git_commit, head);

    /* a change to a tracked file is dirty too */
    sh("rm new.txt && echo b >> a.txt");
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_eq(c.git_dirty, 1);
    context_free(&c);
    leave_tmpdir();
}

Test(env, git_detached_head_has_no_branch)
{
    struct context c;

    enter_tmpdir();
    sh("git init -q -b main . && git -c commit.gpgsign=false commit -q --allow-empty -m x && "
       "git checkout -q --detach");
    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_not_null(c.git_commit);
    cr_assert_null(c.git_branch);
    cr_assert_eq(c.git_dirty, 0);
    context_free(&c);
    leave_tmpdir();
}

Test(env, git_repository_without_commits)
{
    struct context c;

    enter_tmpdir();
    sh("git init -q -b main .");
    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_null(c.git_commit);
    cr_assert_null(c.git_commit_time);
    cr_assert_str_eq(c.git_branch, "main");
    cr_assert_eq(c.git_dirty, 0);
    context_free(&c);
    leave_tmpdir();
}

Test(env, git_outside_any_repository)
{
    struct context c;

    enter_tmpdir();
    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_null(c.git_commit);
    cr_assert_null(c.git_branch);
    cr_assert_null(c.git_commit_time);
    cr_assert_eq(c.git_dirty, -1);
    cr_assert_not_null(c.fingerprint);
    context_free(&c);
    leave_tmpdir();
}

Test(env, git_fields_cleared_when_leaving_a_repository)
{
    struct context c;

    enter_tmpdir();
    sh("git init -q -b main . && git -c commit.gpgsign=false commit -q --allow-empty -m x");
    memset(&c, 0, sizeof c);
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_not_null(c.git_commit);
    sh("rm -rf .git");
    cr_assert_eq(env_collect(&c), 0);
    cr_assert_null(c.git_commit);
    cr_assert_null(c.git_branch);
    cr_assert_null(c.git_commit_time);
    cr_assert_eq(c.git_dirty, -1);
    context_free(&c);
    leave_tmpdir();
}

/* ---- fingerprint -------------------------------------------------------- */

Test(env, fingerprint_is_16_lowercase_hex_and_stable)
{
    struct context a, b;
    size_t i;

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    cr_assert_eq(env_collect(&a), 0);
    cr_assert_eq(env_collect(&b), 0);
    cr_assert_eq(strlen(a.fingerprint), 16);
    for (i = 0; i < 16; i++)
        cr_assert(isdigit((unsigned char)a.fingerprint[i]) ||
                  (a.fingerprint[i] >= 'a' && a.fingerprint[i] <= 'f'), "%s", a.fingerprint);
    cr_assert_str_eq(a.fingerprint, b.fingerprint);
    context_free(&a);
    context_free(&b);
}

/* The hash of a fixed context is fixed, so other tools can recompute it
 * from the canonical text of env.c.  f0ae34926bab70cf was computed from
 * canon[] with Python 3:
 *   h = 0xcbf29ce484222325
 *   for b in canon: h = ((h ^ b) * 0x100000001b3) % 2**64 */
Test(env, fingerprint_of_a_known_context)
{
    struct context c;
    static const char canon[] =
        "cpu_model=Intel(R) Xeon(R) Processor\n"
        "cpus=2\n"
        "memory_bytes=16\n"
        "kernel=6.1.0-13-amd64\n"
        "governor=performance\n"
        "turbo=off\n"
        "compiler=cc (Debian 12.2.0-14) 12.2.0\n"
        "cflags=-std=gnu11 -O2\n";
    unsigned long long h = 0xcbf29ce484222325ULL;
    char want[17];
    size_t i;

    for (i = 0; canon[i]; i++) {
        h ^= (unsigned char)canon[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(want, sizeof want, "%016llx", h);
    fake_context(&c);
    cr_assert_str_eq(c.fingerprint, want);
    cr_assert_str_eq(c.fingerprint, "f0ae34926bab70cf");
    context_free(&c);
}

Test(env, fingerprint_follows_comparability_fields)
{
    struct context base, c;

    fake_context(&base);

    fake_context(&c);
    replace(&c.cpu_model, "AMD EPYC 7B13");
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_neq(c.fingerprint, base.fingerprint);
    context_free(&c);

    fake_context(&c);
    replace(&c.kernel, "6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1");
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_neq(c.fingerprint, base.fingerprint);
    context_free(&c);

    fake_context(&c);
    replace(&c.cflags, "-std=gnu11 -O3");
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_neq(c.fingerprint, base.fingerprint);
    context_free(&c);

    fake_context(&c);
    c.cpus = 4;
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_neq(c.fingerprint, base.fingerprint);
    context_free(&c);

    fake_context(&c);
    c.memory_bytes = 32ULL << 30;
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_neq(c.fingerprint, base.fingerprint);
    context_free(&c);

    /* NULL is not the empty string */
    fake_context(&c);
    replace(&c.governor, NULL);
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_neq(c.fingerprint, base.fingerprint);
    {
        char *null_fp = xstrdup(c.fingerprint);

        replace(&c.governor, "");
        cr_assert_eq(env_fingerprint(&c), 0);
        cr_assert_str_neq(c.fingerprint, null_fp);
        cr_assert_str_neq(c.fingerprint, base.fingerprint);
        free(null_fp);
    }
    context_free(&c);

    /* a value cannot forge the next field */
    fake_context(&c);
    replace(&c.governor, "performance\nturbo=off");
    replace(&c.turbo, NULL);
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_neq(c.fingerprint, base.fingerprint);
    context_free(&c);

    context_free(&base);
}

Test(env, fingerprint_ignores_the_rest)
{
    struct context base, c;

    fake_context(&base);
    fake_context(&c);
    replace(&c.time, "2027-01-01T00:00:00Z");
    replace(&c.hostname, "bench-2");
    replace(&c.git_commit, NULL);
    replace(&c.git_branch, "other");
    replace(&c.os, "Ubuntu 24.04 LTS");
    c.git_dirty = 1;
    c.loadavg[0] = 3.5;
    c.loadavg[2] = 1.25;
    c.clock_resolution_ns = 1000;
    c.clock_read_ns = 700;
    /* same GiB, same kernel release */
    c.memory_bytes = (16ULL << 30) - (200ULL << 20);
    replace(&c.kernel, "6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1");
    cr_assert_eq(env_fingerprint(&c), 0);
    cr_assert_str_eq(c.fingerprint, base.fingerprint);
    context_free(&c);
    context_free(&base);
}

/* ---- diff --------------------------------------------------------------- */

Test(env, diff_lists_exactly_the_differing_fields)
{
    struct context a, b;
    char buf[256];

    fake_context(&a);
    fake_context(&b);
    cr_assert_eq(env_diff(&a, &b, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "");

    replace(&b.hostname, "elsewhere");
    b.loadavg[0] = 9;
    cr_assert_eq(env_diff(&a, &b, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "");

    replace(&b.cpu_model, "AMD EPYC 7B13");
    replace(&b.kernel, "6.8.0 #1");
    cr_assert_eq(env_diff(&a, &b, buf, sizeof buf), 2);
    cr_assert_str_eq(buf, "cpu_model, kernel");

    replace(&b.turbo, NULL);
    b.memory_bytes = 8ULL << 30;
    replace(&b.cflags, "-O0");
    cr_assert_eq(env_diff(&a, &b, buf, sizeof buf), 5);
    cr_assert_str_eq(buf, "cpu_model, memory_bytes, kernel, turbo, cflags");
    cr_assert_eq(env_diff(&b, &a, buf, sizeof buf), 5);

    /* a short buffer is cut, never overrun; the count stays right */
    cr_assert_eq(env_diff(&a, &b, buf, 8), 5);
    cr_assert_eq(strlen(buf), 7);
    cr_assert_eq(env_diff(&a, &b, NULL, 0), 5);

    context_free(&a);
    context_free(&b);
}

/* ---- warnings ----------------------------------------------------------- */

Test(env, warn_about_governor_turbo_and_load, .init = cr_redirect_stderr)
{
    struct context c;

    fake_context(&c);
    replace(&c.governor, "powersave");
    replace(&c.turbo, "on");
    c.cpus = 2;
    c.loadavg[0] = 1.52;
    cr_assert_eq(env_warn(stderr, &c), 3);
    fflush(stderr);
    cr_assert_stderr_eq_str(
        "pacer: warning: cpu governor is 'powersave', not 'performance': timings will drift\n"
        "pacer: warning: turbo boost is on: timings will drift\n"
        "pacer: warning: machine is loaded: load average 1.52 on 2 cpus\n");
    context_free(&c);
}

Test(env, no_warning_on_a_quiet_machine, .init = cr_redirect_stderr)
{
    struct context c;

    fake_context(&c);
    cr_assert_eq(env_warn(stderr, &c), 0);
    replace(&c.governor, NULL);
    replace(&c.turbo, NULL);
    c.loadavg[0] = 1.0;   /* exactly half of 2 cpus is not loaded */
    cr_assert_eq(env_warn(stderr, &c), 0);
    fflush(stderr);
    cr_assert_stderr_eq_str("");
    context_free(&c);
}
