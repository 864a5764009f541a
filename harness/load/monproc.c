/*
 * monproc.c: the processes monitored beside the server (monitor.h: struct
 * mon_proc): their labels checked, and read from the command line's
 * NAME=PID.
 */
#include "monitor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int mon_label_check(const char *label, size_t len, struct err *e)
{
    static const char *const taken[] = {"server", "pacer", "net"};
    size_t i;

    if (len == 0)
        return err_set(e, "empty label");
    if (len > 32)
        return err_set(e, "label \"%.*s...\" is over 32 characters", 32, label);
    for (i = 0; i < len; i++) {
        char c = label[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return err_set(e, "label \"%.*s\": '%c' is not a letter, digit, '-', '_' or '.'",
                           (int)len, label, c);
    }
    for (i = 0; i < sizeof taken / sizeof *taken; i++)
        if (strlen(taken[i]) == len && !strncmp(label, taken[i], len))
            return err_set(e, "label \"%s\" is pacer's own (server, pacer, net)", taken[i]);
    return 0;
}

int mon_procs_add(struct mon_proc **procs, size_t *n, const char *spec, struct err *e)
{
    const char *eq = strchr(spec, '=');
    size_t len = eq ? (size_t)(eq - spec) : 0, i;
    struct mon_proc *np;
    char *end, *label;
    long long x;

    if (!eq)
        return err_set(e, "expected NAME=PID");
    if (mon_label_check(spec, len, e) < 0)
        return -1;
    for (i = 0; i < *n; i++)
        if (strlen((*procs)[i].label) == len && !strncmp((*procs)[i].label, spec, len))
            return err_set(e, "label \"%.*s\" given twice", (int)len, spec);
    errno = 0;
    x = strtoll(eq + 1, &end, 10);
    if (end == eq + 1 || *end || errno || eq[1] == '-' || eq[1] == '+' || eq[1] == ' ' ||
        x < 1 || x > 0x7fffffff)
        return err_set(e, "\"%s\" after '=' is not a process id (a whole number above 0)",
                       eq + 1);
    if (!(np = realloc(*procs, (*n + 1) * sizeof *np)))
        return err_set(e, "out of memory");
    *procs = np;
    if (!(label = strndup(spec, len)))
        return err_set(e, "out of memory");
    np[*n].label = label;
    np[(*n)++].pid = (pid_t)x;
    return 0;
}

void mon_procs_free(struct mon_proc *procs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free((char *)procs[i].label);
    free(procs);
}

int mon_procs_check(const struct mon_proc *procs, size_t n, struct err *e)
{
    struct err why = { 0 };
    size_t i, j;

    for (i = 0; i < n; i++) {
        const char *l = procs[i].label ? procs[i].label : "";

        if (mon_label_check(l, strlen(l), &why) < 0)
            return err_set(e, "monitor: %s", why.msg);
        if (procs[i].pid <= 0)
            return err_set(e, "monitor: %s: bad process id %d", l, (int)procs[i].pid);
        for (j = 0; j < i; j++)
            if (!strcmp(procs[j].label, l))
                return err_set(e, "monitor: label \"%s\" given twice", l);
    }
    return 0;
}
