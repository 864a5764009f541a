/* suite_scenarios.c: the load "scenarios" of a suite file (suite.h). */
#include "suite_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "harness/result/limit.h"
#include "harness/result/loadlimit.h"
#include "harness/result/loadres.h"
#include "placeholder.h"

/* An integer, or a non-empty array of them (*axis set), into *out (n
 * values; *out holds a one-value default that a scalar overwrites). */
static int get_counts(const struct sr *c, const json_t *v, const char *p, long long lo,
                      long long hi, unsigned **out, size_t *n, int *axis)
{
    json_t *x;
    size_t i;

    if (json_is_array(v)) {
        if (json_array_size(v) == 0)
            return jr_fail(&c->jr, p, "empty list");
        *axis = 1;
        *n = json_array_size(v);
        free(*out);
        if (!(*out = calloc(*n, sizeof **out)))
            return sr_oom(c);
        json_array_foreach(v, i, x) {
            char ip[JR_PATH_LEN];
            if (sr_count(c, x, jr_index(ip, p, i), lo, hi, &(*out)[i]) < 0)
                return -1;
        }
        return 0;
    }
    if (!json_is_integer(v))
        return jr_fail(&c->jr, p, "expected an integer from %lld to %lld or an array of them, "
                                  "got %s", lo, hi, jr_type(v));
    *n = 1;
    if (!*out && !(*out = calloc(1, sizeof **out)))
        return sr_oom(c);
    return sr_count(c, v, p, lo, hi, &(*out)[0]);
}

static int get_rate(const struct sr *c, const json_t *v, const char *p, double *out)
{
    if (!json_is_number(v))
        return jr_fail(&c->jr, p,
                       "expected a rate in requests/s (a number >= 0; 0: closed loop), got %s",
                       jr_type(v));
    *out = json_number_value(v);
    if (!(*out >= 0) || *out > 1e8)
        return jr_fail(&c->jr, p, "expected a rate from 0 (closed loop) to 1e8 requests/s");
    return 0;
}

static int get_rates(const struct sr *c, const json_t *v, const char *p,
                     struct suite_scenario *sc)
{
    json_t *x;
    size_t i;

    if (!json_is_array(v)) {
        if (!json_is_number(v))
            return jr_fail(&c->jr, p, "expected a rate in requests/s (a number >= 0; 0: closed "
                                      "loop) or an array of them, got %s", jr_type(v));
        return get_rate(c, v, p, &sc->rates[0]);
    }
    if (json_array_size(v) == 0)
        return jr_fail(&c->jr, p, "empty list");
    free(sc->rates);
    sc->rate_axis = 1;
    sc->nrates = json_array_size(v);
    if (!(sc->rates = calloc(sc->nrates, sizeof *sc->rates)))
        return sr_oom(c);
    json_array_foreach(v, i, x) {
        char ip[JR_PATH_LEN];
        if (get_rate(c, x, jr_index(ip, p, i), &sc->rates[i]) < 0)
            return -1;
    }
    return 0;
}

static int parse_thresholds(const struct sr *c, const json_t *v, const char *p,
                            struct suite_scenario *sc)
{
    size_t i;

    if (sr_strings(c, v, p, &sc->thresholds, &sc->nthresholds) < 0)
        return -1;
    if (sc->nthresholds && !(sc->limits = calloc(sc->nthresholds, sizeof *sc->limits)))
        return sr_oom(c);
    for (i = 0; i < sc->nthresholds; i++) {
        struct limit *l = &sc->limits[i];
        struct err le = {0};
        char ip[JR_PATH_LEN];
        jr_index(ip, p, i);
        /* checked as the file is read, before any target starts */
        if (load_limit_parse(sc->thresholds[i], l, &le) < 0)
            return jr_fail(&c->jr, ip, "%s", le.msg);
    }
    return 0;
}

/* "capacity": an objective or a list of them (capacity.h), parsed now. */
static int parse_capacity(const struct sr *c, const json_t *v, const char *p,
                          struct suite_scenario *sc)
{
    struct err le = {0};

