/*
 * capres.c: the record of a capacity search (capres.h), and its JSON: a
 * benchmark's "capacity" object, written and read back with every field
 * typed and checked.
 */
#include "capres.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonwrite.h"

static const char *const status_names[] = {"found", "unconfirmed", "limited", "none"};

const char *capacity_status_name(enum capacity_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

int capacity_status_parse(const char *s, enum capacity_status *out)
{
    size_t i;

    for (i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum capacity_status)i;
            return 0;
        }
    return -1;
}

int capacity_add_step(struct capacity *c, const struct capacity_step *step)
{
    struct capacity_step *v = realloc(c->steps, (c->nsteps + 1) * sizeof *v);

    if (!v)
        return -1;
    c->steps = v;
    v[c->nsteps] = *step;
    v[c->nsteps].why = NULL;
    if (step->why && !(v[c->nsteps].why = strdup(step->why)))
        return -1;
    c->nsteps++;
    return 0;
}

int capacity_add_objective(struct capacity *c, const char *text)
{
    char **v = realloc(c->objectives, (c->nobjectives + 1) * sizeof *v);

    if (!v)
        return -1;
    c->objectives = v;
    if (!(v[c->nobjectives] = strdup(text)))
        return -1;
    c->nobjectives++;
    return 0;
}

void capacity_free(struct capacity *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->nobjectives; i++)
        free(c->objectives[i]);
    free(c->objectives);
    for (i = 0; i < c->nsteps; i++)
        free(c->steps[i].why);
    free(c->steps);
    memset(c, 0, sizeof *c);
}

/* ---- writing ------------------------------------------------------------------- */

static json_t *step_to_json(const struct capacity_step *s)
{
    json_t *o = json_object();
    int rc = 0;

    if (!o)
        return NULL;
    rc |= jw_put(o, "rate", jw_real(s->rate));
    rc |= jw_put(o, "achieved", jw_real(s->achieved));
    rc |= jw_put(o, "p50", jw_count(s->p50));
    rc |= jw_put(o, "p90", jw_count(s->p90));
    rc |= jw_put(o, "p99", jw_count(s->p99));
    rc |= jw_put(o, "p999", jw_count(s->p999));
    rc |= jw_put(o, "errors", jw_real(s->errors));
    rc |= jw_put(o, "pass", json_boolean(s->pass));
    rc |= jw_put(o, "valid", json_boolean(s->valid));
    rc |= jw_put(o, "confirm", json_boolean(s->confirm));
    rc |= jw_put(o, "why", s->why ? jw_str(s->why) : json_null());
    return jw_done(o, rc);
}

json_t *capacity_to_json(const struct capacity *c)
{
    json_t *o = json_object(), *objs = json_array(), *steps = json_array(),
           *br = json_array();
    size_t i;
    int rc = 0;

    if (!o || !objs || !steps || !br) {
        json_decref(o);
        json_decref(objs);
        json_decref(steps);
        json_decref(br);
        return NULL;
    }
    for (i = 0; i < c->nobjectives; i++)
        rc |= jw_push(objs, jw_str(c->objectives[i]));
    for (i = 0; i < c->nsteps; i++)
        rc |= jw_push(steps, step_to_json(&c->steps[i]));
    rc |= jw_push(br, jw_real(c->low));
    rc |= jw_push(br, jw_real(c->high));
    rc |= jw_put(o, "objectives", objs);
    rc |= jw_put(o, "status", json_string(capacity_status_name(c->status)));
    rc |= jw_put(o, "answer", jw_real(c->answer));
    rc |= jw_put(o, "bracket", br);
    rc |= jw_put(o, "precision", jw_real(c->precision));
    rc |= jw_put(o, "steps", steps);
    return jw_done(o, rc);
}

/* ---- reading ------------------------------------------------------------------- */

