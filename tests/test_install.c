/*
 * test_install.c: `make install` (the Makefile's install and man rules) as
 * a user runs it, into a scratch PREFIX: pacer, pacer.h, libpacer.a, a
 * pkg-config file a benchmark builds with, the Python module pacer.py
 * (which the installed pacer runs Python benchmark files with), the man
 * pages (pacer(1) and one per command, rendered by man), and the bash and
 * zsh completions (the bash one completing commands and a command's
 * options).  make inherits the build's variables (MAKEFLAGS) when the
 * tests run under make check, so it installs what was built rather than
 * building anew.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(install, .init = tmp_setup, .fini = tmp_teardown, .timeout = 300);

/* The output of a shell command, as a new string. */
static char *capture(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;

    cr_assert_not_null(f, "%s", cmd);
    while ((c = fgetc(f)) != EOF)
        fputc(c, m);
    cr_assert_eq(pclose(f), 0, "%s failed", cmd);
    fclose(m);
    return buf;
}

Test(install, a_prefix_holds_everything_and_it_works)
{
    const char *pre = tmp_path("prefix");
    const char *build = getenv("PACER_BUILD");
    char cmd[2048], path[1024];
    const char *files[] = {"bin/pacer", "include/pacer.h", "lib/libpacer.a",
                           "lib/pkgconfig/pacer.pc", "share/man/man1/pacer.1",
                           "share/man/man1/pacer-run.1", "share/man/man1/pacer-compare.1",
                           "share/man/man1/pacer-load.1",
                           "share/bash-completion/completions/pacer",
                           "share/zsh/site-functions/_pacer", "lib/pacer/python/pacer.py",
                           NULL};
    char *s;
    size_t i;

    snprintf(cmd, sizeof cmd, "make -s install PREFIX=%s BUILD=%s >/dev/null 2>&1", pre,
             build && *build ? build : "build");
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    for (i = 0; files[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", pre, files[i]);
        cr_expect(nonempty(path), "%s missing", files[i]);
    }

    /* a benchmark built with pkg-config's flags, run on its own */
    write_spin_bench(tmp_path("b.c"));
    snprintf(cmd, sizeof cmd,
             "cd %s && PKG_CONFIG_PATH=%s/lib/pkgconfig cc -O2 b.c $(PKG_CONFIG_PATH=%s/lib/"
             "pkgconfig pkg-config --cflags --libs pacer) -o b && ./b --list",
             tmp_dir(), pre, pre);
    s = capture(cmd);
    cr_expect_str_eq(s, "spin\n");
    free(s);

    /* the installed pacer runs a Python benchmark file with the installed
     * pacer.py (its file name is what the benchmark writes) */
    write_file(tmp_path("b.py"), "import os, pacer\n"
                                 "open(os.path.join(os.path.dirname(__file__), 'where'), 'w')"
                                 ".write(pacer.__file__)\n"
                                 "@pacer.bench\ndef nop():\n    pass\n");
    snprintf(cmd, sizeof cmd, "%s/bin/pacer run %s --samples 2 --warmup 1ms --sample-time 1ms "
             ">/dev/null 2>&1", pre, tmp_path("b.py"));
    cr_expect_eq(system(cmd), 0, "%s", cmd);
    s = slurp(tmp_path("where"), NULL);
    cr_assert_not_null(s);
    snprintf(path, sizeof path, "%s/lib/pacer/python/pacer.py", pre);
    cr_expect_str_eq(s, path);
    free(s);

    /* the man pages render */
    snprintf(cmd, sizeof cmd, "MANWIDTH=80 man -l %s/share/man/man1/pacer-run.1 2>/dev/null",
             pre);
    s = capture(cmd);
    cr_expect_not_null(strstr(s, "pacer-run - run micro, command and suite benchmarks"), "%s",
                       s);
    cr_expect_not_null(strstr(s, "--ci-target"), "%s", s);
    free(s);

    /* bash completes commands, a command's options, and the shells */
    snprintf(cmd, sizeof cmd,
             "bash -c 'PATH=%s/bin:$PATH; . %s/share/bash-completion/completions/pacer; "
             "COMP_WORDS=(pacer co); COMP_CWORD=1; _pacer; echo \"${COMPREPLY[@]}\"; "
             "COMP_WORDS=(pacer compare --basi); COMP_CWORD=2; _pacer; echo \"${COMPREPLY[@]}\"'",
             pre, pre);
    s = capture(cmd);
    cr_expect_str_eq(s, "compare\n--basis\n");
    free(s);
    snprintf(path, sizeof path, "%s/share/zsh/site-functions/_pacer", pre);
    s = slurp(path, NULL);
    cr_expect(strncmp(s, "#compdef pacer\n", 15) == 0);
    free(s);
}

Test(install, completion_of_an_unknown_shell_is_refused)
{
    struct out o = pacer_run(0, "--completion", "fish", NULL);

    cr_assert_eq(o.code, 2);
    cr_assert_str_eq(o.stderr_s, "pacer: --completion: 'fish' is not a shell pacer completes "
                                 "(bash or zsh)\n");
    out_free(&o);
}