    if (json_is_string(v)) {
        if (!(sc->capacity = calloc(2, sizeof *sc->capacity)) ||
            !(sc->capacity[0] = strdup(json_string_value(v))))
            return sr_oom(c);
        sc->ncapacity = 1;
    } else if (sr_strings(c, v, p, &sc->capacity, &sc->ncapacity) < 0)
        return -1;
    if (capacity_goal_parse((const char *const *)sc->capacity, sc->ncapacity, &sc->goal, &le) < 0)
        return jr_fail(&c->jr, p, "%s", le.msg);
    return 0;
}

/* With "capacity": its own settings read, and what a search cannot go
 * with refused (it chooses the rates; one search, one confirming run). */
static int check_capacity(const struct sr *c, const json_t *it, const char *path,
                          struct suite_scenario *sc)
{
    static const char *const clash[] = {"rate", "stages", "rate_stages", "flows",
                                        "repetitions", NULL};
    static const char *const why[] = {"the search chooses the rates", "each step is one rate",
                                      "each step is one rate", "a step is one request",
                                      "one search, one confirming run"};
    const json_t *v;
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    double pct;
    size_t i;

    if (!sc->ncapacity) {
        for (i = 0; i < sc->nthresholds; i++)
            if (!strcmp(sc->limits[i].metric, "capacity") ||
                !strncmp(sc->limits[i].metric, "capacity.", 9))
                return jr_fail(&c->jr, jr_index(q, jr_join(p, path, "thresholds"), i),
                               "the capacity is a capacity search's: give \"capacity\"");
        for (i = 0; i < 2; i++)
            if (json_object_get(it, i ? "capacity_precision" : "capacity_step"))
                return jr_fail(&c->jr, jr_join(p, path, i ? "capacity_precision"
                                                          : "capacity_step"),
                               "only with \"capacity\"");
        return 0;
    }
    for (i = 0; clash[i]; i++)
        if (json_object_get(it, clash[i]))
            return jr_fail(&c->jr, jr_join(p, path, clash[i]), "not with \"capacity\" (%s)",
                           why[i]);
    sc->repetitions = 1;
    sc->capacity_precision = CAPACITY_PRECISION;
    sc->capacity_step_ns = CAPACITY_STEP_NS;
    if ((v = json_object_get(it, "capacity_step")) &&
        (sr_duration(c, v, jr_join(p, path, "capacity_step"), &sc->capacity_step_ns) < 0))
        return -1;
    if (sc->capacity_step_ns < 100000000ull)
        return jr_fail(&c->jr, jr_join(p, path, "capacity_step"), "at least 100ms");
    if ((v = json_object_get(it, "capacity_precision"))) {
        jr_join(p, path, "capacity_precision");
        if (!json_is_string(v) || fmt_parse_percent(json_string_value(v), &pct) < 0 ||
            !(pct >= 0.001) || pct > 1)
            return jr_fail(&c->jr, p, "expected a percentage from \"0.1%%\" to \"100%%\"");
        sc->capacity_precision = pct;
    }
    return 0;
}

/* One stage (v, at path p): {"duration": "30s", "target": 200}. */
static int get_stage(const struct sr *c, const json_t *v, const char *p, struct load_stage *st)
{
    static const char *const known[] = {"duration", "target", NULL};
    char q[JR_PATH_LEN];
    const json_t *d;

    if (!json_is_object(v))
        return jr_fail(&c->jr, p, "expected a stage {\"duration\": \"30s\", \"target\": N}, "
                                  "got %s", jr_type(v));
    if (sr_keys(c, v, p, known) < 0)
        return -1;
    if (!(d = json_object_get(v, "duration")))
        return jr_fail(&c->jr, jr_join(q, p, "duration"), "missing");
    jr_join(q, p, "duration");
    if ((json_is_number(d) && json_number_value(d) < 0) ||
        (json_is_string(d) && json_string_value(d)[0] == '-'))
        return jr_fail(&c->jr, q, "negative duration");
    if (sr_duration(c, d, q, &st->duration_ns) < 0)
        return -1;
    if (!st->duration_ns)
        return jr_fail(&c->jr, q, "must be above zero");
    if (jr_get_num(&c->jr, v, p, "target", JR_REQ | JR_NONNEG, &st->target) < 0)
        return -1;
    if (st->target > 1e8)
        return jr_fail(&c->jr, jr_join(q, p, "target"), "above 1e8");
    return 0;
}

