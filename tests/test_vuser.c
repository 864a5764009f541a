/*
 * test_vuser.c: virtual users (harness/load/vuser.c) against the asyncio
 * target (suites/targets/aio.py, started by each test on a free loopback
 * port): cookies kept per user, captures by JSON field, header and regular
 * expression carried into later steps, checks that pass and fail, the
 * status a step expects, think time, data from lists and CSV rows, the
 * open loop's iterations, answers too large to read, and the counts of
 * steps and flows adding up to the run's.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/loadgen.h"
#include "harness/run/suite.h"
#include "helpers.h"

static void init(void)
{
    tmp_setup();
}

static void fini(void)
{
    tmp_teardown();
}

TestSuite(vuser, .init = init, .fini = fini, .timeout = 90);

static struct srv aio_start(void)
{
    const char *argv[] = {"/usr/bin/python3", "suites/targets/aio.py", "--port", "0", NULL};

    return srv_exec(argv);
}

struct flowrun {
    struct load_flows fs;
    struct load_opts o;
    struct load_out out;
    char *req;
    char url[96];
};

/* Load the aio target with the flow file text for `ms` milliseconds,
 * closed loop with `users` users (rate 0) or open loop at `rate`. */
/* Stages for the next flow_go (closed loop: users), or none. */
static const struct load_stage *go_stages;
static size_t go_nstages;

static void flow_go(struct flowrun *r, const char *text, unsigned users, double rate,
                    unsigned ms, uint32_t max_body)
{
    struct load_request none = {0};
    struct err e = {0};
    struct srv s;
    char *path = tmp_path("flow.json");

    memset(r, 0, sizeof *r);
    write_file(path, text);
    cr_assert_eq(flowfile_load(path, &r->fs, &e), 0, "%s", e.msg);
    r->fs.max_body = max_body;
    s = aio_start();
    load_opts_default(&r->o);
    snprintf(r->url, sizeof r->url, "http://127.0.0.1:%d", s.port);
    r->o.url_text = r->url;
    r->o.connections = users;
    r->o.threads = 1;
    r->o.rate = rate;
    r->o.duration_ns = (uint64_t)ms * 1000000;
    r->o.flows = &r->fs;
    r->o.stages = go_stages;
    r->o.nstages = go_nstages;
    cr_assert_eq(load_opts_shape(&r->o), 0);
    cr_assert_eq(load_prepare(&r->o, &none, &r->req, &e), 0, "%s", e.msg);
    cr_assert_eq(load_run(&r->o, &r->out, &e), 0, "%s", e.msg);
    srv_stop(&s);
}

static void flow_free(struct flowrun *r)
{
    load_out_free(&r->out);
    load_flows_free(&r->fs);
    free(r->req);
}

static const struct load_step_out *step(const struct flowrun *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->out.nsteps; i++)
        if (!strcmp(r->out.steps[i].name, name))
            return &r->out.steps[i];
    cr_assert_fail("no step %s", name);
    return NULL;
}

/* The flow's last step ran more than 10 times, and no request, check or
 * iteration failed. */
static void assert_all_passed(const struct flowrun *r, const char *last)
{
    cr_assert_gt(step(r, last)->requests, 10);
    cr_assert_eq(r->out.nerrors, 0);
    cr_assert_eq(r->out.checks_failed, 0, "%llu of %llu checks failed",
                 (unsigned long long)r->out.checks_failed, (unsigned long long)r->out.checks);
    cr_assert_eq(r->out.flows[0].aborted, 0);
}

/* The listing needs the session cookie the login set: without the jar
 * every list would be a 401. */
Test(vuser, cookies_kept_per_user)
{
    struct flowrun r;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"steps\": ["
            "{\"name\": \"login\", \"method\": \"POST\", \"path\": \"/login\","
            " \"body\": \"{\\\"user\\\": \\\"u${user}\\\"}\", \"status\": 200},"
            "{\"name\": \"list\", \"path\": \"/items\", \"status\": 200}]}]}",
            4, 0, 700, 0);
    cr_assert_gt(step(&r, "list")->requests, 20);
    cr_assert_eq(step(&r, "list")->nerrors, 0, "%llu errors: no cookie sent",
                 (unsigned long long)step(&r, "list")->nerrors);
    cr_assert_eq(step(&r, "list")->checks_failed, 0);
    cr_assert_eq(r.out.nerrors, 0);
    flow_free(&r);
}

