"""pacer.py: Python functions and asyncio coroutines as pacer micro benchmarks.

The Python side of libpacer: registration (@pacer.bench), calibration,
warmup and samples, the worker side of the protocol that `pacer run` speaks
to a suite binary (harness/lib/worker.h), and a standalone main that prints
a table.  A benchmark file:

    import asyncio
    import pacer

    @pacer.bench
    def dict_get():                       # called N times per sample
        D.get(17)

    @pacer.bench(params={"size": pacer.range(64, 65536, 8)},
                 setup=lambda size: list(range(size)))
    def sort(data, size):                 # setup's value first, then params
        sorted(data)

    @pacer.bench(loop="fresh", uvloop=True)
    async def sleep0():                   # awaited N times per sample
        await asyncio.sleep(0)

    if __name__ == "__main__":            # optional: python3 FILE prints a table
        pacer.main()

`pacer run FILE.py` runs each benchmark in its own /usr/bin/python3 process
(`python3 -m pacer FILE.py --pacer-worker`, this module on PYTHONPATH), as
it runs a C suite binary.

A sample of N iterations is the time (time.perf_counter_ns, the monotonic
clock in ns) of a loop of N calls; the loop's own cost (about 20 ns a call,
more with parameters or setup) is part of it, as pytest-benchmark's and
timeit's are.  The garbage collector stays on.  A coroutine function is
awaited N times in a row inside one task on its event loop, the clock read
inside that task; the loop is

    "reused" (default)  one loop per worker process, made at setup and used
                        by every sample: what a long-running server has, and
                        the cheaper one (no loop made between samples)
    "fresh"             a new loop for each sample, closed after it: nothing
                        one sample leaves on the loop (tasks, callbacks,
                        caches) reaches the next

and uvloop=True makes it a uvloop loop (the benchmark is skipped, not
failed, where uvloop is not installed).

What Python cannot give is answered as the protocol says: "count" and
"profile" (pacer run --mode instructions), "counters" and "hw" (perf
counters) get an error naming why.  The reference workload ("reference")
is a Python one (integer steps and a walk through a 4 MiB array), so that
a whole-run shift of a Python suite can be told from the machine too.

An exception in a benchmark (its setup, function or teardown) is that
benchmark's error: one line "Type: message (file:line)" in the answer, the
traceback on stderr.  pacer.skip(reason) skips it instead.  A file that
cannot be run (a syntax error, a failed import, a bad definition) answers
every request with its error, which pacer run reports as bad input.
"""

import array
import builtins
import functools
import gc
import inspect
import os
import platform
import re
import sys
import time
import traceback

__all__ = ["bench", "range", "skip", "Skip", "main"]

_range = builtins.range
_now = time.perf_counter_ns

PROTOCOL = 1
WORKER_FLAG = "--pacer-worker"
REQ_FD, ANS_FD = 3, 4
MAX_BATCH = 100000
MAX_ITERS = 1 << 40
SETTLE_N = 5
SETTLE_SPREAD = 0.02
NAME_MAX = 255

_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_GROUP_RE = re.compile(r"^[A-Za-z0-9_./-]+$")

_defs = []          # the definitions, in the order they were made
_driven = False     # `python3 -m pacer FILE` runs the file: pacer.main() in it waits


class Skip(Exception):
    """Raised by pacer.skip: the benchmark cannot run here (not a failure)."""


class DefinitionError(Exception):
    """A benchmark definition that cannot be used (name, params, options)."""


def skip(reason):
    """Skip the current benchmark with reason (from its setup or function)."""
    raise Skip(reason)


def range(lo, hi, mult=8):
    """lo, lo*mult, ... below hi, then hi: PACER_RANGE's values (Google
    Benchmark's Range), for params."""
    if lo < 0 or hi < lo:
        raise DefinitionError(f"range {lo}..{hi} is empty or negative")
    if mult < 2:
        raise DefinitionError(f"range multiplier {mult} must be at least 2")
    out, x = [], lo
    while x < hi:
        out.append(x)
        x = 1 if x == 0 else x * mult
    out.append(hi)
    return out


