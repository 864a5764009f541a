/* cmd_k8s.c: `pacer k8s-job ... -- load ARGS`: the Kubernetes Indexed Job
 * of a load split over N pods, printed (k8sjob.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "harness/lib/fmt.h"
#include "harness/run/k8sjob.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer k8s-job --name NAME --parallelism N --image IMAGE [options] -- load ARGS...\n"
"Prints (stdout) a Kubernetes Indexed Job (batch/v1) whose N pods each run one\n"
"segment of the load: pacer load ARGS --segment auto --segments N --start-at T\n"
"--run-id ID, the segment from JOB_COMPLETION_INDEX (Kubernetes sets it in\n"
"Indexed mode), T and ID resolved here once, so every pod starts at the same\n"
"wall-clock time and records the same run.  Apply it (kubectl apply -f) well\n"
"before T: a pod that starts after T by more than load's warmup (1 s without)\n"
"is refused.  Collect the N results and join them with pacer merge.\n"
"  --name NAME           the Job's name (a DNS-1123 label: a-z, 0-9, -)\n"
"  --parallelism N       pods, one segment each: completions and parallelism,\n"
"                        1 to %d (every pod must run at once)\n"
"  --image IMAGE         the container image holding pacer\n"
"  --command PATH        pacer in the image (default: pacer, found on its PATH)\n"
"  --start-at TIME       the agreed start: UTC (2026-12-07T03:30:00Z) or +DURATION\n"
"                        from now, rounded up to a second (default +60s: time to\n"
"                        schedule the pods and pull the image)\n"
"  --run-id ID           the run id of every segment (default NAME-START, e.g.\n"
"                        loadtest-20261207T033000Z)\n"
"  --volume-claim PVC    mount the PersistentVolumeClaim PVC at %s; pod I\n"
"                        writes %s/NAME-seg-I.json (I from 0; with N pods on\n"
"                        several nodes the claim must be ReadWriteMany).  Without\n"
"                        it each result is its pod's stdout (load --format json,\n"
"                        the rest on stderr): kubectl logs gives both, the result\n"
"                        is the lines from '{' to '}' alone on a line\n"
"  --cpu Q, --memory Q   requests and limits of each pod, alike (500m, 2, 1Gi)\n"
"  --namespace NS        the Job's namespace\n"
"  --image-pull-policy Always|IfNotPresent|Never\n"
"  --ttl DURATION        delete the finished Job after DURATION\n"
"                        (ttlSecondsAfterFinished; the pods' logs go with it)\n"
"The Job has backoffLimit 0 and restartPolicy Never: a segment that failed is\n"
"not retried, since a retry would start late and load the server alone; merge\n"
"the others with pacer merge --partial.  ARGS must start with load and leave\n"
"out --segment, --segments, --start-at, --run-id, --out, --save and --format,\n"
"which the Job sets.  Files ARGS name (--flow, --body-file) must be in the image.\n"
"exit codes: 0 printed, 2 bad input or usage\n",
            K8SJOB_MAX_PODS, K8SJOB_RESULTS, K8SJOB_RESULTS);
}

enum {
    O_NAME = 700, O_PODS, O_IMAGE, O_COMMAND, O_START, O_RUNID, O_CLAIM, O_CPU, O_MEMORY,
    O_NS, O_PULL, O_TTL,
};

static const struct option opts[] = {
    {"name", required_argument, 0, O_NAME},       {"parallelism", required_argument, 0, O_PODS},
    {"image", required_argument, 0, O_IMAGE},     {"command", required_argument, 0, O_COMMAND},
    {"start-at", required_argument, 0, O_START},  {"run-id", required_argument, 0, O_RUNID},
    {"volume-claim", required_argument, 0, O_CLAIM}, {"cpu", required_argument, 0, O_CPU},
    {"memory", required_argument, 0, O_MEMORY},   {"namespace", required_argument, 0, O_NS},
    {"image-pull-policy", required_argument, 0, O_PULL},
    {"ttl", required_argument, 0, O_TTL},         {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0},
};

/* One option into j (start: --start-at's text): 0, or -1 after saying why. */
static int option(struct k8sjob *j, const char **start, int c, const char *arg)
{
    unsigned long long x;
    uint64_t ns;

    switch (c) {
    case O_NAME: j->name = arg; return 0;
    case O_PODS:
        if (fmt_parse_count(arg, &x) < 0 || x < 1 || x > K8SJOB_MAX_PODS)
            return die_msg("k8s-job: --parallelism '%s': not a whole number from 1 to %d",
                           arg, K8SJOB_MAX_PODS), -1;
        j->pods = (unsigned)x;
        return 0;
    case O_IMAGE: j->image = arg; return 0;
    case O_COMMAND: j->command = arg; return 0;
    case O_START: *start = arg; return 0;
    case O_RUNID: j->run_id = arg; return 0;
    case O_CLAIM: j->claim = arg; return 0;
    case O_CPU: j->cpu = arg; return 0;
    case O_MEMORY: j->memory = arg; return 0;
    case O_NS: j->ns = arg; return 0;
    case O_PULL: j->pull_policy = arg; return 0;
    case O_TTL:
        if (fmt_parse_duration(arg, &ns) < 0 || ns / 1000000000ull > 100000000ull)
            return die_msg("k8s-job: --ttl '%s': not a duration (1h, 30m)", arg), -1;
        j->ttl_s = (long long)((ns + 999999999ull) / 1000000000ull);
        return 0;
    default: return -1;
    }
}

