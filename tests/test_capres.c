/*
 * test_capres.c: the record of a capacity search (harness/result/capres.c):
 * its JSON written and read back field for field, through a whole result
 * file too; an unknown side of the bracket as null; a result written
 * before the record existed reads without one.  The malformed records are
 * in the golden corpus (tests/data/result/bad/capacity_*).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/capres.h"
#include "harness/result/result_json.h"
#include "helpers.h"

#define DATA_GOOD "tests/data/result/good"

TestSuite(capres, .init = tmp_setup, .fini = tmp_teardown);

/* A search of three steps and a confirm. */
static void make(struct capacity *c)
{
    static const double rates[] = {1000, 2000, 1414, 1000};
    size_t i;

    memset(c, 0, sizeof *c);
    cr_assert_eq(capacity_add_objective(c, "latency.p99 < 20ms"), 0);
    cr_assert_eq(capacity_add_objective(c, "errors.rate < 1%"), 0);
    c->status = CAP_FOUND;
    c->answer = 1000;
    c->low = 1000;
    c->high = 1414;
    c->precision = 0.05;
    for (i = 0; i < COUNT(rates); i++) {
        struct capacity_step s = {rates[i], 999.5, 4000000 + i, 4500000, 5000000 * (i + 1),
                                  6000000 * (i + 1), 0.001 * (double)i, i == 0 || i == 3,
                                  i != 2, i == 3, i == 1 ? "latency.p99 10 ms, not < 20 ms"
                                                         : NULL};
        cr_assert_eq(capacity_add_step(c, &s), 0);
    }
}

static void assert_same(const struct capacity *a, const struct capacity *b)
{
    size_t i;

    cr_assert_eq(a->nobjectives, b->nobjectives);
    for (i = 0; i < a->nobjectives; i++)
        cr_assert_str_eq(a->objectives[i], b->objectives[i]);
    cr_assert_eq(a->status, b->status);
    cr_assert(same_double(a->answer, b->answer));
    cr_assert(same_double(a->low, b->low));
    cr_assert(same_double(a->high, b->high));
    cr_assert(same_double(a->precision, b->precision));
    cr_assert_eq(a->nsteps, b->nsteps);
    for (i = 0; i < a->nsteps; i++) {
        const struct capacity_step *x = &a->steps[i], *y = &b->steps[i];
        cr_assert(same_double(x->rate, y->rate) && same_double(x->achieved, y->achieved));
        cr_assert(x->p50 == y->p50 && x->p90 == y->p90 && x->p99 == y->p99 && x->p999 == y->p999);
        cr_assert(same_double(x->errors, y->errors));
        cr_assert(x->pass == y->pass && x->valid == y->valid && x->confirm == y->confirm);
        cr_assert(same_str(x->why, y->why), "steps[%zu].why", i);
    }
}

Test(capres, json_round_trip)
{
    struct capacity c, back;
    struct err e = {0};
    struct jr rd = {"<memory>", &e};
    json_t *j;

    make(&c);
    j = capacity_to_json(&c);
    cr_assert_not_null(j);
    cr_assert_eq(capacity_from_json(&rd, j, "capacity", &back), 0, "%s", e.msg);
    assert_same(&c, &back);
    json_decref(j);
    capacity_free(&back);
    /* a side never found is null, and reads NaN */
    c.high = NAN;
    c.status = CAP_LIMITED;
    j = capacity_to_json(&c);
    cr_assert(json_is_null(json_array_get(json_object_get(j, "bracket"), 1)));
    cr_assert_eq(capacity_from_json(&rd, j, "capacity", &back), 0, "%s", e.msg);
    assert_same(&c, &back);
    json_decref(j);
    capacity_free(&back);
    capacity_free(&c);
}

Test(capres, through_a_result_file)
{
    struct result r, back;
    struct err e = {0};
    char *path = tmp_path("cap.json");

    cr_assert_eq(result_load(DATA_GOOD "/load_open.json", &r, &e), 0, "%s", e.msg);
    cr_assert_null(r.benches[0].capacity, "a file from before 1.11 has no capacity");
    r.benches[0].capacity = calloc(1, sizeof *r.benches[0].capacity);
    make(r.benches[0].capacity);
    cr_assert_eq(result_save(&r, path, &e), 0, "%s", e.msg);
    cr_assert_eq(result_load(path, &back, &e), 0, "%s", e.msg);
    cr_assert_not_null(back.benches[0].capacity);
    assert_same(r.benches[0].capacity, back.benches[0].capacity);
    cr_assert_eq(back.schema_minor, 13);
    result_free(&r);
    result_free(&back);
}

Test(capres, bad_block_names_its_path)
{
    struct capacity c;
    struct err e = {0};
    struct jr rd = {"f.json", &e};
    json_t *j = json_pack("{s:[], s:s, s:f, s:[f, f], s:f, s:[]}", "objectives", "status",
                          "found", "answer", 5.0, "bracket", 6.0, 5.0, "precision", 0.05,
                          "steps");

    cr_assert_eq(capacity_from_json(&rd, j, "benchmarks[0].capacity", &c), -1);
    cr_assert_str_eq(e.msg, "f.json: benchmarks[0].capacity.bracket: low 6 is above high 5");
    cr_assert_eq(c.nsteps, 0);
    json_decref(j);
}