class _Def:
    """One @pacer.bench definition."""

    def __init__(self, fn, name, group, params, setup, teardown, loop, uvloop, samples,
                 sample_time, warmup):
        self.fn = fn
        self.name = name or fn.__name__
        self.group = group
        self.params = dict(params or {})
        self.setup = setup
        self.teardown = teardown
        self.loop = loop
        self.uvloop = uvloop
        self.samples = samples
        self.sample_time = sample_time
        self.warmup = warmup
        self.is_coro = inspect.iscoroutinefunction(fn)
        code = getattr(fn, "__code__", None)
        self.where = f"{os.path.basename(code.co_filename)}:{code.co_firstlineno}" \
            if code else "?"
        self._check()

    def _fail(self, what):
        raise DefinitionError(f"{self.where}: benchmark {self.name}: {what}")

    def _check(self):
        if not _NAME_RE.match(self.name):
            self._fail("a name may hold only letters, digits, '_', '-', '.'")
        if self.group is not None and not _GROUP_RE.match(self.group):
            self._fail(f"group '{self.group}' may hold only letters, digits, '_', '-', '.', '/'")
        if self.loop not in ("reused", "fresh"):
            self._fail(f"loop must be \"reused\" or \"fresh\", not {self.loop!r}")
        if (self.loop != "reused" or self.uvloop) and not self.is_coro:
            self._fail("loop and uvloop are for coroutine functions (async def)")
        for k, vals in self.params.items():
            if not _NAME_RE.match(k) or k == "threads":
                self._fail(f"parameter name '{k}' may hold only letters, digits, '_', '-', '.'")
            if isinstance(vals, (int, str)):
                vals = [vals]
            vals = list(vals)
            if not vals:
                self._fail(f"parameter {k}: empty list")
            for v in vals:
                if isinstance(v, bool) or not isinstance(v, (int, str)) or \
                        (isinstance(v, str) and not _NAME_RE.match(v)):
                    self._fail(f"parameter {k}: {v!r} is not an integer or a plain word")
            self.params[k] = vals
        for k, v in (("samples", self.samples), ("sample_time", self.sample_time),
                     ("warmup", self.warmup)):
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                  or v < 0):
                self._fail(f"{k} must be a number >= 0")

    def instances(self):
        """(name, params) of every point of the params' cartesian product, the
        last parameter turning fastest."""
        points = [{}]
        for k, vals in self.params.items():
            points = [dict(p, **{k: v}) for p in points for v in vals]
        prefix = f"{self.group}/{self.name}" if self.group else self.name
        for p in points:
            name = prefix + "".join(f"/{k}={v}" for k, v in p.items())
            if len(name) > NAME_MAX:
                self._fail(f"name {name[:40]}... is too long")
            yield name, p


def bench(fn=None, *, name=None, group=None, params=None, setup=None, teardown=None,
          loop="reused", uvloop=False, samples=None, sample_time=None, warmup=None):
    """Register fn as a benchmark; as @pacer.bench or @pacer.bench(...).

    fn is called (a coroutine function: awaited) N times per sample, with
    setup's value first when there is a setup, then params as keywords.
    params maps a parameter name to a list of integers or words (or
    pacer.range(lo, hi, mult)): one benchmark per combination, named
    name/param=value/...  setup(**params) runs once per worker process
    before calibration, outside the timed loops (for a coroutine: on its
    loop when it is a coroutine function too); teardown(value) after the
    samples.  loop, uvloop: see the module's text.  samples, sample_time and
    warmup (seconds) ask pacer run for those settings, as a C definition's
    .samples, .sample_time and .warmup do.
    """
    def register(f):
        _defs.append(_Def(f, name, group, params, setup, teardown, loop, uvloop, samples,
                          sample_time, warmup))
        return f
    return register(fn) if fn is not None else register


# ---- one instance: setup, the timed loop, teardown ---------------------------

def _where(exc):
    """file:line of the innermost frame of exc's traceback, or ''."""
    tb = traceback.extract_tb(exc.__traceback__)
    return f" ({os.path.basename(tb[-1].filename)}:{tb[-1].lineno})" if tb else ""


