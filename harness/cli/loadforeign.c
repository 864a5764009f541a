/* loadforeign.c: other load tools' options, in pacer's words (loadforeign.h). */
#include "loadforeign.h"

#include <stdio.h>
#include <string.h>

#include "harness/result/jsonread.h"

/* An option of another tool that pacer load does not take; several tools
 * that share a spelling share an entry. */
struct foreign {
    const char *opt;
    const char *say;
};

static const struct foreign foreign[] = {
    {"--vus", "k6's virtual users; pacer's are -c N: a connection a user, each running the "
              "flows of --flow FILE when given"},
    {"-u", "k6's virtual users, Locust's users; pacer's are -c N: a connection a user, each "
           "running the flows of --flow FILE when given"},
    {"--users", "Locust's users; pacer's are -c N: a connection a user, each running the flows "
                "of --flow FILE when given"},
    {"-s", "k6's stages are pacer's --stages 30s:20,1m:20,10s:0; wrk's Lua script is pacer's "
           "--flow FILE (steps, captures and checks in JSON)"},
    {"--script", "wrk's Lua script; pacer's is --flow FILE (steps, captures and checks in "
                 "JSON)"},
    {"-r", "Locust's users started a second; pacer ramps users in stages: --stages "
           "10s:50,1m:50 (to 50 users over 10 s, then 50 for a minute)"},
    {"--spawn-rate", "Locust's users started a second; pacer ramps users in stages: --stages "
                     "10s:50,1m:50 (to 50 users over 10 s, then 50 for a minute)"},
    {"--run-time", "Locust's run time; pacer's is -d TIME (its -t is threads)"},
    {"--host", "Locust's; pacer takes the URL as its argument: pacer load "
               "http://HOST:PORT/PATH"},
    {"--headless", "Locust's; pacer has no web UI: it always runs headless, with a live line "
                   "on a terminal"},
    {"-f", "Locust's locustfile; pacer's users run the flows of --flow FILE (JSON)"},
    {"--locustfile", "Locust's; pacer's users run the flows of --flow FILE (JSON)"},
    {"--csv", "Locust's; pacer writes its whole result as JSON: --out FILE"},
    {"--html", "Locust's report; pacer report makes pages of results (--out FILE)"},
    {"--rps", "k6's cap on the rate; pacer's open loop sends at a fixed rate: -R N (latency "
              "then runs from each request's intended start)"},
    {"--iterations", "k6's count of iterations; pacer runs for a time: -d TIME (the summary "
                     "counts the flows' iterations)"},
    {"-i", "k6's count of iterations; pacer runs for a time: -d TIME (the summary counts the "
           "flows' iterations)"},
    {"-o", "k6's output; pacer's is --out FILE (its JSON result)"},
    {"--no-connection-reuse", "k6's; pacer's is --no-keepalive"},
    {"-k", "ab's keep-alive; pacer keeps connections alive unless --no-keepalive"},
    {"--latency", "wrk's; pacer always prints the latency percentiles"},
    {"-z", "hey's duration; pacer's is -d TIME"},
    {"-m", "hey's method; pacer's is -X METHOD"},
    {"-p", "ab's file to POST; pacer's is --body-file FILE (the method is then POST)"},
    {"-D", "hey's body file; pacer's is --body-file FILE"},
    {"-T", "ab's and hey's content type; pacer's is -H 'Content-Type: TYPE'"},
    {"-C", "ab's cookie; pacer's is -H 'Cookie: NAME=VALUE' (with --flow each user keeps its "
           "cookies)"},
    {"--think", "think time is a flow's: \"think\": {\"uniform\": [\"1s\", \"3s\"]} in the "
                "--flow FILE, for the flow or for a step"},
    {"--wait-time", "Locust's wait_time is a flow's think time: \"think\": {\"uniform\": "
                    "[\"1s\", \"3s\"]} in the --flow FILE"},
};

const char *load_foreign_option(const char *arg, char *buf, size_t n)
{
    char name[64];
    size_t len, i;

    if (!arg || arg[0] != '-' || !arg[1])
        return NULL;
    len = arg[1] == '-' ? strcspn(arg, "=") : 2;
    if (len >= sizeof name)
        return NULL;
    memcpy(name, arg, len);
    name[len] = '\0';
    for (i = 0; i < sizeof foreign / sizeof foreign[0]; i++)
        if (!strcmp(foreign[i].opt, name)) {
            snprintf(buf, n, "%s", foreign[i].say);
            return buf;
        }
    return NULL;
}

const char *load_foreign_at(size_t i)
{
    return i < sizeof foreign / sizeof foreign[0] ? foreign[i].opt : NULL;
}

const char *load_option_near(const char *arg, const struct option *opts)
{
    const char *names[128];
    char name[64];
    size_t len, n = 0;

    if (!arg || strncmp(arg, "--", 2) != 0)
        return NULL;
    len = strcspn(arg + 2, "=");
    if (len == 0 || len >= sizeof name)
        return NULL;
    memcpy(name, arg + 2, len);
    name[len] = '\0';
    for (; opts->name && n + 1 < sizeof names / sizeof names[0]; opts++)
        names[n++] = opts->name;
    names[n] = NULL;
    return jr_suggest(name, names);
}

const char *load_repeat_warning(unsigned repeat, uint64_t run_ns, char *buf, size_t n)
{
    double total = (double)repeat * (double)run_ns / 1e9;

    buf[0] = '\0';
    if (repeat >= 50 || (repeat > 1 && total >= 3600))
        snprintf(buf, n, "-n %u: %u repetitions of %.3g s each, %.*f %s in all (pacer's -n "
                 "repeats the whole run; ab's and hey's -n count requests)", repeat, repeat,
                 (double)run_ns / 1e9, total < 120 ? 1 : total < 7200 ? 0 : 1,
                 total < 120 ? total : total < 7200 ? total / 60 : total / 3600,
                 total < 120 ? "s" : total < 7200 ? "minutes" : "hours");
    return buf;
}