/* "stages" (users, closed loop) or "rate_stages" (arrivals/s, open loop):
 * a non-empty list of stages, one list a scenario. */
static int get_stages(const struct sr *c, const json_t *v, const char *p, const char *key,
                      struct suite_scenario *sc)
{
    const json_t *x;
    size_t i, n;

    if (sc->stages)
        return jr_fail(&c->jr, p, "a scenario has \"stages\" (users) or \"rate_stages\" "
                                  "(arrivals/s), not both");
    if (!json_is_array(v) || !(n = json_array_size(v)))
        return jr_fail(&c->jr, p, "expected a non-empty list of stages, got %s",
                       json_is_array(v) ? "an empty list" : jr_type(v));
    if (!(sc->stages = calloc(n, sizeof *sc->stages)))
        return sr_oom(c);
    json_array_foreach(v, i, x) {
        char ip[JR_PATH_LEN];
        if (get_stage(c, x, jr_index(ip, p, i), &sc->stages[i]) < 0)
            return -1;
    }
    if (load_stage_peak(sc->stages, n) <= 0)
        return jr_fail(&c->jr, p, "every stage's target is 0: nothing would be sent");
    if (!strcmp(key, "stages")) {
        sc->load.stages = sc->stages;
        sc->load.nstages = n;
    } else {
        sc->load.rate_stages = sc->stages;
        sc->load.nrate_stages = n;
    }
    return 0;
}

/* With stages, what they set is not given too (connections with users;
 * rate; duration; warmup, as the shape is measured whole); then the
 * scenario's one point takes their peak and sum. */
static int check_stages(const struct sr *c, const json_t *it, const char *path,
                        struct suite_scenario *sc)
{
    static const char *const users[] = {"connections", "users", "rate", "duration", "warmup",
                                        NULL};
    static const char *const rate[] = {"rate", "duration", "warmup", NULL};
    const char *const *not = sc->load.nstages ? users : rate;
    char p[JR_PATH_LEN];
    size_t i;

    if (!sc->stages)
        return 0;
    for (i = 0; not[i]; i++)
        if (json_object_get(it, not[i]))
            return jr_fail(&c->jr, jr_join(p, path, not[i]), "not with \"%s\": %s",
                           sc->load.nstages ? "stages" : "rate_stages",
                           i <= 1 && sc->load.nstages ? "the stages set the users"
                           : !strcmp(not[i], "rate") ? "the stages set the load"
                           : !strcmp(not[i], "duration") ? "the duration is the stages' sum"
                           : "the shape is measured whole (make the ramp-up its first stage)");
    load_opts_shape(&sc->load);
    if (sc->load.nstages)   /* the users' peak; rate stages keep "connections" */
        sc->connections[0] = sc->load.connections;
    sc->rates[0] = sc->load.rate;
    return 0;
}

