/*
 * pacer_exec.h: running a built program (the pacer binary) from a test and
 * keeping its exit code, stdout and stderr.  Header only: the tests that run
 * pacer end to end include it.
 */
#ifndef PACER_TESTS_EXEC_H
#define PACER_TESTS_EXEC_H

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct out {
    char *stdout_s, *stderr_s;   /* all of it, NUL-terminated */
    int code;                    /* exit code, or 128 + signal */
};

/* All of fd's file, from its start (then closed). */
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

/* Run bin with args (NULL-terminated, without argv[0]); send it SIGINT after
 * sigint_ms when that is positive. */
static inline struct out pacer_exec(const char *bin, int sigint_ms, const char *const *args)
{
    const char *argv[64];
    char po[] = "/tmp/pacer-test-out-XXXXXX", pe[] = "/tmp/pacer-test-err-XXXXXX";
    struct out o;
    int n = 0, fo, fe, st;
    pid_t pid;

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
        execv(bin, (char *const *)argv);
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

/* The same with the arguments as a variadic list ending in NULL. */
#define PACER_EXEC_VARIADIC(bin, sigint_ms, first)                                          \
    do {                                                                                     \
        const char *args_[64];                                                               \
        int n_ = 0;                                                                          \
        va_list ap_;                                                                         \
        va_start(ap_, first);                                                                \
        for (const char *a_ = first; a_ && n_ < 63; a_ = va_arg(ap_, const char *))          \
            args_[n_++] = a_;                                                                \
        va_end(ap_);                                                                         \
        args_[n_] = NULL;                                                                    \
        return pacer_exec(bin, sigint_ms, args_);                                            \
    } while (0)

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

/* Remove a test's temporary directory and everything in it. */
static inline void tmpdir_remove(const char *dir)
{
    char cmd[600];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", dir);
}

static inline void out_free(struct out *o)
{
    free(o->stdout_s);
    free(o->stderr_s);
    o->stdout_s = o->stderr_s = NULL;
}

#endif
