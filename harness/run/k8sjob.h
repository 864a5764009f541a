/*
 * k8sjob.h: a load split over the pods of a Kubernetes Indexed Job (batch/v1):
 * the manifest as text, made from the options alone.  Each pod runs one
 * segment, `pacer load ARGS --segment auto --segments N --start-at T
 * --run-id ID` with its result either on stdout (for kubectl logs) or in a
 * PersistentVolumeClaim; Kubernetes sets JOB_COMPLETION_INDEX in Indexed
 * mode, which --segment auto reads.  pacer manages no cluster: it prints.
 */
#ifndef PACER_K8SJOB_H
#define PACER_K8SJOB_H

#include <stddef.h>

#include "harness/lib/err.h"

#define K8SJOB_MAX_PODS 1000      /* the most segments (pods) a Job may have */
#define K8SJOB_RESULTS "/results" /* where --volume-claim is mounted */
/* The container's variable holding the index, from the pod's annotation
 * through the downward API: $(K8SJOB_INDEX_VAR) in args is expanded by
 * Kubernetes for variables of the container's env. */
#define K8SJOB_INDEX_VAR "PACER_SEGMENT_INDEX"

struct k8sjob {
    const char *name;          /* the Job's name: a DNS-1123 label */
    const char *ns;            /* metadata.namespace (a DNS-1123 label), or NULL */
    const char *image;         /* the image holding pacer */
    const char *command;       /* pacer's path in the image (NULL: "pacer") */
    const char *pull_policy;   /* Always, IfNotPresent, Never, or NULL */
    unsigned pods;             /* completions and parallelism: the segments */
    const char *start_at;      /* the agreed start, UTC ("...Z") */
    const char *run_id;        /* the run id every segment records */
    const char *claim;         /* PersistentVolumeClaim for the results, or NULL:
                                  each result on its pod's stdout */
    const char *cpu, *memory;  /* requests = limits (quantities), or NULL */
    long long ttl_s;           /* ttlSecondsAfterFinished, or -1 */
    char *const *args;         /* "load" and its arguments (borrowed) */
    size_t nargs;
};

/* 0 when j can be made into a manifest, or -1 with why not in e (the
 * first problem: a name not a DNS-1123 label, pods out of 1 to
 * K8SJOB_MAX_PODS, args not starting with "load" or holding an option the
 * Job sets itself (--segment, --segments, --start-at, --run-id, --out,
 * --save, --format) or "--", a quantity or pull policy Kubernetes would
 * refuse, a string not UTF-8). */
int k8sjob_check(const struct k8sjob *j, struct err *e);

/* The manifest of j (checked first) as a new string (free), every string
 * of it double-quoted with YAML escapes and every '$' of args doubled so
 * Kubernetes passes it literally; NULL with why in e. */
char *k8sjob_manifest(const struct k8sjob *j, struct err *e);

/* --start-at SPEC resolved against now (seconds since the epoch): SPEC a
 * UTC time ("2026-12-07T03:30:00Z", milliseconds allowed, not past, at
 * most 24 h ahead) or +DURATION (now plus it, rounded up to a whole
 * second).  The time as "YYYY-MM-DDTHH:MM:SS[.mmm]Z" into out (size at
 * least 32) and *epoch; 0, or -1 with why in e. */
int k8sjob_start(const char *spec, double now, char *out, size_t size, double *epoch,
                 struct err *e);

/* The default run id: the name and the start's digits,
 * "NAME-20261207T033000Z", into out (size at least 100). */
void k8sjob_run_id(const char *name, const char *start_at, char *out, size_t size);

#endif
