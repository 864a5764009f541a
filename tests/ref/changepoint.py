#!/usr/bin/env python3
"""changepoint.py: an independent model of compare/changepoint.c, for
tests/test_changepoint.c.

  - the energy statistic Q of every split straight from its definition
    (Matteson and James 2014, alpha = 1), double sums over all pairs;
  - Welch's t-test p-values from scipy.stats.ttest_ind(equal_var=False);
  - Mann-Whitney p-values from scipy.stats.mannwhitneyu, exact when both
    sides are below 50 and nothing is tied, else the normal approximation
    with the tie correction and the continuity correction (R's rule, as
    compare/rank.h states it);
  - the whole detection as changepoint.h describes it, for either test:
    best split by Q with min_size points a side (ties to the first),
    accepted when the test's p is below the first-pass threshold (10 x the
    threshold below 0.05, 2 x below 0.5, else the threshold), both sides
    recursed into; the same again over windows of 50 points at a third of
    the threshold (Mann-Whitney by its normal approximation whatever the
    size), each window starting half a window after the last or
    at the last split it accepted; then the weakest change point (smallest
    |change| among those below the magnitude floor, no longer significant
    against their neighbours or beside a segment shorter than min_size)
    dropped until none is weak; levels are means with Welch's test and
    medians with Mann-Whitney's;
  - the fewest points in which a change point can be found, from
    2 / C(n, n/2) with math.comb.

The series are drawn here from Python's random module with fixed seeds and
written into the output, which is C (one initializer per case) and is
included by test_changepoint.c.

    cd tests/ref && /usr/bin/python3 changepoint.py > changepoint_ref.out
"""
import math
import random
import statistics
import sys

import scipy
from scipy.stats import mannwhitneyu, ttest_ind


def q_of(x, tau):
    left, right = x[:tau], x[tau:]
    m, n = len(left), len(right)
    if m == 0 or n == 0:
        return 0.0
    cross = sum(abs(a - b) for a in left for b in right)
    wl = sum(abs(left[i] - left[k]) for i in range(m) for k in range(i + 1, m))
    wr = sum(abs(right[i] - right[k]) for i in range(n) for k in range(i + 1, n))
    within = (wl / (m * (m - 1) / 2) if m >= 2 else 0.0) + \
             (wr / (n * (n - 1) / 2) if n >= 2 else 0.0)
    return m * n / (m + n) * (2.0 * cross / (m * n) - within)


def q_all(x):
    """Q of every split at once, from the same double sums accumulated over
    the splits (O(n^2)); for the longer series of tests/data/trend."""
    n = len(x)
    before = [sum(abs(x[i] - x[t]) for i in range(t)) for t in range(n)]
    after = [sum(abs(x[t] - x[j]) for j in range(t + 1, n)) for t in range(n)]
    total = sum(before)
    out, wl, wr = [0.0], 0.0, total
    for t in range(1, n):
        wl += before[t - 1]
        wr -= after[t - 1]
        m, k = t, n - t
        cross = total - wl - wr
        within = (wl / (m * (m - 1) / 2) if m >= 2 else 0.0) + \
                 (wr / (k * (k - 1) / 2) if k >= 2 else 0.0)
        out.append(m * k / n * (2.0 * cross / (m * k) - within))
    out.append(0.0)
    return out


def welch_p(a, b):
    if len(a) < 2 or len(b) < 2:
        return 1.0
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    if max(a) == min(a) and max(b) == min(b):
        return 1.0 if ma == mb else 0.0
    return float(ttest_ind(a, b, equal_var=False).pvalue)


def mwu_p(a, b):
    pooled = set(a) | set(b)
    if len(pooled) == 1:
        return 1.0
    exact = len(a) < 50 and len(b) < 50 and len(pooled) == len(a) + len(b)
    return float(mannwhitneyu(a, b, alternative="two-sided", use_continuity=True,
                              method="exact" if exact else "asymptotic").pvalue)


TESTS = {
    "welch": (welch_p, lambda v: sum(v) / len(v)),
    "rank": (mwu_p, statistics.median),
}


def best_split(x, min_size):
    best, bq, qs = None, None, q_all(x)
    for t in range(min_size, len(x) - min_size + 1):
        if bq is None or qs[t] > bq:
            best, bq = t, qs[t]
    return best, bq


def mwu_normal_p(a, b):
    if len(set(a) | set(b)) == 1:
        return 1.0
    return float(mannwhitneyu(a, b, alternative="two-sided", use_continuity=True,
                              method="asymptotic").pvalue)


