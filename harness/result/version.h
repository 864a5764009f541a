/* version.h: pacer's version and the result schema it writes. */
#ifndef PACER_VERSION_H
#define PACER_VERSION_H

#define PACER_VERSION "0.1.0"

/* Result files: readers accept any minor version of their major. */
#define RESULT_SCHEMA_MAJOR 1
#define RESULT_SCHEMA_MINOR 13  /* 1.1: benchmarks[].process_samples;
                                   1.2: benchmarks[].load;
                                   1.3: benchmarks[].reference,
                                        ab.analysis without ratio_ci;
                                   1.4: settings.mode ("instructions"),
                                        context.build.valgrind;
                                   1.5: load blocks: due, no_free_connection,
                                        late_wake, warmup_requests,
                                        warmup_errors, settings.nap,
                                        generator.wait_max;
                                   1.6: benchmarks[].skipped;
                                   1.7: benchmarks[].counters (user
                                        counters, pacer_counter);
                                   1.8: complexity (fits.h);
                                   1.9: load blocks: server_closed;
                                   1.10: load blocks: settings.stages,
                                        series columns target and
                                        achieved (the shape asked and
                                        achieved), the error class
                                        too_large (flows);
                                   1.11: load blocks: monitor_net (the
                                        machine's network), a monitor
                                        series' tcp (its connections by
                                        port), labelled series beside
                                        server and pacer;
                                        benchmarks[].capacity (a
                                        capacity search, capres.h);
                                   1.12: segment (a load run split
                                        over several generators, and
                                        the record of pacer merge);
                                   1.13: load blocks' percentiles p95
                                        (older blocks: from their
                                        histogram), metric latency.p95 */

#endif
