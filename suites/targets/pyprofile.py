"""pyprofile.py: a stack-sampling profiler for pacer's Python targets, for
the measured window of a load run only.

A server that calls install(loop) starts sampling on SIGUSR1 and, on
SIGUSR2, stops and writes what it saw to
$TMPDIR/pacer-profile-<its pid>.callgrind (written to a temporary name and
renamed, so a reader never sees half a file).  `pacer load --profile-pid
PID` (and a suite's target with "profile": true) sends the two signals at
the start and the end of the measured window, reads the file, and keeps it
beside the result, where `pacer show --profile` prints the top functions
and draws the flame graph and `pacer compare --explain` compares two runs.

A thread reads the stack of the event loop's thread (sys._current_frames)
every millisecond and charges the microseconds since its last look to
that stack, so a function's cost is the time the loop spent in it: its
handlers, the loop's own work, and `select` while it waited for the
network.  A blocking call inside a coroutine (time.sleep, a file read)
shows where it stops every connection.  Time that coroutines spend
awaiting is not theirs: the loop was free meanwhile (a tracing profiler
such as yappi charges it to them instead; it gives totals per function,
not the stacks a flame graph needs).  The file is callgrind's format with
one context per whole stack ("fn=leaf'caller'...'root", as callgrind writes
with --separate-callers) and the event "us".
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
                self.costs[("'".join(stack), leaf.f_code.co_filename, leaf.f_lineno)] += \
                    int(round((now - last) * 1e6))
            last = now

    def stop_and_write(self, path):
        if not self.running:
            return
        self.running = False
        self.thread.join()
        total = sum(self.costs.values())
        lines = ["# callgrind format", "version: 1", "creator: pacer pyprofile",
                 "pid: %d" % os.getpid(), "desc: Trigger: pacer profile iters=1",
                 "positions: line", "events: us", "summary: %d" % total, ""]
        for (stack, fname, line), cost in sorted(self.costs.items()):
            lines += ["fl=%s" % fname, "fn=%s" % stack, "%d %d" % (line, cost), ""]
        fd, tmp = tempfile.mkstemp(prefix=".pacer-profile-", dir=os.path.dirname(path))
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines))
        os.replace(tmp, path)


def install(loop):
    """Sample the thread running loop between SIGUSR1 and SIGUSR2."""
    sampler = Sampler(threading.get_ident())
    sys.setswitchinterval(INTERVAL / 2)      # let the sampler in while the loop runs
    loop.add_signal_handler(signal.SIGUSR1, sampler.start)
    loop.add_signal_handler(signal.SIGUSR2, lambda: sampler.stop_and_write(out_path()))
    return sampler