def _one_line(text):
    return " ".join(str(text).split())


class Failure(Exception):
    """What the worker answers: err (or skip) with one line."""

    def __init__(self, msg, skipped=False):
        super().__init__(msg)
        self.skipped = skipped


def _failure(exc):
    """The Failure of an exception raised by the user's code (traceback to
    stderr, where pacer keeps the tail)."""
    if isinstance(exc, Skip):
        return Failure(_one_line(exc) or "skipped", skipped=True)
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    sys.stderr.flush()
    msg = _one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    return Failure(msg + _where(exc))


class _Instance:
    """One benchmark of one parameter point, set up in this process."""

    def __init__(self, d, name, params):
        self.d, self.name, self.params = d, name, params
        self.call = None
        self.value = None
        self.loop = None
        self.set_up = False

    def _new_loop(self):
        if self.d.uvloop:
            try:
                import uvloop
            except ImportError:
                raise Failure("uvloop is not installed (python3-uvloop)", skipped=True)
            return uvloop.new_event_loop()
        import asyncio
        return asyncio.new_event_loop()

    def setup(self):
        d = self.d
        try:
            if d.is_coro and d.loop == "reused":
                self.loop = self._new_loop()
            if d.setup is not None:
                v = d.setup(**self.params)
                if inspect.isawaitable(v):
                    loop = self.loop or self._new_loop()
                    try:
                        v = loop.run_until_complete(v)
                    finally:
                        if loop is not self.loop:
                            loop.close()
                self.value = v
                self.call = functools.partial(d.fn, v, **self.params)
            elif self.params:
                self.call = functools.partial(d.fn, **self.params)
            else:
                self.call = d.fn
        except Failure:
            raise
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise _failure(exc) from None
        self.set_up = True

    def once(self, n):
        """One sample of n iterations: its ns."""
        try:
            if not self.d.is_coro:
                fn = self.call
                it = _range(n)
                t0 = _now()
                for _ in it:
                    fn()
                return _now() - t0
            return self._once_coro(n)
        except Failure:
            raise
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise _failure(exc) from None

    def _once_coro(self, n):
        fn = self.call

        async def timed():
            it = _range(n)
            t0 = _now()
            for _ in it:
                await fn()
            return _now() - t0

        if self.loop is not None:
            return self.loop.run_until_complete(timed())
        loop = self._new_loop()
        try:
            return loop.run_until_complete(timed())
        finally:
            loop.close()

    def teardown(self):
        if not self.set_up:
            return
        self.set_up = False
        try:
            if self.d.teardown is not None:
                self.d.teardown(self.value)
        finally:
            if self.loop is not None:
                self.loop.close()
                self.loop = None


