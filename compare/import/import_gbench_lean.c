/*
 * import_gbench_lean.c: the lean read of a Google Benchmark file
 * (import.h, import_gbench_lean).  A file of 10,000 benchmarks with 10
 * repetitions is 50 MB of JSON; building it as a tree costs ten times the
 * scan.  Here the text is walked once with the scanner of jscan.h (keys in
 * any order, as Google Benchmark writes them; a repeated key gives up):
 * the context, small, is parsed whole and read by the full reader's own
 * code; each entry of "benchmarks" is scanned into its fields, checked as
 * import_gbench.c checks them, and given to the same gb_entry_add.
 * Anything the full reader would refuse or word (a field of another type,
 * a missing one, an unknown unit, a run_type it does not know, keys in an
 * order it would read differently) makes this reader give up; the caller
 * then reads the file fully, which words the error.  So both give the
 * same result for every file this one takes (test_import_gbench.c holds
 * them to it on every Google Benchmark file under tests/data and the fuzz
 * corpus; fuzz_import does on every input it makes).
 */
#include "import.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/result/jscan.h"
#include "harness/result/jsonparse.h"
#include "import_gbench_private.h"

#define GIVE_UP JSCAN_GIVE_UP

/* The fields of an entry the full reader looks at. */
enum field { F_NAME, F_RUN_NAME, F_RUN_TYPE, F_AGG_NAME, F_THREADS, F_ERR_OCC, F_ERR_MSG,
             F_ITERS, F_UNIT, F_REAL, F_CPU, F_BPS, F_IPS, NFIELDS };

enum ftype { T_STR, T_INT, T_NUM, T_BOOL };

#define KEY(k) k, sizeof k - 1
static const struct {
    const char *key;
    size_t len;
    enum ftype type;
} fields[NFIELDS] = {
    [F_NAME] = {KEY("name"), T_STR},
    [F_RUN_NAME] = {KEY("run_name"), T_STR},
    [F_RUN_TYPE] = {KEY("run_type"), T_STR},
    [F_AGG_NAME] = {KEY("aggregate_name"), T_STR},
    [F_THREADS] = {KEY("threads"), T_INT},
    [F_ERR_OCC] = {KEY("error_occurred"), T_BOOL},
    [F_ERR_MSG] = {KEY("error_message"), T_STR},
    [F_ITERS] = {KEY("iterations"), T_INT},
    [F_UNIT] = {KEY("time_unit"), T_STR},
    [F_REAL] = {KEY("real_time"), T_NUM},
    [F_CPU] = {KEY("cpu_time"), T_NUM},
    [F_BPS] = {KEY("bytes_per_second"), T_NUM},
    [F_IPS] = {KEY("items_per_second"), T_NUM},
};

/* An entry as scanned: for each field, whether its key is there and
 * whether its value has the type the full reader asks for. */
struct scanned {
    unsigned have, bad;   /* bit per field */
    const char *str[NFIELDS];
    long long i[NFIELDS];
    double d[NFIELDS];
    int b;
    struct gb_entry uc;   /* its user counters (uc, nuc) only */
};

#define HAVE(x, f) (((x)->have >> (f)) & 1u)
#define BAD(x, f) (((x)->bad >> (f)) & 1u)

static int field_of(const char *key, size_t klen)
{
    int f;

    for (f = 0; f < NFIELDS; f++)
        if (fields[f].len == klen && memcmp(fields[f].key, key, klen) == 0)
            return f;
    return -1;
}