static double now_real(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The options parsed into j, the start resolved into start_iso and the
 * default run id made in run_id: EXIT_OK, or the exit code (after saying
 * why, or the help printed). */
static int parse(int argc, char **argv, struct k8sjob *j, char *start_iso, size_t start_size,
                 char *run_id, size_t id_size)
{
    const char *start = "+60s";
    struct err e = {0};
    double epoch;
    int c;

    optind = 1;
    opterr = 0;   /* said here, in pacer's words */
    while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
        if (c == 'h')
            return usage(stdout), -1;
        if (c == ':')
            return die_msg("k8s-job: %s needs a value", argv[optind - 1]), EXIT_BAD_INPUT;
        if (c == '?' && optopt)
            return die_msg("k8s-job: '-%c' is not an option of k8s-job (see pacer k8s-job "
                           "--help)", optopt), EXIT_BAD_INPUT;
        if (c == '?')
            return die_msg("k8s-job: '%s' is not an option of k8s-job (see pacer k8s-job "
                           "--help)", argv[optind - 1]), EXIT_BAD_INPUT;
        if (option(j, &start, c, optarg) < 0)
            return EXIT_BAD_INPUT;
    }
    if (optind < 2 || strcmp(argv[optind - 1], "--"))
        return die_msg("k8s-job: expected -- and the load after the options (-- load URL "
                       "...)"), EXIT_BAD_INPUT;
    if (!j->name || !j->image || !j->pods)
        return die_msg("k8s-job: --name, --parallelism and --image are needed"),
               EXIT_BAD_INPUT;
    if (k8sjob_start(start, now_real(), start_iso, start_size, &epoch, &e) < 0)
        return die_msg("k8s-job: %s", e.msg), EXIT_BAD_INPUT;
    j->start_at = start_iso;
    if (!j->run_id) {
        k8sjob_run_id(j->name, start_iso, run_id, id_size);
        j->run_id = run_id;
    }
    j->args = argv + optind;
    j->nargs = (size_t)(argc - optind);
    return EXIT_OK;
}

int cmd_k8s(int argc, char **argv)
{
    struct k8sjob j = {.ttl_s = -1};
    char start[64], run_id[128];
    struct err e = {0};
    char *text;
    int rc;

    if ((rc = parse(argc, argv, &j, start, sizeof start, run_id, sizeof run_id)) != EXIT_OK)
        return rc < 0 ? EXIT_OK : rc;
    if (!(text = k8sjob_manifest(&j, &e))) {
        die_msg("k8s-job: %s", e.msg);
        return EXIT_BAD_INPUT;
    }
    fputs(text, stdout);
    free(text);
    if (fflush(stdout) != 0) {
        die_msg("k8s-job: cannot write the manifest");
        return EXIT_BAD_INPUT;
    }
    fprintf(stderr, "pacer: k8s-job: %u pods of run %s start at %s: apply the Job well "
                    "before\n", j.pods, j.run_id, j.start_at);
    return EXIT_OK;
}
