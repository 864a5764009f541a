/* job.c: measuring one planned benchmark (job.h). */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abrun.h"

int job_in_round(const struct job *j, unsigned round)
{
    if (j->cs)
        return round < cmdbench_rounds(&j->set);
    if (j->mp.sc)
        return round == 0;
    return round < (j->set.processes ? j->set.processes : 1);
}

int job_run(const struct job *j, unsigned round, double clock_res_ns,
            const struct scenario_opts *so, struct bench *b, int *invalid)
{
    struct run_opts ro = {.set = j->set, .clock_resolution_ns = clock_res_ns};

    if (j->mp.sc) {
        struct scenario_opts mo = *so;
        mo.repetitions = j->set.samples;
        return scenario_run(&j->mp, &mo, b, invalid);
    }
    if (j->cs)
        return cmdbench_run(j->cs, j->suite, &j->set, round, b);
    return runner_process(j->binary, j->suite, j->li, &ro, round, b) < 0 ? -1 : 0;
}

void job_finish(const struct job *j, struct bench *b)
{
    struct run_opts ro = {.set = j->set};

    if (!b->name) {
        size_t len = strlen(j->suite) + strlen(j->name) + 2;
        bench_set_error(b, "interrupted before it ran");
        if (j->mp.sc)
            b->kind = KIND_LOAD;
        if ((b->name = malloc(len)))
            snprintf(b->name, len, "%s/%s", j->suite, j->name);
    }
    if (!j->mp.sc && (!j->cs || b->nproc_samples > 1))
        runner_finish(b, &ro);   /* a command's rounds: statistics over all */
}

int job_run_pair(const struct job *j, double clock_res_ns, struct bench *bb, struct bench *nb)
{
    if (j->li && j->set.mode == RUN_MODE_INSTRUCTIONS) {
        /* counts need no pairing: each side counted on its own (counted.h) */
        struct run_opts ro = {.set = j->set, .clock_resolution_ns = clock_res_ns};
        if (runner_bench(j->base_binary, j->suite, j->li, &ro, bb) < 0)
            return -1;
        return runner_bench(j->binary, j->suite, j->li, &ro, nb);
    }
    if (j->li) {
        struct run_opts ro = {.set = j->set, .clock_resolution_ns = clock_res_ns};
        return abrun_micro(j->base_binary, j->binary, j->suite, j->li, &ro, bb, nb);
    }
    return cmdbench_pairs(j->base_cs, j->cs, j->suite, j->name, &j->set, bb, nb);
}
