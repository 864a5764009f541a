/* site_assets.c: the scripts and styles a report site carries
 * (site/assets/: pacer-site.js and .css, and uPlot 1.6.32 with its MIT
 * licence), built into pacer (the Makefile makes site_assets.h of them)
 * and written into the site, so that it needs no network to be viewed. */
#include "site_private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct asset {
    const char *name;
    const unsigned char *data;
    size_t size;
};

#include "site_assets.h"

int site_assets(const char *dir, struct err *e)
{
    char path[4096], tmp[4200];

    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
        FILE *f;
        int bad;

        snprintf(path, sizeof path, "%s/assets/%s", dir, assets[i].name);
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        if (!(f = fopen(tmp, "w")))
            return err_set(e, "%s: cannot write: %s", tmp, strerror(errno));
        bad = fwrite(assets[i].data, 1, assets[i].size, f) != assets[i].size;
        bad |= fclose(f) != 0;
        if (bad || rename(tmp, path) != 0) {
            err_set(e, "%s: cannot write: %s", path, strerror(errno ? errno : EIO));
            unlink(tmp);
            return -1;
        }
    }
    return 0;
}