/* The load settings a scenario shares with pacer load. */
static int parse_load(const struct sr *c, const json_t *it, const char *path,
                      struct suite_scenario *sc)
{
    struct load_opts *o = &sc->load;
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)it, key, v) {
        char p[JR_PATH_LEN];
        unsigned u;
        jr_pathf(p, "%s.%s", path, key);
        if (!strcmp(key, "connections") || !strcmp(key, "users")) {
            if (json_object_get(it, "connections") && json_object_get(it, "users"))
                return jr_fail(&c->jr, p, "give \"users\" or \"connections\", not both");
            if (get_counts(c, v, p, 1, 1000000, &sc->connections, &sc->nconnections,
                           &sc->connections_axis) < 0)
                return -1;
        } else if (!strcmp(key, "rate")) {
            if (get_rates(c, v, p, sc) < 0)
                return -1;
        } else if (!strcmp(key, "threads")) {
            if (sr_count(c, v, p, 1, 256, &o->threads) < 0)
                return -1;
        } else if (!strcmp(key, "pipeline")) {
            if (sr_count(c, v, p, 1, 1024, &o->pipeline) < 0)
                return -1;
        } else if (!strcmp(key, "digits")) {
            if (sr_count(c, v, p, 1, 5, &u) < 0)
                return -1;
            o->digits = (int)u;
        } else if (!strcmp(key, "repetitions")) {
            if (sr_count(c, v, p, 1, 1000, &sc->repetitions) < 0)
                return -1;
        } else if (!strcmp(key, "seed")) {
            if (!json_is_integer(v) || json_integer_value(v) < 0)
                return jr_fail(&c->jr, p, "expected an integer >= 0, got %s",
                               json_is_integer(v) ? "a negative one" : jr_type(v));
            o->seed = (uint64_t)json_integer_value(v);
        } else if (!strcmp(key, "keepalive") || !strcmp(key, "nap")) {
            if (!json_is_boolean(v))
                return jr_fail(&c->jr, p, "expected boolean, got %s", jr_type(v));
            *(key[0] == 'k' ? &o->keepalive : &o->nap) = json_is_true(v);
        } else if (!strcmp(key, "arrival")) {
            const char *a = json_is_string(v) ? json_string_value(v) : "";
            if (!strcmp(a, "constant"))
                o->arrival = ARRIVAL_CONSTANT;
            else if (!strcmp(a, "poisson"))
                o->arrival = ARRIVAL_POISSON;
            else
                return jr_fail(&c->jr, p, "expected \"constant\" or \"poisson\"");
        } else if (!strcmp(key, "duration") || !strcmp(key, "timeout") ||
                   !strcmp(key, "interval") || !strcmp(key, "late")) {
            uint64_t *dst = key[0] == 'd' ? &o->duration_ns : key[0] == 't' ? &o->timeout_ns
                          : key[0] == 'i' ? &o->interval_ns : &o->late_ns;
            if (sr_duration(c, v, p, dst) < 0)
                return -1;
            if (*dst == 0)
                return jr_fail(&c->jr, p, "must be above zero");
        } else if (!strcmp(key, "warmup")) {
            if (sr_duration(c, v, p, &o->warmup_ns) < 0)
                return -1;
        } else if (!strcmp(key, "headers")) {
            if (sr_strings(c, v, p, &sc->headers, &sc->nheaders) < 0)
                return -1;
        } else if (!strcmp(key, "thresholds")) {
            if (parse_thresholds(c, v, p, sc) < 0)
                return -1;
        } else if (!strcmp(key, "capacity")) {
            if (parse_capacity(c, v, p, sc) < 0)
                return -1;
        } else if (!strcmp(key, "stages") || !strcmp(key, "rate_stages")) {
            if (get_stages(c, v, p, key, sc) < 0)
                return -1;
        }
    }
    return check_stages(c, it, path, sc);
}

/* The url and the request it makes must hold together (scheme, payload,
 * headers), checked now with a stand-in port rather than after minutes of
 * running. */