def bisect(x, lo, hi, min_size, alpha, found, test, approx=False):
    if hi - lo < 2 * min_size:
        return
    seg = x[lo:hi]
    t, q = best_split(seg, min_size)
    p = (mwu_normal_p if approx and test == "rank" else TESTS[test][0])(seg[:t], seg[t:])
    if not p < alpha:
        return
    found.append((lo + t, q))
    bisect(x, lo, lo + t, min_size, alpha, found, test, approx)
    bisect(x, lo + t, hi, min_size, alpha, found, test, approx)


def evaluate(x, cps, test):
    pval, level = TESTS[test]
    out = []
    for i, (idx, q) in enumerate(cps):
        frm = cps[i - 1][0] if i else 0
        to = cps[i + 1][0] if i + 1 < len(cps) else len(x)
        a, b = x[frm:idx], x[idx:to]
        lb, la = level(a), level(b)
        out.append((idx, lb, la, la / lb - 1.0, pval(a, b), q))
    return out


def min_length(alpha, min_size, test):
    n = 2 * max(min_size, 2)
    while test == "rank" and not 2 / math.comb(n, n // 2) < alpha:
        n += 1
    return n


def first_pass(alpha):
    return alpha * 10 if alpha < 0.05 else alpha * 2 if alpha < 0.5 else alpha


def split(x, alpha, min_size, test, window):
    n, found, seen = len(x), [], set()

    def keep(new):
        for c in new:
            if c[0] not in seen:
                seen.add(c[0])
                found.append(c)

    new = []
    bisect(x, 0, n, min_size, first_pass(alpha), new, test)
    keep(new)
    start = 0
    while window and window < n and start < n:
        new = []
        bisect(x, start, min(start + window, n), min_size, alpha / 3, new, test, True)
        keep(new)
        start = max(max((c[0] for c in new), default=0), start + window // 2)
    return found


def detect(x, alpha=0.001, min_size=5, floor=0.01, test="welch", window=50):
    min_size = max(min_size, 2)
    if len(x) < min_length(alpha, min_size, test):
        return []
    cps = sorted(split(x, alpha, min_size, test, window))
    while True:
        ev = evaluate(x, cps, test)
        weak = None
        for i, c in enumerate(ev):
            frm = cps[i - 1][0] if i else 0
            to = cps[i + 1][0] if i + 1 < len(cps) else len(x)
            close = c[0] - frm < min_size or to - c[0] < min_size
            if abs(c[3]) >= floor and c[4] < alpha and not close:
                continue
            if weak is None or abs(c[3]) < abs(ev[weak][3]) or \
                    (abs(c[3]) == abs(ev[weak][3]) and c[4] > ev[weak][4]):
                weak = i
        if weak is None:
            return ev
        del cps[weak]


def series():
    r = random.Random(20261124)
    out = []
    # one step of +8 % at 17 in 40 points, 2 % noise
    out.append(("step", [100 * (1.08 if i >= 17 else 1.0) * (1 + 0.02 * r.gauss(0, 1))
                         for i in range(40)]))
    # two steps in 60 points: down 6 % at 20, up 12 % at 45, 1.5 % noise
    lv = lambda i: 1.0 if i < 20 else (0.94 if i < 45 else 0.94 * 1.12)
    out.append(("two_steps", [50 * lv(i) * (1 + 0.015 * r.gauss(0, 1)) for i in range(60)]))
    # pure noise, 3 %
    out.append(("noise", [10 * (1 + 0.03 * r.gauss(0, 1)) for i in range(36)]))
    # integers with ties and a step of 2 at 12
    out.append(("ties", [float(r.randint(10, 12) + (2 if i >= 12 else 0)) for i in range(25)]))
    # a step too small for the magnitude floor (0.5 %) with little noise
    out.append(("small", [1000 * (1.005 if i >= 15 else 1.0) * (1 + 0.0005 * r.gauss(0, 1))
                          for i in range(30)]))
    # a +5 % step at 20 in 40 points, 1 % noise, and one run at three times
    # the level before it (run 8): its variance hides the step from Welch
    x = [100 * (1.05 if i >= 20 else 1.0) * (1 + 0.01 * r.gauss(0, 1)) for i in range(40)]
    x[8] *= 3
    out.append(("outlier", x))
    # +10 % for 10 runs of 120 (from 70), 2 % noise: the windows find it
    out.append(("bump", [100 * (1.10 if 70 <= i < 80 else 1.0) * (1 + 0.02 * r.gauss(0, 1))
                         for i in range(120)]))
    return out


def welch_cases():
    r = random.Random(7)
    a = [r.gauss(10, 1) for _ in range(12)]
    b = [r.gauss(10.5, 2) for _ in range(9)]
    c = [r.gauss(20, 0.5) for _ in range(30)]
    d = [r.gauss(10, 0.5) for _ in range(25)]
    return [("a", a, "b", b), ("b", b, "a", a), ("a", a, "c", c), ("c", c, "d", d),
            ("d", d, "d2", d[:3])]


def read_history(path):
    """The values of a tests/data/trend file (lines not starting with #)."""
    with open(path) as f:
        return [float(l) for l in f if l.strip() and not l.startswith("#")]


def c_double(v):
    return repr(float(v))


def write_found(w, name, cps):
    w("static const struct cp_ref_point %s[] = {\n" % name)
    for c in cps:
        w("    { %d, %s, %s, %s, %s, %s },\n" % (c[0], c_double(c[1]), c_double(c[2]),
                                               c_double(c[3]), c_double(c[4]), c_double(c[5])))
    w("    { 0, 0, 0, 0, 0, 0 } /* end */\n};\n")


def main():
    w = sys.stdout.write
    w("/* Python %s, scipy %s, python3 changepoint.py */\n\n"
      % (sys.version.split()[0], scipy.__version__))
    cases = series()
    for name, x in cases:
        qs = q_all(x)
        assert all(abs(qs[t] - q_of(x, t)) <= 1e-9 * max(1.0, abs(q_of(x, t)))
                   for t in range(len(x) + 1))
        w("static const double cp_x_%s[] = {\n" % name)
        for i in range(0, len(x), 4):
            w("    " + ", ".join(c_double(v) for v in x[i:i + 4]) + ",\n")
        w("};\n")
        w("static const double cp_q_%s[] = {\n" % name)
        qs = [q_of(x, t) for t in range(len(x) + 1)]
        for i in range(0, len(qs), 4):
            w("    " + ", ".join(c_double(v) for v in qs[i:i + 4]) + ",\n")
        w("};\n")
        write_found(w, "cp_found_%s" % name, detect(x, test="welch"))
        write_found(w, "cp_found_rank_%s" % name, detect(x, test="rank"))
        w("\n")
    w("/* name, n, x, Q at every split, best split with min_size 5, its Q, its\n"
      " * Welch p, its Mann-Whitney p, change points (index, level before, after,\n"
      " * change, p, q) by Welch's test and by Mann-Whitney's */\n")
    w("static const struct cp_ref cp_ref[] = {\n")
    for name, x in cases:
        t, q = best_split(x, 5)
        w("    { \"%s\", %d, cp_x_%s, cp_q_%s, %d, %s, %s, %s, cp_found_%s, %d, "
          "cp_found_rank_%s, %d },\n"
          % (name, len(x), name, name, t, c_double(q), c_double(welch_p(x[:t], x[t:])),
             c_double(mwu_p(x[:t], x[t:])), name, len(detect(x, test="welch")), name,
             len(detect(x, test="rank"))))
    w("};\n\n")
    w("/* tests/data/trend/tigerbeetle.txt at the defaults (p 0.001, min_size 5,\n"
      " * floor 1 %): the change points by Welch's test and by Mann-Whitney's */\n")
    tb = read_history("../data/trend/tigerbeetle.txt")
    for test in ("welch", "rank"):
        w("static const size_t cp_tigerbeetle_%s[] = {%s};\n"
          % (test, ", ".join(str(c[0]) for c in detect(tb, test=test))))
    w("\n")
    w("/* the fewest points that can hold a change point: p, min_size, Welch,\n"
      " * Mann-Whitney */\n")
    w("static const struct cp_min_ref cp_min_ref[] = {\n")
    for alpha in (0.05, 0.01, 0.001, 1e-6, 1e-30):
        for m in (2, 5, 10):
            w("    { %s, %d, %d, %d },\n" % (c_double(alpha), m, min_length(alpha, m, "welch"),
                                            min_length(alpha, m, "rank")))
    w("};\n\n")
    w("/* Welch t-test: a, b and the two-sided p (scipy.stats.ttest_ind,\n"
      " * equal_var=False) */\n")
    arrays = {}
    for an, a, bn, b in welch_cases():
        arrays[an], arrays[bn] = a, b
    for k in sorted(arrays):
        v = arrays[k]
        w("static const double welch_%s[] = {\n" % k)
        for i in range(0, len(v), 4):
            w("    " + ", ".join(c_double(u) for u in v[i:i + 4]) + ",\n")
        w("};\n")
    w("static const struct welch_ref welch_ref[] = {\n")
    for an, a, bn, b in welch_cases():
        w("    { welch_%s, %d, welch_%s, %d, %s },\n" % (an, len(a), bn, len(b),
                                                        c_double(welch_p(a, b))))
    w("};\n")


if __name__ == "__main__":
    main()