static int step_from_json(const struct jr *rd, const json_t *o, const char *path,
                          struct capacity_step *s)
{
    memset(s, 0, sizeof *s);
    if (!json_is_object(o))
        return jr_expected(rd, path, "object", o);
    if (jr_get_num(rd, o, path, "rate", JR_REQ | JR_NONNEG, &s->rate) < 0 ||
        jr_get_num(rd, o, path, "achieved", JR_REQ | JR_NONNEG | JR_NUL, &s->achieved) < 0 ||
        jr_get_u64(rd, o, path, "p50", JR_REQ, 0, &s->p50) < 0 ||
        jr_get_u64(rd, o, path, "p90", JR_REQ, 0, &s->p90) < 0 ||
        jr_get_u64(rd, o, path, "p99", JR_REQ, 0, &s->p99) < 0 ||
        jr_get_u64(rd, o, path, "p999", JR_REQ, 0, &s->p999) < 0 ||
        jr_get_num(rd, o, path, "errors", JR_REQ | JR_NONNEG | JR_NUL, &s->errors) < 0 ||
        jr_get_bool(rd, o, path, "pass", JR_REQ, &s->pass) < 0 ||
        jr_get_bool(rd, o, path, "valid", JR_REQ, &s->valid) < 0 ||
        jr_get_bool(rd, o, path, "confirm", 0, &s->confirm) < 0 ||
        jr_get_str(rd, o, path, "why", JR_NUL, &s->why) < 0)
        return -1;
    return 0;
}

/* The bracket [low, high] (numbers or null) into c. */
static int bracket_from_json(const struct jr *rd, const json_t *o, const char *path,
                             struct capacity *c)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const json_t *a;

    if (jr_get_arr(rd, o, path, "bracket", JR_REQ, &a) < 0)
        return -1;
    jr_join(p, path, "bracket");
    if (json_array_size(a) != 2)
        return jr_fail(rd, p, "expected [low, high], got %zu values", json_array_size(a));
    if (jr_num(rd, json_array_get(a, 0), jr_index(q, p, 0), JR_NUL | JR_NONNEG, &c->low) < 0 ||
        jr_num(rd, json_array_get(a, 1), jr_index(q, p, 1), JR_NUL | JR_NONNEG, &c->high) < 0)
        return -1;
    if (c->low > c->high)
        return jr_fail(rd, p, "low %g is above high %g", c->low, c->high);
    return 0;
}

static int from_json(const struct jr *rd, const json_t *obj, const char *path,
                     struct capacity *c)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN], st[JR_QUOTE_BUF];
    const json_t *objs, *steps, *v;
    const char *status;
    size_t i;

    if (!json_is_object(obj))
        return jr_expected(rd, path, "object", obj);
    if (jr_get_arr(rd, obj, path, "objectives", JR_REQ, &objs) < 0 ||
        jr_get_cstr(rd, obj, path, "status", JR_REQ, &status) < 0 ||
        jr_get_num(rd, obj, path, "answer", JR_REQ | JR_NONNEG, &c->answer) < 0 ||
        jr_get_num(rd, obj, path, "precision", JR_REQ | JR_NONNEG, &c->precision) < 0 ||
        bracket_from_json(rd, obj, path, c) < 0 ||
        jr_get_arr(rd, obj, path, "steps", JR_REQ, &steps) < 0)
        return -1;
    if (capacity_status_parse(status, &c->status) < 0)
        return jr_fail(rd, jr_join(p, path, "status"), "unknown status %s (expected found, "
                       "unconfirmed, limited or none)", jr_quote(st, sizeof st, status));
    jr_join(p, path, "objectives");
    json_array_foreach(objs, i, v) {
        if (!json_is_string(v))
            return jr_expected(rd, jr_index(q, p, i), "string", v);
        if (capacity_add_objective(c, json_string_value(v)) < 0)
            return jr_oom(rd);
    }
    jr_join(p, path, "steps");
    json_array_foreach(steps, i, v) {
        struct capacity_step s;
        int rc = step_from_json(rd, v, jr_index(q, p, i), &s);
        if (rc == 0 && capacity_add_step(c, &s) < 0)
            rc = jr_oom(rd);
        free(s.why);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int capacity_from_json(const struct jr *rd, const json_t *obj, const char *path,
                       struct capacity *c)
{
    memset(c, 0, sizeof *c);
    c->low = c->high = NAN;
    if (from_json(rd, obj, path, c) < 0) {
        capacity_free(c);
        return -1;
    }
    return 0;
}