static int check_request(const struct sr *c, const char *path, struct suite_scenario *sc)
{
    const char *names[] = {"port", NULL}, *values[] = {"1", NULL};
    const char *http_only = sc->method ? "method" : sc->nheaders ? "headers" : sc->body ? "body"
                          : NULL;
    struct load_request rq = {sc->method, (const char *const *)sc->headers, sc->nheaders,
                              sc->body, sc->body ? strlen(sc->body) : 0, sc->payload,
                              sc->framing};
    struct load_opts o = sc->load;
    struct err le = {0};
    char p[JR_PATH_LEN], *url = placeholder_expand(sc->url, names, values), *buf = NULL;
    int rc;

    if (!url)
        return sr_oom(c);
    jr_join(p, path, "url");
    rc = target_url_parse(url, &o.url, &le);
    if (rc == 0 && o.url.scheme == SCHEME_HTTP && (sc->payload || sc->framing)) {
        jr_join(p, path, sc->payload ? "payload" : "framing");
        rc = jr_fail(&c->jr, p, "only for tcp:// urls");
    } else if (rc == 0 && o.url.scheme == SCHEME_TCP && http_only) {
        jr_join(p, path, http_only);
        rc = jr_fail(&c->jr, p, "only for http:// urls");
    } else if (rc == 0 && o.url.scheme == SCHEME_TCP && !sc->payload) {
        jr_join(p, path, "payload");
        rc = jr_fail(&c->jr, p, "missing (a tcp:// url needs the bytes to send)");
    } else if (rc < 0) {
        /* "url 'X': cause" names the url with the stand-in port: name it
         * as written. */
        const char *cause = strstr(le.msg, "': ");
        rc = jr_fail(&c->jr, p, "url '%s': %s", sc->url, cause ? cause + 3 : le.msg);
    } else if ((o.url_text = url, load_prepare(&o, &rq, &buf, &le)) < 0) {
        const char *field = !strncmp(le.msg, "header", 6) ? "headers"
                          : !strncmp(le.msg, "bad method", 10) ? "method"
                          : !strncmp(le.msg, "framing", 7) ? "framing"
                          : sc->payload ? "payload" : "url";
        jr_join(p, path, field);
        rc = jr_fail(&c->jr, p, "%s", le.msg);
    }
    free(buf);
    free(url);
    return rc;
}

/* A scenario of flows: its flows and data read and compiled, and what
 * flows cannot do refused (each user keeps its one connection). */
static int check_flows(const struct sr *c, const json_t *it, const char *path,
                       struct suite_scenario *sc)
{
    static const char *const single[] = {"method", "headers", "body", "payload", "framing",
                                         "pipeline", NULL};
    char p[JR_PATH_LEN];
    size_t i;

    for (i = 0; single[i]; i++)
        if (json_object_get(it, single[i]))
            return jr_fail(&c->jr, jr_join(p, path, single[i]),
                           "not with flows (each step says its own request)");
    if (!sc->load.keepalive)
        return jr_fail(&c->jr, jr_join(p, path, "keepalive"),
                       "a flow's user keeps its connection: not false with flows");
    if (strncmp(sc->url, "http://", 7))
        return jr_fail(&c->jr, jr_join(p, path, "url"), "flows are HTTP: an http:// url");
    return sr_flows(c, it, path, &sc->flows);
}

/* A threshold on a step or a flow ("step:NAME ...") names one of the
 * scenario's: else its check could never pass, found after the run. */
static int check_part_thresholds(const struct sr *c, const char *path,
                                 const struct suite_scenario *sc)
{
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    const char *name;
    size_t i, n;
    int step;

    for (i = 0; i < sc->nthresholds; i++) {
        if (!flow_part_of(sc->thresholds[i], &step, &name, &n) ||
            load_flows_has(sc->flows.nflows ? &sc->flows : NULL, step, name, n))
            continue;
        jr_index(q, jr_join(p, path, "thresholds"), i);
        if (!sc->flows.nflows)
            return jr_fail(&c->jr, q, "%s thresholds are for scenarios of flows",
                           step ? "step:" : "flow:");
        return jr_fail(&c->jr, q, "no %s named '%.*s' in the scenario's flows",
                       step ? "step" : "flow", (int)n, name);
    }
    return 0;
}

/* "target": the index of the target it names (it may go unsaid when the
 * suite has one target); none (unsaid in a suite without targets, or
 * null): a server pacer does not start, SUITE_NO_TARGET. */
