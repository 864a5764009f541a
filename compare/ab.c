/* ab.c: the two sides of an A/B result (ab.h). */
#include "ab.h"

#include <string.h>

int ab_is_result(const struct result *r)
{
    return r->ab != NULL;
}

void ab_base_view(const struct result *r, struct result *view)
{
    memset(view, 0, sizeof *view);
    view->schema_major = r->schema_major;
    view->schema_minor = r->schema_minor;
    view->suite = r->suite;
    view->complete = r->complete;
    view->ctx = r->ctx;
    view->set = r->set;
    view->benches = r->ab ? r->ab->base : NULL;
    view->nbenches = r->ab ? r->ab->nbase : 0;
}