/* The id of a new item by its JSON field, its Location by header; the
 * item read back by both and its text checked by a regular expression. */
Test(vuser, captures_carry_into_later_steps)
{
    struct flowrun r;

    flow_go(&r,
            "{\"data\": {\"word\": {\"pick\": [\"apple\", \"brick\"]}},"
            " \"flows\": [{\"name\": \"w\", \"steps\": ["
            "{\"name\": \"login\", \"method\": \"POST\", \"path\": \"/login\","
            " \"body\": \"{\\\"user\\\": \\\"w${user}\\\"}\","
            " \"capture\": [{\"var\": \"token\", \"json\": \"token\"}]},"
            "{\"name\": \"post\", \"method\": \"POST\", \"path\": \"/items?token=${token}\","
            " \"body\": \"{\\\"text\\\": \\\"${word} ${counter}\\\"}\", \"status\": 201,"
            " \"capture\": [{\"var\": \"id\", \"json\": \"id\"}, {\"var\": \"loc\", \"header\": "
            "\"location\"}]},"
            "{\"name\": \"read\", \"path\": \"/items/${id}\", \"status\": 200,"
            " \"checks\": [{\"regex\": \"\\\"text\\\": \\\"(apple|brick) [0-9]+\\\"\"},"
            "  {\"json\": \"user\", \"equals\": \"w1\"}],"
            " \"capture\": [{\"var\": \"n\", \"regex\": \"\\\"id\\\": ([0-9]+)\"}]},"
            "{\"name\": \"again\", \"path\": \"${loc}\", \"status\": 200,"
            " \"checks\": [{\"json\": \"id\"}, {\"contains\": \"\\\"user\\\": \\\"w1\\\"\"}]}]}]}",
            1, 0, 700, 0);
    assert_all_passed(&r, "again");
    flow_free(&r);
}

/* A body written as JSON reaches the aiohttp target as JSON: its login
 * answers with the content type it was sent and the user's name, its
 * items take the text; nothing fails. */
Test(vuser, json_bodies)
{
    struct flowrun r;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"w\", \"steps\": ["
            "{\"name\": \"login\", \"method\": \"POST\", \"path\": \"/login\","
            " \"json\": {\"user\": \"w${user}\"},"
            " \"checks\": [{\"json\": \"content_type\", \"equals\": \"application/json\"},"
            "  {\"json\": \"user\", \"equals\": \"w1\"}],"
            " \"capture\": [{\"var\": \"token\", \"json\": \"token\"}]},"
            "{\"name\": \"post\", \"method\": \"POST\", \"path\": \"/items?token=${token}\","
            " \"json\": {\"text\": \"note ${counter}\"}, \"status\": 201}]}]}",
            1, 0, 500, 0);
    assert_all_passed(&r, "post");
    flow_free(&r);
}

/* A check that fails is counted as failed, never an error or a crash;
 * another user (user 2) makes the JSON check fail too. */
Test(vuser, failed_checks_are_counted)
{
    struct flowrun r;
    const struct load_step_out *s;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"steps\": ["
            "{\"name\": \"login\", \"method\": \"POST\", \"path\": \"/login\","
            " \"body\": \"{\\\"user\\\": \\\"u${user}\\\"}\","
            " \"checks\": [{\"contains\": \"no such text\"}, {\"json\": \"user\", \"equals\": "
            "\"u1\"}, {\"json\": \"ok\", \"equals\": true}]}]}]}",
            2, 0, 500, 0);
    s = step(&r, "login");
    cr_assert_gt(s->requests, 10);
    cr_assert_eq(s->checks, 3 * s->requests);
    /* every answer fails the first; user 2's fail the second */
    cr_assert_gt(s->checks_failed, s->requests);
    cr_assert_lt(s->checks_failed, 2 * s->requests);
    cr_assert_eq(s->nerrors, 0);
    flow_free(&r);
}

/* A 404 a step expects is no error; one it does not is, and fails the
 * step's status check as well when it expects another. */