static int entry_member(struct jscan *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct scanned *x = ctx;
    int f = field_of(key, klen), is_int;
    char c = *s->p;

    if (f < 0) {   /* a user counter, if a finite number (import_gbench.c's
                      read_counters) */
        double d;
        if ((c == '-' || (c >= '0' && c <= '9')) && gb_is_counter(key, klen)) {
            if (jscan_number(s, NULL, &d) < 0)
                return GIVE_UP;
            if (x->uc.nuc < GB_MAX_COUNTERS && isfinite(d)) {
                x->uc.uc[x->uc.nuc].name = key;
                x->uc.uc[x->uc.nuc].len = klen;
                x->uc.uc[x->uc.nuc++].v = d;
            }
            return 0;
        }
        if (klen > 0 && memchr(key, '\0', klen))
            return GIVE_UP;   /* the full reader's keys are C strings */
        return jscan_skip_any(s, depth);
    }
    x->have |= 1u << f;
    switch (fields[f].type) {
    case T_STR:
        if (c == '"')
            return jscan_string(s, &x->str[f]);
        break;
    case T_INT:
        if (c == '-' || (c >= '0' && c <= '9')) {
            const char *at = s->p;
            if (jscan_number(s, &is_int, NULL) < 0)
                return GIVE_UP;
            if (!is_int) {
                x->bad |= 1u << f;   /* a real where an integer is asked for */
                return 0;
            }
            s->p = at;
            return jscan_int(s, &x->i[f]);
        }
        break;
    case T_NUM:
        if (c == '-' || (c >= '0' && c <= '9'))
            return jscan_number(s, NULL, &x->d[f]);
        break;
    case T_BOOL:
        if (c == 't' || c == 'f') {
            x->b = c == 't';
            return jscan_skip(s, depth);
        }
        break;
    }
    x->bad |= 1u << f;   /* another type, or null */
    return jscan_skip_any(s, depth);
}

/* The checks of import_gbench.c's read_entry, giving up where it would
 * fail; en as it makes it. */
static int entry_check(const struct scanned *x, struct gb_entry *en)
{
    memset(en, 0, sizeof *en);
    en->threads = 1;
    if (BAD(x, F_RUN_NAME) || BAD(x, F_NAME) || BAD(x, F_RUN_TYPE))
        return GIVE_UP;
    en->name = HAVE(x, F_RUN_NAME) ? x->str[F_RUN_NAME] : HAVE(x, F_NAME) ? x->str[F_NAME] : NULL;
    if (!en->name || !*en->name)
        return GIVE_UP;
    if (!HAVE(x, F_RUN_TYPE))
        en->is_agg = HAVE(x, F_AGG_NAME);   /* its key is there, whatever its value */
    else if (strcmp(x->str[F_RUN_TYPE], "iteration") == 0 ||
             strcmp(x->str[F_RUN_TYPE], "aggregate") == 0)
        en->is_agg = x->str[F_RUN_TYPE][0] == 'a';
    else
        return GIVE_UP;
    if (en->is_agg) {
        if (BAD(x, F_AGG_NAME))
            return GIVE_UP;
        en->mean = HAVE(x, F_AGG_NAME) && strcmp(x->str[F_AGG_NAME], "mean") == 0 &&
                   HAVE(x, F_RUN_NAME);
        return 0;
    }
    if (BAD(x, F_THREADS) || BAD(x, F_ERR_OCC) || BAD(x, F_ERR_MSG))
        return GIVE_UP;
    if (HAVE(x, F_THREADS)) {
        if (x->i[F_THREADS] < 1)
            return GIVE_UP;
        en->threads = x->i[F_THREADS];
    }
    if (HAVE(x, F_ERR_OCC) && x->b) {
        if (!HAVE(x, F_ERR_MSG))
            return GIVE_UP;
        en->error = x->str[F_ERR_MSG];
        return 0;
    }
    if (HAVE(x, F_ERR_MSG)) {
        en->skip = x->str[F_ERR_MSG];
        return 0;
    }
    /* an iteration that ran: read_sample's fields */
    if (!HAVE(x, F_ITERS) || BAD(x, F_ITERS) || x->i[F_ITERS] < 1 || !HAVE(x, F_UNIT) ||
        BAD(x, F_UNIT) || (en->mult = gb_time_unit(x->str[F_UNIT])) == 0 ||
        !HAVE(x, F_REAL) || BAD(x, F_REAL) || !HAVE(x, F_CPU) || BAD(x, F_CPU) ||
        BAD(x, F_BPS) || BAD(x, F_IPS))
        return GIVE_UP;
    en->iters = x->i[F_ITERS];
    en->real = x->d[F_REAL];
    en->cpu = x->d[F_CPU];
    en->bps = HAVE(x, F_BPS) ? x->d[F_BPS] : 0;
    en->ips = HAVE(x, F_IPS) ? x->d[F_IPS] : 0;
    if (en->real < 0 || en->cpu < 0 || en->bps < 0 || en->ips < 0 ||
        !isfinite(en->real * en->mult) || !isfinite(en->cpu * en->mult))
        return GIVE_UP;
    memcpy(en->uc, x->uc.uc, sizeof en->uc);
    en->nuc = x->uc.nuc;
    return 0;
}

