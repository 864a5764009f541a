/* segrec.c: a load segment's identity in result files (segrec.h). */
#include "segrec.h"

#include <math.h>
#include <stdlib.h>

#include "isotime.h"
#include "jsonwrite.h"

json_t *segment_json(const struct result *r)
{
    const struct run_segment *s = &r->seg;
    json_t *o = json_object(), *c = json_object();
    int rc = 0;

    if (!o || !c) {
        json_decref(o);
        json_decref(c);
        return NULL;
    }
    rc |= jw_put(o, "run_id", jw_str(s->run_id));
    rc |= jw_put(o, "index", json_integer(s->index));
    rc |= jw_put(o, "count", json_integer(s->count));
    rc |= jw_put(o, "start_at", jw_str(s->start_at));
    rc |= jw_put(o, "start_lag_s", jw_real(s->start_lag_s));
    rc |= jw_put(c, "offset_s", jw_real(s->clock_offset_s));
    rc |= jw_put(c, "max_error_s", jw_real(s->clock_maxerror_s));
    rc |= jw_put(c, "synced", s->clock_synced < 0 ? json_null() : json_boolean(s->clock_synced));
    rc |= jw_put(o, "clock", c);
    if (r->merge)
        rc |= jw_put(o, "merge", json_incref(r->merge));
    return jw_done(o, rc);
}

/* "clock": the host clock's error, its bound and whether it is synced. */
static int read_clock(const struct jr *rd, const json_t *so, struct run_segment *s)
{
    const json_t *c;

    if (jr_get_obj(rd, so, "segment", "clock", JR_NUL, &c) < 0)
        return -1;
    if (!c)
        return 0;
    if (jr_get_num(rd, c, "segment.clock", "offset_s", JR_NUL, &s->clock_offset_s) < 0 ||
        jr_get_num(rd, c, "segment.clock", "max_error_s", JR_NUL | JR_NONNEG,
                   &s->clock_maxerror_s) < 0 ||
        jr_get_bool(rd, c, "segment.clock", "synced", JR_NUL, &s->clock_synced) < 0)
        return -1;
    return 0;
}

int segment_read(const struct jr *rd, const json_t *root, struct result *r)
{
    struct run_segment *s = &r->seg;
    const json_t *so, *m;
    double t;

    if (jr_get_obj(rd, root, "", "segment", JR_NUL, &so) < 0)
        return -1;
    if (!so)
        return 0;
    if (jr_get_str(rd, so, "segment", "run_id", JR_REQ | JR_NONEMPTY, &s->run_id) < 0 ||
        jr_get_uint(rd, so, "segment", "count", JR_REQ, 1, &s->count) < 0 ||
        jr_get_uint(rd, so, "segment", "index", JR_REQ, 0, &s->index) < 0)
        return -1;
    if (s->index > s->count)
        return jr_fail(rd, "segment.index", "%u is past count %u", s->index, s->count);
    if (jr_get_str(rd, so, "segment", "start_at", JR_NUL | JR_NONEMPTY, &s->start_at) < 0)
        return -1;
    if (s->start_at && iso_time_parse(s->start_at, &t) < 0)
        return jr_fail(rd, "segment.start_at", "not a UTC ISO 8601 time: %s", s->start_at);
    if (jr_get_num(rd, so, "segment", "start_lag_s", JR_NUL, &s->start_lag_s) < 0 ||
        read_clock(rd, so, s) < 0)
        return -1;
    if (jr_get_obj(rd, so, "segment", "merge", JR_NUL, &m) < 0)
        return -1;
    if (m)
        r->merge = json_deep_copy(m);
    if (m && !r->merge)
        return jr_oom(rd);
    return 0;
}
