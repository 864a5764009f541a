/*
 * pacer.h: the one header a micro-benchmark author includes.
 *
 *   #include "pacer.h"
 *
 *   static void copy(pacer_state *st)
 *   {
 *       size_t n = (size_t)pacer_param(st, "size");
 *       char *src = calloc(n, 1), *dst = malloc(n);
 *       PACER_LOOP(st) {
 *           memcpy(dst, src, n);
 *           pacer_clobber();
 *       }
 *       pacer_set_bytes_per_op(st, n);
 *       free(src);
 *       free(dst);
 *   }
 *   PACER_BENCHMARK(copy, .params = { PACER_RANGE("size", 64, 64 << 10, 4) });
 *
 * Link with libpacer.a (it brings main(); define your own main and call
 * pacer_main() to add to it).  The binary runs on its own and prints a
 * table, or serves as a worker for `pacer run`.
 *
 * Each call of the benchmark function takes one sample: the time of the
 * iterations of its PACER_LOOP (or pacer_loop()) loop.  Setup before the
 * loop and cleanup after it are not timed.
 */
#ifndef PACER_H
#define PACER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pacer_state pacer_state;
typedef void (*pacer_fn)(pacer_state *st);

/* One parameter axis: a list of values, or a geometric range lo..hi by mult
 * (lo, lo*mult, ... and hi itself).  Instances are the cartesian product of
 * all axes, first axis outermost. */
struct pacer_axis {
    const char *name;
    const long long *values;
    size_t nvalues;
    long long lo, hi, mult;
};

#define PACER_MAX_AXES 4

/* A benchmark definition.  Fill it with PACER_BENCHMARK's designated
 * initializers; fields left out keep their defaults.  In C++ the
 * designators must come in the order of the fields below (.group, .setup,
 * .teardown, .params, .samples, .sample_time, .warmup, .manual_time,
 * .threads, .threads_max, .complexity). */
struct pacer_def {
    const char *name;         /* set by PACER_BENCHMARK to the function name */
    pacer_fn fn;              /* the timed function */
    const char *group;        /* optional: suite/group/name */
    pacer_fn setup;           /* optional: once per process, before warmup */
    pacer_fn teardown;        /* optional: once per process, after the samples;
                                 also after a setup that skipped part-way, so
                                 it must cope with half-built data */
    struct pacer_axis params[PACER_MAX_AXES];
    /* optional, as Google Benchmark's ->Repetitions() and ->MinTime(): how
     * to measure this benchmark when the suite file or the command line
     * does not say (0: pacer's defaults) */
    unsigned samples;         /* samples */
    double sample_time;       /* seconds one sample lasts at least */
    double warmup;            /* seconds of warmup */
    const char *file;         /* internal: where it was defined */
    int line;                 /* internal */
    const char *compiler;     /* internal: compiler of the defining file */
    int optimized;            /* internal: built with optimization */
    const char *cflags;       /* internal: its flags, as PACER_CFLAGS_ says */
    struct pacer_def *next;   /* internal: registry link */
    /* optional, appended so that C++'s designator order stays (.group, ...,
     * .warmup, then these): */
    int manual_time;          /* 1: the benchmark times itself with
                                 pacer_set_iteration_time() (Google
                                 Benchmark's ->UseManualTime()); the name
                                 gains /manual_time */
    unsigned threads;         /* run by this many threads at once, each with
                                 its own state (->Threads(n)); the name gains
                                 /threads:N.  0: one, the calling thread */
    unsigned threads_max;     /* with .threads: an instance for each of
                                 threads, 2*threads, ... up to threads_max
                                 (->ThreadRange(threads, threads_max)) */
    int complexity;           /* PACER_O*: fit the instances' time per
                                 iteration to c * g(n) (->Complexity()) */
};

/* Register a definition (PACER_BENCHMARK does this before main runs). */
void pacer_register(struct pacer_def *def);

#if defined(__clang__)
#define PACER_COMPILER_ "clang " __clang_version__
#elif defined(__GNUG__)
#define PACER_COMPILER_ "g++ " __VERSION__
#elif defined(__GNUC__)
#define PACER_COMPILER_ "gcc " __VERSION__
#else
#define PACER_COMPILER_ "unknown"
#endif
#ifdef __OPTIMIZE__
#define PACER_OPTIMIZED_ 1
#else
#define PACER_OPTIMIZED_ 0
#endif

