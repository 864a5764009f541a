/* cmdcount.c: command runs counted under callgrind (cmdcount.h). */
#include "cmdcount.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/result/jsonread.h"
#include "tmpfiles.h"

static const char *const head[] = {"valgrind", "--tool=callgrind", "--cache-sim=yes",
                                   "--trace-children=yes", "--compress-strings=no", "-q"};
#define NHEAD (sizeof head / sizeof head[0])

int cmdcount_wrap(struct cmdcount *cc, char *const *argv, struct err *e)
{
    size_t n = 0, i;

    memset(cc, 0, sizeof *cc);
    if (tmp_dir_make(cc->dir, sizeof cc->dir, "pacer-counts", e) < 0)
        return -1;
    snprintf(cc->outfile, sizeof cc->outfile, "--callgrind-out-file=%s/cg.%%p", cc->dir);
    while (argv[n])
        n++;
    if (!(cc->argv = calloc(NHEAD + n + 2, sizeof *cc->argv)))
        return err_set(e, "out of memory");
    for (i = 0; i < NHEAD; i++)
        cc->argv[i] = (char *)head[i];
    cc->argv[NHEAD] = cc->outfile;
    for (i = 0; i < n; i++)
        cc->argv[NHEAD + 1 + i] = argv[i];
    return 0;
}

int cmdcount_collect(struct cmdcount *cc, struct counts *sum, struct err *e)
{
    DIR *d = opendir(cc->dir);
    struct dirent *de;
    int rc = 0, files = 0;

    memset(sum, 0, sizeof *sum);
    if (!d)
        return err_set(e, "cannot read %s: %s", cc->dir, strerror(errno));
    while ((de = readdir(d))) {
        char path[4400], *text;
        size_t len;
        struct counts c;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", cc->dir, de->d_name);
        if (rc == 0 && jr_read_file(path, &text, &len, e) == 0) {
            if (counts_parse(text, &c, e) == 0) {
                sum->ir += c.ir;
                sum->cycles += c.cycles;
                files++;
            } else
                rc = -1;
            free(text);
        } else
            rc = -1;
        unlink(path);
    }
    closedir(d);
    if (rc == 0 && files == 0)
        rc = err_set(e, "callgrind wrote no counts (did the command start?)");
    return rc;
}

void cmdcount_free(struct cmdcount *cc)
{
    struct counts c;
    struct err e = {0};

    if (cc->dir[0]) {
        cmdcount_collect(cc, &c, &e);   /* removes what is left */
        rmdir(cc->dir);
    }
    free(cc->argv);
    memset(cc, 0, sizeof *cc);
}