Test(vuser, expected_status)
{
    struct flowrun r;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"steps\": ["
            "{\"name\": \"gone\", \"path\": \"/items/999999999\", \"status\": 404},"
            "{\"name\": \"unexpected\", \"path\": \"/items/999999998\"},"
            "{\"name\": \"wrong\", \"path\": \"/items/999999997\", \"status\": 200}]}]}",
            2, 0, 500, 0);
    cr_assert_gt(step(&r, "gone")->requests, 5);
    cr_assert_eq(step(&r, "gone")->nerrors, 0);
    cr_assert_eq(step(&r, "gone")->checks_failed, 0);
    cr_assert_eq(step(&r, "unexpected")->errors[LC_STATUS_4XX], step(&r, "unexpected")->requests);
    cr_assert_eq(step(&r, "unexpected")->checks, 0);
    cr_assert_eq(step(&r, "wrong")->errors[LC_STATUS_4XX], step(&r, "wrong")->requests);
    cr_assert_eq(step(&r, "wrong")->checks_failed, step(&r, "wrong")->requests);
    flow_free(&r);
}

/* A capture that finds nothing gives the iteration up: the step after it
 * is never sent. */
Test(vuser, capture_miss_gives_the_iteration_up)
{
    struct flowrun r;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"steps\": ["
            "{\"name\": \"login\", \"method\": \"POST\", \"path\": \"/login\","
            " \"body\": \"{\\\"user\\\": \\\"u\\\"}\","
            " \"capture\": [{\"var\": \"x\", \"json\": \"no.such.field\"}]},"
            "{\"name\": \"never\", \"path\": \"/items/${x}\"}]}]}",
            2, 0, 500, 0);
    cr_assert_gt(step(&r, "login")->requests, 10);
    cr_assert_eq(step(&r, "login")->checks_failed, step(&r, "login")->requests);
    cr_assert_eq(step(&r, "never")->requests, 0);
    cr_assert_eq(r.out.flows[0].iterations, 0);
    cr_assert_geq(r.out.flows[0].aborted + 2, step(&r, "login")->requests);
    flow_free(&r);
}

/* Think time: one user, two steps, 50 ms after each: an iteration takes
 * at least 100 ms, so 1 s holds at most 10 and, on loopback, at least 5. */
Test(vuser, think_time_paces_the_user)
{
    struct flowrun r;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"think\": \"50ms\", \"steps\": ["
            "{\"name\": \"a\", \"path\": \"/hello\"}, {\"name\": \"b\", \"path\": \"/hello\"}]}]}",
            1, 0, 1000, 0);
    cr_assert_leq(r.out.flows[0].iterations, 10);
    cr_assert_geq(r.out.flows[0].iterations, 5, "%llu iterations",
                  (unsigned long long)r.out.flows[0].iterations);
    cr_assert_geq(hist_percentile(&r.out.flows[0].duration, 0), 50000000ull);
    flow_free(&r);
}

/* CSV rows in turn across the run: every login uses a name of the file,
 * and a flow picked by weight (3 to 1) about that often. */
Test(vuser, data_rows_and_weights)
{
    struct flowrun r;
    char text[1024];
    double share;

    write_file(tmp_path("acct.csv"), "name,pass\nann,1\nbob,2\n\"c,d\",3\n");
    snprintf(text, sizeof text,
             "{\"data\": {\"acct\": {\"csv\": \"acct.csv\"}},"
             " \"flows\": [{\"name\": \"a\", \"weight\": 3, \"steps\": ["
             "{\"name\": \"login\", \"method\": \"POST\", \"path\": \"/login\","
             " \"body\": \"{\\\"user\\\": \\\"${acct.name}\\\"}\","
             " \"checks\": [{\"regex\": \"\\\"user\\\": \\\"(ann|bob|c,d)\\\"\"}]}]},"
             " {\"name\": \"b\", \"weight\": 1, \"steps\": [{\"name\": \"hello\", \"path\": "
             "\"/hello\"}]}]}");
    flow_go(&r, text, 4, 0, 700, 0);
    cr_assert_gt(step(&r, "login")->requests, 50);
    cr_assert_eq(step(&r, "login")->checks_failed, 0);
    share = (double)r.out.flows[0].iterations /
            (double)(r.out.flows[0].iterations + r.out.flows[1].iterations);
    cr_assert(share > 0.6 && share < 0.9, "flow a took %.2f of the iterations", share);
    flow_free(&r);
}

