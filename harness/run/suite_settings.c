/* suite_settings.c: the "settings" of a suite file and of its entries (suite.h). */
#include "suite_private.h"

#include <string.h>

#include "harness/lib/fmt.h"

void settings_apply(struct settings *dst, const struct settings_ov *ov)
{
    const struct settings *s = &ov->s;

    if (ov->mask & OV_SAMPLES)
        dst->samples = s->samples;
    if (ov->mask & OV_WARMUP)
        dst->warmup_ns = s->warmup_ns;
    if (ov->mask & OV_SAMPLE_TIME)
        dst->sample_target_ns = s->sample_target_ns;
    if (ov->mask & OV_BUDGET)
        dst->budget_ns = s->budget_ns;
    if (ov->mask & OV_PROCESSES)
        dst->processes = s->processes;
    if (ov->mask & OV_TIMEOUT)
        dst->timeout_ns = s->timeout_ns;
    if (ov->mask & OV_WARMUP_RUNS)
        dst->warmup_runs = s->warmup_runs;
    if (ov->mask & OV_CI_TARGET)
        dst->ci_target = s->ci_target;
    if (ov->mask & OV_SEED)
        dst->seed = s->seed;
    if (ov->mask & OV_MODE)
        dst->mode = s->mode;
    if (ov->mask & OV_COUNTERS)
        memcpy(dst->counters, s->counters, sizeof dst->counters);
}

int sr_settings(const struct sr *c, const json_t *obj, const char *path, struct settings_ov *ov)
{
    static const char *const known[] = {"samples", "warmup", "sample_time", "budget",
                                        "processes", "timeout", "warmup_runs", "ci_target",
                                        "mode", NULL};
    const char *key;
    json_t *v;

    if (!obj)
        return 0;
    if (!json_is_object(obj))
        return jr_fail(&c->jr, path, "expected object, got %s", jr_type(obj));
    if (sr_keys(c, obj, path, known) < 0)
        return -1;
    json_object_foreach((json_t *)obj, key, v) {
        char p[JR_PATH_LEN];
        jr_pathf(p, "%s.%s", path, key);
        if (!strcmp(key, "samples")) {
            if (sr_count(c, v, p, 1, 1000000, &ov->s.samples) < 0)
                return -1;
            ov->mask |= OV_SAMPLES;
        } else if (!strcmp(key, "processes")) {
            if (sr_count(c, v, p, 1, 1000, &ov->s.processes) < 0)
                return -1;
            ov->mask |= OV_PROCESSES;
        } else if (!strcmp(key, "warmup_runs")) {
            if (sr_count(c, v, p, 0, 1000000, &ov->s.warmup_runs) < 0)
                return -1;
            ov->mask |= OV_WARMUP_RUNS;
        } else if (!strcmp(key, "warmup")) {
            if (sr_duration(c, v, p, &ov->s.warmup_ns) < 0)
                return -1;
            ov->mask |= OV_WARMUP;
        } else if (!strcmp(key, "sample_time")) {
            if (sr_duration(c, v, p, &ov->s.sample_target_ns) < 0)
                return -1;
            if (ov->s.sample_target_ns == 0)
                return jr_fail(&c->jr, p, "must be above zero");
            ov->mask |= OV_SAMPLE_TIME;
        } else if (!strcmp(key, "budget")) {
            if (sr_duration(c, v, p, &ov->s.budget_ns) < 0)
                return -1;
            ov->mask |= OV_BUDGET;
        } else if (!strcmp(key, "timeout")) {
            if (sr_duration(c, v, p, &ov->s.timeout_ns) < 0)
                return -1;
            if (ov->s.timeout_ns == 0)
                return jr_fail(&c->jr, p, "must be above zero");
            ov->mask |= OV_TIMEOUT;
        } else if (!strcmp(key, "mode")) {
            const char *m = json_is_string(v) ? json_string_value(v) : "";
            if (strcmp(m, "time") && strcmp(m, "instructions"))
                return jr_fail(&c->jr, p, "expected \"time\" or \"instructions\"");
            ov->s.mode = !strcmp(m, "instructions") ? RUN_MODE_INSTRUCTIONS : RUN_MODE_TIME;
            ov->mask |= OV_MODE;
        } else if (!strcmp(key, "ci_target")) {
            double f;
            if (!json_is_string(v) || fmt_parse_percent(json_string_value(v), &f) < 0 || f <= 0 ||
                f >= 1)
                return jr_fail(&c->jr, p, "expected a percentage such as \"1%%\"");
            ov->s.ci_target = f;
            ov->mask |= OV_CI_TARGET;
        }
    }
    return 0;
}