def _calibrate(inst, target_ns, max_iters):
    """measure_calibrate's rule: grow n until a sample lasts target_ns."""
    if max_iters <= 0 or max_iters > MAX_ITERS:
        max_iters = MAX_ITERS
    n = 1
    while True:
        t = inst.once(n)
        if t >= target_ns or n >= max_iters:
            return n, t
        mult = min(target_ns * 1.2 / t, 100.0) if t > 0 else 100.0
        nxt = max(int(-(-n * mult // 1)), n + 1)
        n = min(nxt, max_iters)


def _warmup(inst, iters, duration_ns, target_ns, fixed):
    """measure_warmup's rule: samples for duration_ns, ended once the last
    five agree within 2 %; then, unless fixed, n raised to the target."""
    last, k, t0 = [], 0, _now()
    settled = 0
    while True:
        ns = inst.once(iters)
        last = (last + [ns])[-SETTLE_N:]
        k += 1
        if k >= SETTLE_N:
            lo, hi = min(last), max(last)
            if lo > 0 and (hi - lo) / lo < SETTLE_SPREAD:
                settled = 1
                break
        if _now() - t0 >= duration_ns:
            break
    median = sorted(last)[len(last) // 2]
    if not fixed and 0 < median < 0.9 * target_ns and iters < MAX_ITERS:
        iters = min(int(-(-iters * target_ns * 1.1 // median)), MAX_ITERS)
        median = inst.once(iters)
    return iters, k, settled, median


# ---- the reference workload (refwork.h's, in Python) -------------------------

REF_COMPUTE_STEPS = 5000
REF_MEMORY_SLOTS = 1 << 20          # 4 MiB of 32-bit slots, as refwork.h's
REF_MEMORY_LOADS = 4096
_ring = None
_ring_pos = 0


def _reference():
    """One round: (compute ns, memory ns)."""
    global _ring, _ring_pos
    if _ring is None:
        m = REF_MEMORY_SLOTS - 1
        _ring = array.array("I", ((1664525 * i + 1013904223) & m for i in _range(m + 1)))
    x, mask = 0x2545F4914F6CDD1D, (1 << 64) - 1
    t0 = _now()
    for _ in _range(REF_COMPUTE_STEPS):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        x = (x * 0x9E3779B97F4A7C15) & mask
    t1 = _now()
    ring, p = _ring, _ring_pos
    for _ in _range(REF_MEMORY_LOADS):
        p = ring[p]
    t2 = _now()
    _ring_pos = p
    return t1 - t0, t2 - t1


# ---- the worker ----------------------------------------------------------------

def _cpu_ns():
    return time.process_time_ns()


def _run_queue_ns():
    """This thread's time waiting for a core (schedstat), or None."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _instances():
    """Every instance of every definition, names checked unique."""
    out, seen = [], {}
    for d in _defs:
        for name, params in d.instances():
            if name in seen:
                raise DefinitionError(f"two benchmarks are named {name} ({seen[name]} and "
                                      f"{d.where})")
            seen[name] = d.where
            out.append(_Instance(d, name, params))
    return out


NOT_COUNTED = ("a Python benchmark cannot count instructions (pacer run --mode "
               "instructions needs a C suite binary)")
NO_HW = "a Python benchmark cannot read hardware counters (--counters needs a C suite binary)"


class _Worker:
    def __init__(self, insts, load_error):
        self.insts = {i.name: i for i in insts}
        self.order = insts
        self.load_error = load_error
        self.cur = None
        self.cpu = []
        self.wait = []

    def hello(self):
        impl = f"{platform.python_implementation()} {platform.python_version()}"
        flags = f"{sys.executable} ({platform.python_compiler()})"
        return f"pacer-worker {PROTOCOL} {impl}\t{_one_line(flags)}"

    def listing(self):
        lines = [str(len(self.order))]
        for i in self.order:
            d, parts = i.d, [i.name]
            parts += [f"{k}={v}" for k, v in i.params.items()]
            if d.is_coro:    # which loop its samples run on, kept in the result
                parts.append("loop=%s%s" % ("uvloop-" if d.uvloop else "", d.loop))
            if d.samples:
                parts.append(f"@samples={int(d.samples)}")
            if d.sample_time:
                parts.append(f"@sample_time_ns={int(d.sample_time * 1e9)}")
            if d.warmup:
                parts.append(f"@warmup_ns={int(d.warmup * 1e9)}")
            lines.append(" ".join(parts))
        return "\n".join(lines)

    def select(self, name):
        if name not in self.insts:
            raise Failure("no benchmark of that name in this file")
        prev, self.cur = self.cur, self.insts[name]
        if prev is not None:
            try:
                prev.teardown()
            except Exception as exc:
                raise _failure(exc) from None
        return ""

    def sample(self, iters, count):
        if count == 0 or count > MAX_BATCH:
            raise Failure("sample count out of range")
        ns, self.cpu, self.wait = [], [], []
        for _ in _range(count):
            q0, c0 = _run_queue_ns(), _cpu_ns()
            ns.append(self.cur.once(iters))
            c1, q1 = _cpu_ns(), _run_queue_ns()
            self.cpu.append(c1 - c0)
            self.wait.append(None if q0 is None or q1 is None else max(q1 - q0, 0))
        return "0 0 " + " ".join(str(t) for t in ns)

    def handle(self, line):
        """The answer to one request line (without "ok "), or None on quit;
        raises Failure."""
        w = line.split()
        if not w:
            raise Failure("empty request")
        cmd, a = w[0], w[1:]
        if cmd == "quit":
            return None
        if self.load_error is not None:
            raise Failure(self.load_error)
        nums = [int(x) for x in a if x.isdigit()]
        if cmd == "hello":
            return self.hello()
        if cmd == "list":
            return self.listing()
        if cmd == "select" and len(a) == 1:
            return self.select(a[0])
        if cmd in ("counters", "hw"):
            raise Failure(NO_HW)
        if cmd in ("count", "profile"):
            raise Failure(NOT_COUNTED)
        if cmd == "reference" and len(nums) == 1:
            if not 0 < nums[0] <= MAX_BATCH:
                raise Failure("reference count out of range")
            return " ".join(f"{c} {m}" for c, m in (_reference() for _ in _range(nums[0])))
        if self.cur is None:
            raise Failure("no benchmark selected")
        if cmd == "setup":
            self.cur.setup()
            return ""
        if cmd == "calibrate" and len(nums) == 2:
            n, t = _calibrate(self.cur, nums[0], nums[1])
            return f"{n} {t}"
        if cmd == "warmup" and len(nums) == 4:
            if nums[0] == 0:
                raise Failure("iterations must be at least 1")
            return "%d %d %d %d" % _warmup(self.cur, *nums)
        if cmd == "sample" and len(nums) == 2:
            if nums[0] == 0:
                raise Failure("iterations must be at least 1")
            return self.sample(*nums)
        if cmd == "cpu":
            if not self.cpu:
                raise Failure("no samples taken")
            return " ".join(str(c) for c in self.cpu)
        if cmd == "wait":
            if not self.wait or None in self.wait:
                raise Failure("no scheduler statistics" if self.wait else "no samples taken")
            return " ".join(str(c) for c in self.wait)
        if cmd == "user":
            if not self.cpu:
                raise Failure("no samples taken")
            return "0"
        if cmd == "cn":
            raise Failure("no complexity n: a Python benchmark declares no .complexity")
        if cmd == "teardown":
            try:
                self.cur.teardown()
            except Exception as exc:
                raise _failure(exc) from None
            return ""
        raise Failure("malformed request")


def serve(insts, load_error=None, rfd=REQ_FD, wfd=ANS_FD):
    """Serve the worker protocol on rfd/wfd until quit or end of input; the
    exit status (2 when the file could not be loaded)."""
    w = _Worker(insts, load_error)
    with os.fdopen(rfd, "r") as rf, os.fdopen(wfd, "w") as wf:
        for line in rf:
            try:
                ans = w.handle(line)
                if ans is None:
                    break
                wf.write("ok\n" if ans == "" else f"ok {ans}\n")
            except Failure as f:
                wf.write(f"{'skip' if f.skipped else 'err'} {_one_line(f) or 'failed'}\n")
            wf.flush()
        if w.cur is not None:
            try:
                w.cur.teardown()
            except Exception:
                pass
    return 2 if load_error is not None else 0


# ---- standalone: a table -------------------------------------------------------

def _fmt_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def _standalone(insts, argv, prog):
    import argparse
    ap = argparse.ArgumentParser(prog=prog, description="Runs this file's benchmarks in "
                                 "this process and prints a table.  For isolation, "
                                 f"statistics across processes and a result file: pacer run "
                                 f"{prog}")
    ap.add_argument("--filter", help="only benchmarks whose name matches (a Python regex)")
    ap.add_argument("--samples", type=int, default=10, help="samples per benchmark (10)")
    ap.add_argument("--warmup", type=float, default=0.2, help="warmup seconds (0.2)")
    ap.add_argument("--sample-time", type=float, default=0.01,
                    help="target seconds of one sample (0.01)")
    ap.add_argument("--list", action="store_true", help="print the benchmark names")
    o = ap.parse_args(argv)
    if o.filter:
        try:
            rx = re.compile(o.filter)
        except re.error as exc:
            print(f"{prog}: --filter: {exc}", file=sys.stderr)
            return 2
        insts = [i for i in insts if rx.search(i.name)]
    if o.list:
        for i in insts:
            print(i.name)
        return 0
    width = max([len(i.name) for i in insts] + [9])
    print(f"{'benchmark':<{width}}  {'median':>9}  {'min':>9}    CV  samples  iters")
    rc = 0
    for i in insts:
        try:
            try:
                i.setup()
                n, _ = _calibrate(i, int(o.sample_time * 1e9), 0)
                n = _warmup(i, n, int(o.warmup * 1e9), int(o.sample_time * 1e9), 0)[0]
                x = sorted(i.once(n) / n for _ in _range(max(o.samples, 1)))
            finally:
                i.teardown()
        except Exception as exc:
            f = exc if isinstance(exc, Failure) else _failure(exc)
            print(f"{i.name:<{width}}  {'skipped' if f.skipped else 'ERROR'}: {f}")
            rc = rc if f.skipped else 1
            continue
        mean = sum(x) / len(x)
        sd = (sum((v - mean) ** 2 for v in x) / (len(x) - 1)) ** 0.5 if len(x) > 1 else 0.0
        cv = 100 * sd / mean if mean > 0 else 0.0
        median = (x[(len(x) - 1) // 2] + x[len(x) // 2]) / 2
        print(f"{i.name:<{width}}  {_fmt_ns(median):>9}  {_fmt_ns(x[0]):>9}  "
              f"{cv:4.1f}%  {len(x):>7}  {n:>5}")
    return rc


def main(argv=None):
    """The benchmark file's own entry point: `python3 FILE.py` measures its
    benchmarks here and prints a table (under pacer run, or when run by
    `python3 -m pacer FILE`, it does nothing)."""
    if _driven:
        return
    argv = sys.argv[1:] if argv is None else argv
    prog = os.path.basename(sys.argv[0]) if sys.argv else "bench.py"
    try:
        insts, err = _instances(), None
    except DefinitionError as exc:
        insts, err = [], str(exc)
    if argv[:1] == [WORKER_FLAG]:
        sys.exit(serve(insts, err))
    if err is not None:
        print(f"{prog}: {err}", file=sys.stderr)
        sys.exit(2)
    sys.exit(_standalone(insts, argv, prog))


def _load(path):
    """Run the benchmark file path as python3 would (as __main__, its
    directory first on sys.path); None, or the one-line cause it failed."""
    import runpy
    global _driven
    _driven = True
    sys.argv = [path]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except SyntaxError as exc:
        return _one_line(f"{os.path.basename(exc.filename or path)}:{exc.lineno}: "
                         f"SyntaxError: {exc.msg}")
    except DefinitionError as exc:
        return _one_line(exc)
    except SystemExit as exc:
        return f"{os.path.basename(path)}: exited with {exc.code} while loading"
    except BaseException as exc:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        return _one_line(f"{os.path.basename(path)}: {type(exc).__name__}: {exc}{_where(exc)}")
    return None


def _cli(argv):
    """python3 -m pacer FILE.py [--pacer-worker | standalone options]."""
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python3 -m pacer FILE.py [--filter REGEX] [--samples N] [--list]\n"
              "Runs the benchmarks of FILE.py and prints a table (pacer run FILE.py: in\n"
              "worker processes, with a result file).", file=sys.stderr if not argv else None)
        return 2 if not argv else 0
    path, rest = argv[0], argv[1:]
    err = _load(path)
    if err is None:
        try:
            insts = _instances()
        except DefinitionError as exc:
            insts, err = [], str(exc)
    else:
        insts = []
    if rest[:1] == [WORKER_FLAG]:
        return serve(insts, err)
    if err is not None:
        print(f"{os.path.basename(path)}: {err}" if not err.startswith(os.path.basename(path))
              else err, file=sys.stderr)
        return 2
    gc.collect()
    return _standalone(insts, rest, os.path.basename(path))


if __name__ == "__main__":
    # run as a script, this file is __main__ and not the module `pacer` that
    # the benchmark file imports: hand over to that one
    import pacer as _pacer
    sys.exit(_pacer._cli(sys.argv[1:]))