/* Open loop: 40 new iterations a second for a second, each of two steps,
 * given to 10 users: about 40 iterations; the first step's latency runs
 * from the arrival, so it is never below the latency from the write. */
Test(vuser, open_loop_iterations_arrive_at_the_rate)
{
    struct flowrun r;
    const struct load_step_out *s;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"steps\": ["
            "{\"name\": \"a\", \"path\": \"/hello\"}, {\"name\": \"b\", \"path\": \"/hello\","
            " \"think\": \"10ms\"}]}]}",
            10, 40, 1000, 0);
    cr_assert(r.out.flows[0].iterations >= 36 && r.out.flows[0].iterations <= 41,
              "%llu iterations", (unsigned long long)r.out.flows[0].iterations);
    s = step(&r, "a");
    cr_assert_geq(hist_percentile(&s->latency, 50), hist_percentile(&s->latency_sent, 50));
    cr_assert_eq(r.out.requests, step(&r, "a")->requests + step(&r, "b")->requests);
    flow_free(&r);
}

/* An answer larger than the flow keeps, where a check must read it, is an
 * error of its own class (too_large); the iteration goes no further. */
Test(vuser, answer_too_large_to_read)
{
    struct flowrun r;
    size_t i;
    int found = 0;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"steps\": ["
            "{\"name\": \"checked\", \"path\": \"/hello\", \"checks\": [{\"contains\": \"o\"}]},"
            "{\"name\": \"unread\", \"path\": \"/hello\"}]}]}",
            1, 0, 400, 64);
    cr_assert_gt(step(&r, "checked")->requests, 5);
    cr_assert_eq(step(&r, "checked")->errors[LC_TOO_LARGE], step(&r, "checked")->requests);
    cr_assert_eq(r.out.errors[LC_TOO_LARGE], r.out.steps[0].requests);
    cr_assert_eq(step(&r, "unread")->requests, 0, "the iteration goes no further");
    for (i = 0; i < r.out.nerrnos; i++)
        found |= r.out.errnos[i].cls == LC_TOO_LARGE && strstr(r.out.errnos[i].why, "larger than");
    cr_assert(found, "no error says the answer was too large");
    flow_free(&r);
}

/* The steps' answers add up to the run's, their histograms too. */
Test(vuser, steps_add_up_to_the_run)
{
    struct flowrun r;
    uint64_t sum = 0, hsum = 0;
    size_t i;

    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"steps\": ["
            "{\"name\": \"a\", \"path\": \"/hello\"}, {\"name\": \"b\", \"path\": \"/items/1\"},"
            "{\"name\": \"c\", \"method\": \"HEAD\", \"path\": \"/hello\"}]}]}",
            3, 0, 500, 0);
    for (i = 0; i < r.out.nsteps; i++) {
        sum += r.out.steps[i].requests;
        hsum += r.out.steps[i].latency.count;
    }
    cr_assert_gt(sum, 30);
    cr_assert_eq(sum, r.out.requests);
    cr_assert_eq(hsum, r.out.latency.count);
    flow_free(&r);
}

/* Stages ramp the users down: a user taken off between its two steps
 * finishes its iteration (k6's graceful ramp-down), so every first step
 * has its second; the 700 ms at no users leave every iteration (300 ms)
 * time to end. */
Test(vuser, ramped_down_users_finish_their_iteration)
{
    static const struct load_stage st[] = {
        {200000000, 6}, {400000000, 6}, {100000000, 0}, {700000000, 0}};
    struct flowrun r;

    go_stages = st;
    go_nstages = 4;
    flow_go(&r,
            "{\"flows\": [{\"name\": \"f\", \"think\": \"150ms\", \"steps\": ["
            "{\"name\": \"a\", \"path\": \"/hello\"}, {\"name\": \"b\", \"path\": "
            "\"/hello\"}]}]}",
            0, 0, 0, 0);
    go_stages = NULL;
    go_nstages = 0;
    cr_assert_geq(step(&r, "a")->requests, 6);
    cr_assert_eq(step(&r, "a")->requests, step(&r, "b")->requests, "a %llu, b %llu",
                 (unsigned long long)step(&r, "a")->requests,
                 (unsigned long long)step(&r, "b")->requests);
    cr_assert_eq(r.out.flows[0].aborted, 0);
    flow_free(&r);
}
