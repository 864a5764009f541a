/*
 * k8sjob.c: the Kubernetes Indexed Job of a load split over pods
 * (k8sjob.h).  Every string is written double-quoted with YAML's escapes,
 * so a URL, a header or a limit such as 'latency.p99 < 50ms' reaches pacer
 * load as it was given.
 */
#include "k8sjob.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "harness/result/isotime.h"
#include "harness/result/utf8.h"

#define AHEAD_MAX_S 86400.0   /* pacer load refuses a start more than a day ahead */

/* The options of pacer load that the Job sets for every pod. */
static const char *const reserved[] = {"segment", "segments", "start-at", "run-id",
                                       "out",     "save",     "format"};

/* s is a DNS-1123 label: 1 to 63 of [a-z0-9-], a letter or digit at
 * both ends (what Kubernetes asks of a Job's name and a namespace). */
static int dns_label(const char *s)
{
    size_t n = strlen(s), i;

    if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

/* s is a DNS-1123 subdomain: up to 253 of [a-z0-9.-], a letter or digit
 * at both ends (a PersistentVolumeClaim's name). */
static int dns_subdomain(const char *s)
{
    size_t n = strlen(s);

    return n >= 1 && n <= 253 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.") == n &&
           s[0] != '-' && s[0] != '.' && s[n - 1] != '-' && s[n - 1] != '.';
}

/* s is a quantity Kubernetes reads: a decimal number with an optional
 * suffix (m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei): "500m", "2", "1Gi". */
static int quantity(const char *s)
{
    static const char *const suffixes[] = {"",  "m",  "k",  "M",  "G",  "T",  "P", "E",
                                           "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    const char *p = s;
    size_t i;

    while (*p >= '0' && *p <= '9')
        p++;
    if (p == s)
        return 0;
    if (*p == '.') {
        const char *f = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == f)
            return 0;
    }
    for (i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
        if (!strcmp(p, suffixes[i]))
            return 1;
    return 0;
}

/* s is valid UTF-8 (utf8.h). */
static int utf8_ok(const char *s)
{
    size_t n;

    for (; *s; s += n)
        if (!(n = utf8_len((const unsigned char *)s)))
            return 0;
    return 1;
}

/* An argument of load that the Job sets itself ("--out", "--out=F", or an
 * abbreviation getopt_long would take for one): its reserved name, or NULL. */
static const char *reserved_arg(const char *a)
{
    size_t n, i;

    if (strncmp(a, "--", 2) || !a[2])
        return NULL;
    a += 2;
    n = strcspn(a, "=");
    for (i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (!strncmp(a, reserved[i], n))
            return reserved[i];
    return NULL;
}

/* The arguments of load: 0, or -1 with why in e. */
static int check_args(const struct k8sjob *j, struct err *e)
{
    const char *r;
    size_t i;

    if (j->nargs < 1 || strcmp(j->args[0], "load"))
        return err_set(e, "the command after -- must be load (pacer's load test), not '%s'",
                       j->nargs ? j->args[0] : "");
    for (i = 1; i < j->nargs; i++) {
        if (!strcmp(j->args[i], "--"))
            return err_set(e, "'--' among load's arguments: the Job's own options follow "
                              "them");
        if ((r = reserved_arg(j->args[i])))
            return err_set(e, "load's '%s': the Job sets --%s itself (leave it out)",
                           j->args[i], r);
        if (!utf8_ok(j->args[i]))
            return err_set(e, "load's argument %zu is not UTF-8", i);
    }
    return 0;
}

int k8sjob_check(const struct k8sjob *j, struct err *e)
{
    if (!j->name || !dns_label(j->name))
        return err_set(e, "--name '%s': not a DNS-1123 label (1 to 63 of a-z, 0-9 and -, "
                          "a letter or digit at both ends)", j->name ? j->name : "");
    if (j->ns && !dns_label(j->ns))
        return err_set(e, "--namespace '%s': not a DNS-1123 label", j->ns);
    if (j->pods < 1 || j->pods > K8SJOB_MAX_PODS)
        return err_set(e, "--parallelism %u: not from 1 to %d", j->pods, K8SJOB_MAX_PODS);
    if (!j->image || !*j->image || strpbrk(j->image, " \t\r\n") || !utf8_ok(j->image))
        return err_set(e, "--image '%s': not an image name", j->image ? j->image : "");
    if (j->command && (!*j->command || !utf8_ok(j->command)))
        return err_set(e, "--command: not a path");
    if (j->pull_policy && strcmp(j->pull_policy, "Always") &&
        strcmp(j->pull_policy, "IfNotPresent") && strcmp(j->pull_policy, "Never"))
        return err_set(e, "--image-pull-policy '%s': not Always, IfNotPresent or Never",
                       j->pull_policy);
    if (j->claim && !dns_subdomain(j->claim))
        return err_set(e, "--volume-claim '%s': not a claim's name (a DNS-1123 subdomain)",
                       j->claim);
    if (j->cpu && !quantity(j->cpu))
        return err_set(e, "--cpu '%s': not a quantity (2, 500m, 1.5)", j->cpu);
    if (j->memory && !quantity(j->memory))
        return err_set(e, "--memory '%s': not a quantity (512Mi, 2Gi, 1G)", j->memory);
    if (!j->start_at || !*j->start_at)
        return err_set(e, "no start time");
    if (!j->run_id || !*j->run_id || strlen(j->run_id) > 200 || !utf8_ok(j->run_id))
        return err_set(e, "--run-id: not 1 to 200 characters of UTF-8");
    return check_args(j, e);
}

/* The code point of the valid UTF-8 sequence s of n bytes. */
static unsigned code_point(const unsigned char *s, size_t n)
{
    static const unsigned char lead[5] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    unsigned cp = s[0] & lead[n];
    size_t i;

    for (i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3f);
    return cp;
}

/* s as a double-quoted YAML string on f: quotes, backslashes and what
 * YAML does not let stand in a scalar (controls, its line breaks NEL,
 * LS and PS, the byte order mark, U+FFFE and U+FFFF) escaped; with
 * dollars, every '$' doubled, Kubernetes' escape of its $(VAR) expansion
 * in command and args. */
static void yaml_str(FILE *f, const char *s, int dollars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    fputc('"', f);
    for (; *p; p += n) {
        unsigned cp;
        if (!(n = utf8_len(p))) {   /* checked before: never */
            fputs("\\ufffd", f);
            n = 1;
            continue;
        }
        cp = code_point(p, n);
        if (cp == '"' || cp == '\\')
            fprintf(f, "\\%c", (int)cp);
        else if (cp == '\n')
            fputs("\\n", f);
        else if (cp == '\t')
            fputs("\\t", f);
        else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            fprintf(f, "\\x%02x", cp);
        else if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
            fprintf(f, "\\u%04x", cp);
        else if (cp == '$' && dollars)
            fputs("$$", f);
        else
            fwrite(p, 1, n, f);
    }
    fputc('"', f);
}

/* A list item "- STRING" at indent. */
static void item(FILE *f, int indent, const char *s, int dollars)
{
    fprintf(f, "%*s- ", indent, "");
    yaml_str(f, s, dollars);
    fputc('\n', f);
}

/* "key: STRING" at indent. */
static void pair(FILE *f, int indent, const char *key, const char *s)
{
    fprintf(f, "%*s%s: ", indent, "", key);
    yaml_str(f, s, 0);
    fputc('\n', f);
}

/* The container's args: load's, then the segment's. */
static void args(FILE *f, const struct k8sjob *j)
{
    char pods[16];
    size_t i;

    fputs("          args:\n", f);
    for (i = 0; i < j->nargs; i++)
        item(f, 12, j->args[i], 1);
    snprintf(pods, sizeof pods, "%u", j->pods);
    item(f, 12, "--segment", 0);
    item(f, 12, "auto", 0);
    item(f, 12, "--segments", 0);
    item(f, 12, pods, 0);
    item(f, 12, "--start-at", 0);
    item(f, 12, j->start_at, 0);
    item(f, 12, "--run-id", 0);
    item(f, 12, j->run_id, 1);
    if (j->claim) {
        fputs("            - \"--out\"\n", f);
        fprintf(f, "            - \"%s/%s-seg-$(%s).json\"\n", K8SJOB_RESULTS, j->name,
                K8SJOB_INDEX_VAR);
    } else {
        /* the result on stdout, the rest on stderr: kubectl logs has it */
        item(f, 12, "--format", 0);
        item(f, 12, "json", 0);
        item(f, 12, "-q", 0);
    }
}

/* requests and limits alike (the Guaranteed class: a generator that is
 * neither throttled below its request nor starved by its neighbours). */
static void resources(FILE *f, const struct k8sjob *j)
{
    static const char *const kinds[2] = {"requests", "limits"};
    int k;

    if (!j->cpu && !j->memory)
        return;
    fputs("          resources:\n", f);
    for (k = 0; k < 2; k++) {
        fprintf(f, "            %s:\n", kinds[k]);
        if (j->cpu)
            pair(f, 14, "cpu", j->cpu);
        if (j->memory)
            pair(f, 14, "memory", j->memory);
    }
}

/* The pod template's container and, with a claim, its volume. */
static void container(FILE *f, const struct k8sjob *j)
{
    fputs("        - name: \"pacer\"\n", f);
    pair(f, 10, "image", j->image);
    if (j->pull_policy)
        pair(f, 10, "imagePullPolicy", j->pull_policy);
    fputs("          command:\n", f);
    item(f, 12, j->command ? j->command : "pacer", 1);
    args(f, j);
    if (j->claim) {
        fputs("          env:\n"
              "            - name: \"" K8SJOB_INDEX_VAR "\"\n"
              "              valueFrom:\n"
              "                fieldRef:\n"
              "                  fieldPath: \"metadata.annotations['batch.kubernetes.io/"
              "job-completion-index']\"\n", f);
    }
    resources(f, j);
    if (!j->claim)
        return;
    fputs("          volumeMounts:\n"
          "            - name: \"results\"\n"
          "              mountPath: \"" K8SJOB_RESULTS "\"\n"
          "      volumes:\n"
          "        - name: \"results\"\n"
          "          persistentVolumeClaim:\n", f);
    pair(f, 12, "claimName", j->claim);
}

static void manifest(FILE *f, const struct k8sjob *j)
{
    fprintf(f, "# pacer k8s-job: %u segments of one pacer load, all starting at %s\n",
            j->pods, j->start_at);
    fputs("apiVersion: batch/v1\nkind: Job\nmetadata:\n", f);
    pair(f, 2, "name", j->name);
    if (j->ns)
        pair(f, 2, "namespace", j->ns);
    fputs("  labels:\n    app.kubernetes.io/name: \"pacer\"\n  annotations:\n", f);
    pair(f, 4, "pacer/run-id", j->run_id);
    pair(f, 4, "pacer/start-at", j->start_at);
    fprintf(f, "spec:\n"
               "  completionMode: Indexed\n"
               "  completions: %u\n"
               "  parallelism: %u\n"
               "  backoffLimit: 0\n", j->pods, j->pods);
    if (j->ttl_s >= 0)
        fprintf(f, "  ttlSecondsAfterFinished: %lld\n", j->ttl_s);
    fputs("  template:\n"
          "    metadata:\n"
          "      labels:\n"
          "        app.kubernetes.io/name: \"pacer\"\n", f);
    pair(f, 8, "app.kubernetes.io/instance", j->name);
    fputs("    spec:\n"
          "      restartPolicy: Never\n"
          "      containers:\n", f);
    container(f, j);
}

char *k8sjob_manifest(const struct k8sjob *j, struct err *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    if (k8sjob_check(j, e) < 0)
        return NULL;
    if (!(f = open_memstream(&text, &len))) {
        err_set(e, "out of memory");
        return NULL;
    }
    manifest(f, j);
    if (fclose(f) != 0) {
        free(text);
        err_set(e, "out of memory");
        return NULL;
    }
    return text;
}

int k8sjob_start(const char *spec, double now, char *out, size_t size, double *epoch,
                 struct err *e)
{
    uint64_t ns;

    if (spec[0] == '+') {
        if (fmt_parse_duration(spec + 1, &ns) < 0)
            return err_set(e, "--start-at '%s': not a duration after + (+60s)", spec);
        *epoch = ceil(now + (double)ns / 1e9);
    } else if ((!strchr(spec, 'Z') && !strchr(spec, 'z')) || iso_time_parse(spec, epoch) < 0)
        return err_set(e, "--start-at '%s': not a UTC time (2026-12-07T03:30:00Z, "
                          "milliseconds allowed) or +DURATION", spec);
    if (*epoch < now)
        return err_set(e, "--start-at '%s': already past", spec);
    if (*epoch - now > AHEAD_MAX_S)
        return err_set(e, "--start-at '%s': more than 24 h ahead", spec);
    iso_time_ms(*epoch, out, size);
    if (*epoch == floor(*epoch)) /* whole seconds: no ".000" */
        memmove(out + 19, out + 23, strlen(out + 23) + 1);
    return 0;
}

void k8sjob_run_id(const char *name, const char *start_at, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%s-", name);
    const char *p;

    for (p = start_at; *p && n + 1 < size; p++)
        if (*p != '-' && *p != ':')
            out[n++] = *p;
    if (n < size)
        out[n] = '\0';
}