static int find_target(const struct sr *c, const json_t *it, const char *path,
                       const struct suite *s, struct suite_scenario *sc)
{
    const char **names, *sug;
    char p[JR_PATH_LEN], *tname = NULL;
    size_t i;

    const json_t *v = json_object_get(it, "target");

    if ((!v && s->ntargets == 0) || json_is_null(v)) {
        sc->target = SUITE_NO_TARGET;
        return 0;
    }
    if (jr_get_str(&c->jr, it, path, "target", s->ntargets != 1 ? JR_REQ : 0, &tname) < 0)
        return -1;
    if (!tname)
        return 0;
    if (!(names = calloc(s->ntargets + 1, sizeof *names))) {
        free(tname);
        return sr_oom(c);
    }
    for (i = 0; i < s->ntargets; i++)
        names[i] = s->targets[i].name;
    for (i = 0; i < s->ntargets && strcmp(names[i], tname); i++)
        ;
    sc->target = i;
    if (i == s->ntargets) {
        sug = jr_suggest(tname, names);
        jr_fail(&c->jr, jr_join(p, path, "target"), "no target named \"%s\"%s%s%s", tname,
                sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
        free(names);
        free(tname);
        return -1;
    }
    free(names);
    free(tname);
    return 0;
}

int sr_scenario(const struct sr *c, const json_t *it, const char *path, struct suite *s,
                size_t idx)
{
    static const char *const known[] = {
        "name", "target", "url", "connections", "threads", "duration", "warmup", "rate",
        "arrival", "pipeline", "keepalive", "nap", "timeout", "method", "headers", "body", "payload",
        "framing", "interval", "late", "digits", "seed", "repetitions", "thresholds", "users",
        "flows", "data", "stages", "rate_stages", "capacity", "capacity_step",
        "capacity_precision", NULL};
    struct suite_scenario *sc = &s->scenarios[idx];
    char p[JR_PATH_LEN], *url = NULL;
    size_t i;

    load_opts_default(&sc->load);
    sc->repetitions = SUITE_REPETITIONS;
    sc->connections = calloc(1, sizeof *sc->connections);
    sc->rates = calloc(1, sizeof *sc->rates);
    if (!sc->connections || !sc->rates)
        return sr_oom(c);
    sc->connections[0] = sc->load.connections;
    sc->nconnections = sc->nrates = 1;
    if (!json_is_object(it))
        return jr_fail(&c->jr, path, "expected object, got %s", jr_type(it));
    if (sr_keys(c, it, path, known) < 0 ||
        jr_get_str(&c->jr, it, path, "name", JR_REQ, &sc->name) < 0 ||
        sr_name(c, sc->name, path) < 0)
        return -1;
    for (i = 0; i < idx; i++)
        if (!strcmp(s->scenarios[i].name, sc->name))
            return jr_fail(&c->jr, jr_join(p, path, "name"), "a second scenario named \"%s\"",
                           sc->name);
    if (find_target(c, it, path, s, sc) < 0 ||
        jr_get_str(&c->jr, it, path, "url", JR_REQ, &url) < 0)
        return -1;
    sc->url = sr_expand(c, url);
    free(url);
    if (sc->url && sc->target == SUITE_NO_TARGET && strstr(sc->url, "{port}"))
        return jr_fail(&c->jr, jr_join(p, path, "url"), "{port} is a target's port, and the "
                       "scenario has none (a server pacer does not start: its own address)");
    if (!sc->url || jr_get_str(&c->jr, it, path, "method", 0, &sc->method) < 0 ||
        jr_get_str(&c->jr, it, path, "body", 0, &sc->body) < 0 ||
        jr_get_str(&c->jr, it, path, "payload", 0, &sc->payload) < 0 ||
        jr_get_str(&c->jr, it, path, "framing", 0, &sc->framing) < 0 ||
        parse_load(c, it, path, sc) < 0)
        return -1;
    if (check_request(c, path, sc) < 0 || check_capacity(c, it, path, sc) < 0)
        return -1;
    if (!json_object_get(it, "flows")) {
        if (json_object_get(it, "data"))
            return jr_fail(&c->jr, jr_join(p, path, "data"), "only for flows");
    } else if (check_flows(c, it, path, sc) < 0)
        return -1;
    return check_part_thresholds(c, path, sc);
}
