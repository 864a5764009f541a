/*
 * worker.h: the worker protocol between `pacer run` (the driver) and a suite
 * binary (the worker).  The driver starts `BINARY --pacer-worker` with the
 * request pipe on fd 3 and the answer pipe on fd 4 (stdout goes to
 * /dev/null, stderr to the driver).  One request per line, one answer per
 * line (list answers with a count, then that many lines):
 *
 *   hello                                  ok pacer-worker 1 <compiler>\t<cflags>
 *   list                                   ok <n>   then n lines: <name>[ <param>=<int>]...
 *                                          [ threads=<n>] (of a threaded instance)
 *                                          [ @samples=<n>][ @sample_time_ns=<ns>][ @warmup_ns=<ns>]
 *                                          [ @complexity=<shape>] (the last: how its definition
 *                                          asks to be measured, and what to fit; bigo.h's names,
 *                                          or auto)
 *   select <name>                          ok
 *   setup                                  ok
 *   calibrate <target_ns> <max_iters>      ok <iters> <ns>
 *   warmup <iters> <dur_ns> <target_ns> <fixed>
 *                                          ok <iters> <samples> <settled> <median_ns>
 *   sample <iters> <count>                 ok <bytes_per_op> <items_per_op> <ns>...
 *   cpu                                    ok <cpu_ns>...  (of the last sample batch)
 *   cn                                     ok <n>  (the n of .complexity of the last sample)
 *   user                                   ok <k>[ <name> <flags> <v>...]... (the user
 *                                          counters of the last batch: k names, each
 *                                          with a value per sample, nan where unset)
 *   count <iters> <count> <prefix>         ok <instructions> <cycles> <waited> ... (count triples)
 *   profile <iters>                        ok <n>  (callgrind's dump number n)
 *   counters <name,name,...>               ok <n>  (perf counters, hwcount.h, for
 *                                          the benchmarks selected after it)
 *   hw                                     ok <v>... (their values in each sample of
 *                                          the last batch, sample by sample)
 *   wait                                   ok <ns>... (the time each sample of the last
 *                                          batch waited for a core)
 *   reference <count>                      ok <compute_ns> <memory_ns> ... (count pairs)
 *   teardown                               ok
 *   quit                                   (the worker exits 0)
 *
 * Any failure answers "err <one-line message>"; a benchmark that skipped
 * itself (pacer_skip, not pacer_error) answers "skip <reason>" instead,
 * which the driver records as skipped, not failed.  Sample times are the
 * total ns of <iters> iterations; the driver divides.  "cpu" gives the CPU
 * time the process spent in each sample of the last batch (all its
 * threads: the time it ran, not the time it waited for a core); "wait" the
 * time its thread waited in the scheduler's run queue across each sample
 * (where the kernel keeps schedstat).  "reference" times rounds of the
 * reference workload (refwork.h); workers linked with an older libpacer
 * answer these three (and "user") "err malformed request", and the driver
 * then goes without.  "count" (pacer run --mode instructions, under
 * valgrind's callgrind) takes samples as "sample" does and gives the
 * instructions and estimated cycles of each sample's timed loop, read
 * from the dumps at <prefix>.<pid>.<n> (counts.h).
 */
#ifndef PACER_WORKER_H
#define PACER_WORKER_H

#define WORKER_PROTOCOL 1
#define WORKER_FLAG "--pacer-worker"
#define WORKER_REQ_FD 3
#define WORKER_ANS_FD 4
#define WORKER_MAX_BATCH 100000

/* Serve requests on rfd, answer on wfd, until quit or end of input.
 * Returns the process exit status. */
int worker_serve(int rfd, int wfd);

#endif
