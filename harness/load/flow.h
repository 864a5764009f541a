/*
 * flow.h: virtual users.  A flow is a list of steps a user performs in
 * order, then repeats: each step a request (method, path, headers, body,
 * with ${variables}), what its answer must be (status, checks on the
 * body), what is taken from it into variables (captures by a header, a
 * regular expression or a JSON field), and a think time before the next
 * step.  A load of flows gives each connection one user, with its own
 * variables and cookies; the users of a run pick their flows by weight.
 *
 * Whoever reads a flow file (the suite reader) fills the texts of struct
 * load_flows; load_flows_compile then checks and compiles them, so that
 * nothing is left to fail once the load has started.  The generator knows
 * nothing of files: data rows come in as strings.
 */
#ifndef PACER_FLOW_H
#define PACER_FLOW_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/lib/err.h"

/* A think time: fixed, uniform in [a, b], or exponential of mean a. */
enum think_kind { THINK_NONE, THINK_FIXED, THINK_UNIFORM, THINK_EXP };
struct think {
    enum think_kind kind;
    uint64_t a, b;               /* ns */
};

/* Data a flow's variables draw from: a list picked from at random on every
 * use (${NAME}), or the rows of a CSV file, one row per iteration of a
 * user (${NAME.COLUMN}; ${NAME} is the first column), taken in turn across
 * the run or at random. */
enum data_kind { DATA_PICK, DATA_ROWS };
struct load_data {
    char *name;
    enum data_kind kind;
    char **cols;                 /* DATA_ROWS: column names */
    size_t ncols;
    char **cells;                /* DATA_PICK: the items; DATA_ROWS: nrows * ncols */
    size_t nrows;                /* DATA_PICK: the number of items */
    int random;                  /* DATA_ROWS: rows at random, not in turn */
};

/* A text with ${...} references, compiled into parts. */
enum tpl_kind { TPL_TEXT, TPL_USER, TPL_ITERATION, TPL_COUNTER, TPL_PICK, TPL_ROW,
                TPL_CAPTURE };
struct tpl_part {
    enum tpl_kind kind;
    const char *text;            /* TPL_TEXT: into the source text */
    size_t len;
    size_t idx;                  /* data index (PICK, ROW) or capture slot */
    size_t col;                  /* ROW: the column */
};
struct tpl {
    char *src;                   /* the text as written (owned) */
    struct tpl_part *parts;
    size_t nparts;
};

enum capture_kind { CAPTURE_HEADER, CAPTURE_REGEX, CAPTURE_JSON };
struct capture {
    char *var;                   /* the variable it sets */
    enum capture_kind kind;
    char *expr;                  /* header name, pattern, or JSON path */
    regex_t re;                  /* CAPTURE_REGEX, compiled */
    int compiled;
    size_t slot;                 /* of the user's captured values */
};

enum check_kind { CHECK_CONTAINS, CHECK_REGEX, CHECK_JSON };
struct check {
    enum check_kind kind;
    char *expr;                  /* text, pattern, or JSON path */
    char *equals;                /* CHECK_JSON: the value's text (a string's
                                    contents, else the JSON as written);
                                    NULL: the field need only exist */
    regex_t re;
    int compiled;
};

struct flow_step {
    char *name;
    char *method;                /* NULL: GET, or POST with a body */
    struct tpl path;             /* from the target's root */
    struct tpl *headers;         /* "Name: value", the value a template */
    size_t nheaders;
    struct tpl body;             /* src NULL: none */
    int json_body;               /* the body was written as JSON ("json") */
    int status;                  /* expected; 0: any below 400 */
    struct capture *captures;
    size_t ncaptures;
    struct check *checks;
    size_t nchecks;
    struct think think;          /* after the step; THINK_NONE: the flow's */
    int has_think;
    int head;                    /* a HEAD request: no body in the answer */
    int needs_body;              /* a check or capture reads the body */
    size_t index;                /* among all the steps of the flows */
};

struct load_flow {
    char *name;
    double weight;
    struct think think;          /* between steps, where a step has none */
    struct flow_step *steps;
    size_t nsteps;
};

struct load_flows {
    struct load_flow *flows;
    size_t nflows;
    struct load_data *data;
    size_t ndata;
    /* set by load_flows_compile */
    size_t nsteps;               /* over every flow */
    char **capture_names;        /* one slot per captured variable */
    size_t ncaptures;
    uint32_t max_body;           /* the largest answer kept (0: 1 MiB) */
    int compiled;
};

/* Check and compile fs: every template's variables known (a captured one
 * captured by an earlier step of the same flow), patterns and JSON paths
 * valid, captures able to match, weights positive.  -1 with "JSON.PATH:
 * cause" in e (flows[1].steps[0].path: ...). */
int load_flows_compile(struct load_flows *fs, struct err *e);
void load_flows_free(struct load_flows *fs);

/* A limit's or threshold's part ("step:NAME METRIC ..." or "flow:NAME
 * ..."): 0 when text is not one; else 1 with *step (1: a step, 0: a
 * flow) and the name's start and length. */
int flow_part_of(const char *text, int *step, const char **name, size_t *n);
/* Whether fs (NULL: none) has a step (step 1) or flow named [name, name+n). */
int load_flows_has(const struct load_flows *fs, int step, const char *name, size_t n);

/* The value of the JSON field at path ("a.b.0.c") in the text [s, s+n):
 * its start and length in *v, *vn (a string's contents, escapes left as
 * they are; else the value as written).  1 when found, 0 when not, -1
 * when the text is not JSON as far as it was read. */
int json_field(const char *s, size_t n, const char *path, const char **v, size_t *vn);
/* Whether path is a valid JSON path (names and indices separated by dots). */
int json_path_valid(const char *path);

#endif