/* The defining file's build flags, recorded in results (context.build.
 * cflags).  A build may give them: -DPACER_CFLAGS='"-O2 -march=native"';
 * else what the compiler tells the code of them: optimization, the widest
 * vector extension it may use, NDEBUG, -ffast-math, sanitizers. */
#ifdef PACER_CFLAGS
#define PACER_CFLAGS_ PACER_CFLAGS
#else
#if defined(__OPTIMIZE_SIZE__)
#define PACER_O_ "optimized for size (-Os)"
#elif defined(__OPTIMIZE__)
#define PACER_O_ "optimized (-O1 or more)"
#else
#define PACER_O_ "not optimized (-O0)"
#endif
#if defined(__AVX512F__)
#define PACER_ISA_ ", avx512f"
#elif defined(__AVX2__)
#define PACER_ISA_ ", avx2"
#elif defined(__AVX__)
#define PACER_ISA_ ", avx"
#elif defined(__SSE4_2__)
#define PACER_ISA_ ", sse4.2"
#elif defined(__x86_64__)
#define PACER_ISA_ ", x86-64 baseline"
#else
#define PACER_ISA_ ""
#endif
#ifdef NDEBUG
#define PACER_NDEBUG_ ", NDEBUG"
#else
#define PACER_NDEBUG_ ""
#endif
#ifdef __FAST_MATH__
#define PACER_FM_ ", -ffast-math"
#else
#define PACER_FM_ ""
#endif
#ifdef __SANITIZE_ADDRESS__
#define PACER_SAN_ ", -fsanitize=address"
#else
#define PACER_SAN_ ""
#endif
#define PACER_CFLAGS_ PACER_O_ PACER_ISA_ PACER_NDEBUG_ PACER_FM_ PACER_SAN_
#endif

