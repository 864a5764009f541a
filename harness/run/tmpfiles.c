/* tmpfiles.c: scratch folders and moved files (tmpfiles.h). */
#include "tmpfiles.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tmp_dir_make(char *dir, size_t len, const char *prefix, struct err *e)
{
    const char *t = getenv("TMPDIR");

    snprintf(dir, len, "%s/%s-XXXXXX", t && *t ? t : "/tmp", prefix);
    if (!mkdtemp(dir)) {
        int err = errno;
        dir[0] = '\0';
        return err_set(e, "cannot make a folder in %s: %s", t && *t ? t : "/tmp", strerror(err));
    }
    return 0;
}

int tmp_file_make(char *path, size_t len, const char *prefix, struct err *e)
{
    const char *t = getenv("TMPDIR");
    int fd;

    snprintf(path, len, "%s/%s-XXXXXX", t && *t ? t : "/tmp", prefix);
    if ((fd = mkstemp(path)) < 0) {
        int err = errno;
        path[0] = '\0';
        return err_set(e, "cannot make a file in %s: %s", t && *t ? t : "/tmp", strerror(err));
    }
    close(fd);
    return 0;
}

void tmp_dir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[4400];

    if (d) {
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

int file_move(const char *from, const char *to)
{
    char buf[65536];
    FILE *in, *out;
    size_t n;
    int bad = 0, err;

    if (rename(from, to) == 0)
        return 0;
    if (errno != EXDEV || !(in = fopen(from, "rb")))
        return -1;
    if (!(out = fopen(to, "wb"))) {
        err = errno;
        fclose(in);
        errno = err;
        return -1;
    }
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        bad |= fwrite(buf, 1, n, out) != n;
    bad |= ferror(in);
    fclose(in);
    if (fclose(out) != 0 || bad) {
        err = errno ? errno : EIO;
        unlink(to);
        errno = err;
        return -1;
    }
    unlink(from);
    return 0;
}