struct lean {
    struct gb g;
    json_t *context;          /* parsed whole; g.binary points into it */
    int have_benchmarks, detected;
};

static int entry_elem(struct jscan *s, size_t i, void *ctx, int depth)
{
    struct lean *l = ctx;
    struct scanned x;
    struct gb_entry en;

    if (*s->p != '{')
        return GIVE_UP;
    memset(&x, 0, sizeof x);
    s->alen = 0;   /* the strings of the entry before are no longer needed */
    if (jscan_object_any(s, entry_member, &x, depth) < 0)
        return GIVE_UP;
    l->detected |= HAVE(&x, F_RUN_NAME) || HAVE(&x, F_REAL);
    if (entry_check(&x, &en) < 0 || gb_entry_add(&l->g, &en, i) < 0)
        return GIVE_UP;
    return 0;
}

static int root_member(struct jscan *s, const char *key, size_t klen, void *ctx, int depth)
{
    struct lean *l = ctx;
    const char *start = s->p;

    if (klen == 6 && memcmp(key, "schema", 6) == 0)
        return GIVE_UP;   /* a pacer result */
    if (klen == 7 && memcmp(key, "context", 7) == 0) {
        if (*start != '{' || l->have_benchmarks || jscan_skip_any(s, depth) < 0 ||
            !(l->context = jp_loadb(start, (size_t)(s->p - start))) ||
            gb_context(&l->g, l->context) < 0)
            return GIVE_UP;
        return 0;
    }
    if (klen == 10 && memcmp(key, "benchmarks", 10) == 0) {
        /* the context first, as Google Benchmark writes it */
        if (!l->context || *start != '[')
            return GIVE_UP;
        l->have_benchmarks = 1;
        return jscan_array(s, entry_elem, l, depth);
    }
    return jscan_skip_any(s, depth);
}

int import_gbench_lean(const char *buf, size_t len, const char *name,
                       const struct import_opts *io, struct result *out)
{
    struct lean l = {0};
    struct err e = {0};   /* never told: giving up is the only failure */
    char *arena = malloc(len + 1);
    struct jscan s = {buf, buf + len, arena, 0};
    int rc = GIVE_UP;

    if (!arena || gb_begin(&l.g, name, io, out, &e) < 0)
        goto done;
    jscan_ws(&s);
    if (*s.p != '{')
        goto done;
    /* the first key tells a Google Benchmark file at once: "context" */
    if (strncmp(s.p + 1 + strspn(s.p + 1, " \t\r\n"), "\"context\"", 9) != 0)
        goto done;
    if (jscan_object_any(&s, root_member, &l, 1) < 0 || !l.have_benchmarks || !l.detected)
        goto done;
    jscan_ws(&s);
    if (s.p != s.end || gb_finish(&l.g) < 0)
        goto done;
    rc = 0;
done:
    gb_end(&l.g);
    json_decref(l.context);
    free(arena);
    if (rc < 0) {
        result_free(out);
        result_init(out);
    }
    return rc;
}