#ifndef __cplusplus
#define PACER_BENCHMARK(fn_, ...)                                              \
    static struct pacer_def pacer_def_##fn_ = {                                \
        .name = #fn_, .fn = fn_, .file = __FILE__, .line = __LINE__,           \
        .compiler = PACER_COMPILER_, .optimized = PACER_OPTIMIZED_,            \
        .cflags = PACER_CFLAGS_, __VA_ARGS__};                                 \
    __attribute__((constructor)) static void pacer_register_##fn_(void)        \
    {                                                                          \
        pacer_register(&pacer_def_##fn_);                                      \
    }

/* Parameter axes for .params = { ... }. */
#define PACER_RANGE(name_, lo_, hi_, mult_)                                    \
    { .name = (name_), .lo = (lo_), .hi = (hi_), .mult = (mult_) }
#define PACER_LIST(name_, ...)                                                 \
    { .name = (name_), .values = (const long long[]){__VA_ARGS__},             \
      .nvalues = sizeof((const long long[]){__VA_ARGS__}) / sizeof(long long) }
#else
/* C++ (20, or g++ and clang++ in earlier modes): designated initializers
 * must come in declaration order (.group, .setup, .teardown, .params), so
 * the fields pacer fills are set when the definition is registered. */
#define PACER_BENCHMARK(fn_, ...)                                              \
    _Pragma("GCC diagnostic push")                                             \
    _Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")         \
    static struct pacer_def pacer_def_##fn_ = {__VA_ARGS__};                   \
    _Pragma("GCC diagnostic pop")                                              \
    __attribute__((constructor)) static void pacer_register_##fn_(void)        \
    {                                                                          \
        pacer_def_##fn_.name = #fn_;                                           \
        pacer_def_##fn_.fn = fn_;                                              \
        pacer_def_##fn_.file = __FILE__;                                       \
        pacer_def_##fn_.line = __LINE__;                                       \
        pacer_def_##fn_.compiler = PACER_COMPILER_;                            \
        pacer_def_##fn_.optimized = PACER_OPTIMIZED_;                          \
        pacer_def_##fn_.cflags = PACER_CFLAGS_;                                \
        pacer_register(&pacer_def_##fn_);                                      \
    }
#define PACER_RANGE(name_, lo_, hi_, mult_)                                    \
    { (name_), nullptr, 0, (lo_), (hi_), (mult_) }
#define PACER_LIST(name_, ...)                                                 \
    { (name_), [] { static const long long v_[] = {__VA_ARGS__}; return v_; }(), \
      pacer_count_(__VA_ARGS__), 0, 0, 0 }
#endif

/* ---- inside a benchmark -------------------------------------------------- */

/* The state a benchmark function receives.  The fields are internal; use the
 * functions below.  They are visible only so pacer_loop() can be inlined. */
struct pacer_state {
    uint64_t remaining_;      /* iterations left in the running loop */
    uint64_t iterations_;     /* iterations this call must run */
    int phase_;               /* 0 not started, 1 running, 2 done */
    struct pacer_priv *priv_;
};

int pacer_loop_slow_(pacer_state *st);
uint64_t pacer_start_(pacer_state *st);
void pacer_stop_clock_(pacer_state *st);

/* Ends a PACER_LOOP: stops the clock; 0 ends the for statement.  Inline so
 * the compiler sees the loop ends there. */
static inline int pacer_stop_(pacer_state *st)
{
    pacer_stop_clock_(st);
    return 0;
}

#define PACER_CAT2_(a, b) a##b
#define PACER_CAT_(a, b) PACER_CAT2_(a, b)

/* The timed loop: `PACER_LOOP(st) { body }` runs body pacer_iterations(st)
 * times between two clock reads.  Its counter is a local whose address never
 * escapes, so it stays in a register even when the body holds
 * pacer_clobber() or calls functions: the loop costs one decrement and one
 * branch per iteration.  Use one timed loop per call.  Leaving it early
 * (break, return) makes the sample an error, unless pacer_skip() came
 * first. */
#define PACER_LOOP(st)                                                         \
    for (uint64_t PACER_CAT_(pacer_i_, __LINE__) = pacer_start_(st);           \
         PACER_CAT_(pacer_i_, __LINE__) != 0 || pacer_stop_(st);              \
         PACER_CAT_(pacer_i_, __LINE__)--)

/* The same loop as `while (pacer_loop(st)) { body }`: the first call starts
 * the clock, the call that returns 0 stops it.  Its counter lives in the
 * state, which the body's barriers make the compiler store and reload every
 * iteration (about one cycle); prefer PACER_LOOP for bodies of a few ns. */
static inline int pacer_loop(pacer_state *st)
{
    if (__builtin_expect(st->remaining_ != 0, 1)) {
        st->remaining_--;
        return 1;
    }
    return pacer_loop_slow_(st);
}

/* Iterations this call runs (known before the loop starts). */
static inline uint64_t pacer_iterations(const pacer_state *st)
{
    return st->iterations_;
}

/* The value of a parameter of this instance (also inside setup).  When it
 * has none by that name, the benchmark fails with an error naming the
 * parameter, 0 is returned and its pacer_loop() loop will not run: code
 * before the loop must cope with that 0. */
long long pacer_param(pacer_state *st, const char *name);
/* The value of the i-th parameter axis. */
long long pacer_arg(pacer_state *st, size_t i);

/* Stop and restart the clock inside the loop (costly: two clock reads). */
void pacer_pause(pacer_state *st);
void pacer_resume(pacer_state *st);

/* Throughput: bytes or items one iteration processes. */
void pacer_set_bytes_per_op(pacer_state *st, double bytes);
void pacer_set_items_per_op(pacer_state *st, double items);

/* User counters (Google Benchmark's state.counters["name"] = Counter(v,
 * flags)): a figure of this call's sample beside its time, shown as a
 * column of the tables and kept in the result under its name.  Setting a
 * name again replaces its value.  Flags (or'ed), applied in this order
 * when the call ends, as Google Benchmark applies its own:
 *   PACER_COUNTER_RATE             divided by the sample's time in seconds
 *                                  (its wall time, or its manual time; Google
 *                                  Benchmark divides by CPU time unless the
 *                                  benchmark uses real or manual time)
 *   PACER_COUNTER_AVG_THREADS      divided by the threads (.threads)
 *   PACER_COUNTER_ITERATION_INVARIANT  multiplied by the iterations
 *   PACER_COUNTER_AVG_ITERATIONS   divided by the iterations (all threads')
 *   PACER_COUNTER_INVERT           inverted (1 / value): a rate becomes
 *                                  seconds per thing
 * In a threaded call the threads' values of a name are summed first.  A
 * name is up to 63 letters, digits, '_', '-', '.', ':' or '/'; up to
 * PACER_MAX_COUNTERS names per benchmark. */
enum {
    PACER_COUNTER_DEFAULT = 0,
    PACER_COUNTER_RATE = 1 << 0,
    PACER_COUNTER_AVG_THREADS = 1 << 1,
    PACER_COUNTER_ITERATION_INVARIANT = 1 << 2,
    PACER_COUNTER_AVG_ITERATIONS = 1 << 3,
    PACER_COUNTER_INVERT = 1 << 30
};
#define PACER_MAX_COUNTERS 16
void pacer_counter(pacer_state *st, const char *name, double value, unsigned flags);

/* Asymptotic complexity (.complexity = PACER_ON, Google Benchmark's
 * ->Complexity(benchmark::oN)): once the instances of a benchmark are
 * measured (those of one thread count), their median times per iteration
 * are fitted by least squares to c * g(n), g one of 1, lg n, n, n lg n,
 * n^2, n^3 (PACER_OAUTO: the one of lowest RMS), and shown as Google
 * Benchmark shows them (name_BigO, name_RMS rows).  n is what
 * pacer_set_complexity_n() gave (Google Benchmark's SetComplexityN), else
 * the benchmark's one parameter. */
enum {
    PACER_ONONE,
    PACER_O1,
    PACER_OLOGN,
    PACER_ON,
    PACER_ONLOGN,
    PACER_ON2,
    PACER_ON3,
    PACER_OAUTO
};
void pacer_set_complexity_n(pacer_state *st, long long n);

/* Manual timing (.manual_time = 1): the time of this iteration (or of
 * the part of it that counts: a GPU kernel, an I/O), in seconds, measured
 * by the benchmark itself; call it once per iteration inside the loop.  A
 * sample's time is the sum of what was given (Google Benchmark's
 * SetIterationTime).  A negative or non-finite time, or a call from a
 * benchmark without .manual_time, is an error. */
void pacer_set_iteration_time(pacer_state *st, double seconds);

/* Threaded benchmarks (.threads = N): this thread's index, 0 to N-1, and
 * N (0 and 1 without .threads).  Each thread calls the benchmark function
 * with its own state; all start their timed loop together (a barrier) and
 * wait for each other after it.  Setup and teardown run once, in thread 0:
 * the data they hand over (pacer_set_data) is seen by every thread. */
int pacer_thread_index(const pacer_state *st);
int pacer_threads(const pacer_state *st);

/* Data a setup function hands to the benchmark and its teardown. */
void pacer_set_data(pacer_state *st, void *data);
void *pacer_data(pacer_state *st);

/* Skip this benchmark, with a reason ("no AVX-512 here"): it is recorded
 * as skipped, not as an error, so a run with skips still exits 0 (as
 * Google Benchmark's SkipWithMessage).  A pacer_loop() loop ends at its
 * next call; in PACER_LOOP, break or return after it. */
void pacer_skip(pacer_state *st, const char *reason);

/* Give up on this benchmark with a reason recorded as its error: the run
 * exits 3, as for a crash (Google Benchmark's SkipWithError). */
void pacer_error(pacer_state *st, const char *reason);

/* Entry point of a suite binary: standalone table, or worker for pacer run. */
int pacer_main(int argc, char **argv);

/* ---- optimization barriers ----------------------------------------------- */

/* Make the compiler believe the value is used: it must be computed. */
#define pacer_do_not_optimize(x)                                               \
    do {                                                                       \
        __typeof__(x) pacer_dno_ = (x);                                        \
        __asm__ __volatile__("" : : "r,m"(pacer_dno_) : "memory");             \
    } while (0)

/* Make the compiler believe all memory may have been read and written. */
static inline void pacer_clobber(void)
{
    __asm__ __volatile__("" : : : "memory");
}

#ifdef __cplusplus
}

/* How many values PACER_LIST was given. */
template <typename... T> constexpr size_t pacer_count_(T...)
{
    return sizeof...(T);
}
#endif

#endif /* PACER_H */
