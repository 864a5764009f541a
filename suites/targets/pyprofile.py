"""pyprofile.py: a stack-sampling profiler for pacer's Python targets, for
the measured window of a load run only.

A server that calls install(loop) starts sampling on SIGUSR1 and, on
SIGUSR2, stops and writes what it saw to
$TMPDIR/pacer-profile-<its pid>.callgrind (written to a temporary name and
renamed, so a reader never sees half a file).  `pacer load --profile-pid
PID`, and `pacer run --profile` for a suite's load benchmarks (whose targets
it starts with PACER_PROFILE=sample, or =yappi, in their environment), send
the two signals at the start and the end of the measured window, read the
file, and keep it beside the result, where `pacer show --profile` prints the
top functions and draws the flame graph, `pacer show --profile --diff`
compares two benchmarks of a result and `pacer compare --explain` two runs.

Two profilers: "sample" (the default) and "yappi".

sample: a thread reads the stack of the event loop's thread (sys._current_frames)
every millisecond and charges the microseconds since its last look to
that stack, so a function's cost is the time the loop spent in it: its
handlers, the loop's own work, and `select` while it waited for the
network.  A blocking call inside a coroutine (time.sleep, a file read)
shows where it stops every connection.  Time that coroutines spend
awaiting is not theirs: the loop was free meanwhile (a tracing profiler
such as yappi charges it to them instead; it gives totals per function,
not the stacks a flame graph needs).

yappi (Debian's python3-yappi), on its wall clock: a coroutine is charged
all the time from its start to its end, awaits included, which is how
long a request waited for it (concurrent requests overlap, so the totals
exceed the window).  yappi gives each function's totals and the time spent
in each callee; the stacks are made from those (each callee's share of a
caller's time carried down, as gprof does), so they are exact for a
function called from one place and proportional otherwise.

The file is callgrind's format with one context per whole stack
("fn=leaf'caller'...'root", as callgrind writes with --separate-callers)
and the event "us".
"""

import collections
import os
import signal
import sys
import tempfile
import threading
import time

INTERVAL = 0.001


def out_path(pid=None):
    return os.path.join(tempfile.gettempdir(), "pacer-profile-%d.callgrind" % (pid or os.getpid()))


def _name(code):
    # one context holds the frames separated by "'": keep it out of names
    return ("%s (%s:%d)" % (code.co_name, os.path.basename(code.co_filename),
                            code.co_firstlineno)).replace("'", "`")


class Sampler:
    def __init__(self, thread_id):
        self.thread_id = thread_id
        self.costs = collections.Counter()      # (stack, leaf file, leaf line) -> us
        self.running = False
        self.thread = None

    def start(self):
        if self.running:
            return
        self.costs.clear()
        self.running = True
        self.thread = threading.Thread(target=self._run, name="pacer-pyprofile", daemon=True)
        self.thread.start()

    def _run(self):
        last = time.perf_counter()
        while self.running:
            time.sleep(INTERVAL)
            now = time.perf_counter()
            frame = sys._current_frames().get(self.thread_id)
            if frame is not None:
                stack = []
                leaf = frame
                while frame is not None:
                    stack.append(_name(frame.f_code))
                    frame = frame.f_back
                # f_lineno is None while a frame is between lines (3.11)
                self.costs[("'".join(stack), leaf.f_code.co_filename, leaf.f_lineno or 0)] += \
                    int(round((now - last) * 1e6))
            last = now

    def stop_and_write(self, path):
        if not self.running:
            return
        self.running = False
        self.thread.join()
        _write(path, self.costs, "stack samples")


def _write(path, costs, creator):
    """costs: {(stack, file, line): us} as a callgrind-format file at path."""
    total = sum(costs.values())
    lines = ["# callgrind format", "version: 1", "creator: pacer pyprofile (%s)" % creator,
             "pid: %d" % os.getpid(), "desc: Trigger: pacer profile iters=1",
             "positions: line", "events: us", "summary: %d" % total, ""]
    for (stack, fname, line), cost in sorted(costs.items()):
        lines += ["fl=%s" % fname, "fn=%s" % stack, "%d %d" % (line, cost), ""]
    fd, tmp = tempfile.mkstemp(prefix=".pacer-profile-", dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines))
    os.replace(tmp, path)


class Yappi:
    MAX_DEPTH = 50

    def __init__(self):
        import yappi
        self.yappi = yappi
        self.running = False

    def start(self):
        if self.running:
            return
        self.yappi.clear_stats()
        self.yappi.set_clock_type("wall")
        self.yappi.start(builtins=True)
        self.running = True

    def stop_and_write(self, path):
        if not self.running:
            return
        self.yappi.stop()
        self.running = False
        stats = list(self.yappi.get_func_stats())
        self.yappi.clear_stats()
        key = lambda f: (f.module, f.lineno, f.name)
        by_key = {key(f): f for f in stats}
        called = set()
        for f in stats:
            for c in f.children:
                called.add((c.module, c.lineno, c.name))
        costs = collections.Counter()

        def name(f):
            return ("%s (%s:%d)" % (f.name, os.path.basename(f.module), f.lineno)).replace("'", "`")

        def down(f, stack, share, seen, depth):
            costs[("'".join(reversed(stack)), f.module, f.lineno or 0)] += int(round(f.tsub * share * 1e6))
            if depth >= self.MAX_DEPTH:
                return
            for c in f.children:
                cf = by_key.get((c.module, c.lineno, c.name))
                k = (c.module, c.lineno, c.name)
                if cf is None or k in seen or cf.ttot <= 0:
                    continue
                seen.add(k)
                down(cf, stack + [name(cf)], share * min(1.0, c.ttot / cf.ttot), seen, depth + 1)
                seen.discard(k)

        for f in stats:
            if key(f) not in called:
                down(f, [name(f)], 1.0, {key(f)}, 0)
        _write(path, costs, "yappi, wall clock")


def install(loop, how="sample"):
    """Profile the thread running loop between SIGUSR1 and SIGUSR2: "sample"
    (its stack every millisecond) or "yappi" (yappi's wall clock)."""
    if how == "yappi":
        prof = Yappi()
    else:
        prof = Sampler(threading.get_ident())
        sys.setswitchinterval(INTERVAL / 2)  # let the sampler in while the loop runs
    loop.add_signal_handler(signal.SIGUSR1, prof.start)
    loop.add_signal_handler(signal.SIGUSR2, lambda: prof.stop_and_write(out_path()))
    return prof
