#!/usr/bin/env python3
"""changepoint.py: an independent model of compare/changepoint.c, for
tests/test_changepoint.c.

  - the energy statistic Q of every split straight from its definition
    (Matteson and James 2014, alpha = 1), double sums over all pairs;
  - Welch's t-test p-values from scipy.stats.ttest_ind(equal_var=False);
  - the whole detection as changepoint.h describes it: best split by Q
    with min_size points a side (ties to the first), accepted when the
    Welch p is below the threshold, both sides recursed into; then the
    weakest change point (smallest |change| among those below the
    magnitude floor or no longer significant against their neighbours)
    dropped until none is weak.

The series are drawn here from Python's random module with fixed seeds and
written into the output, which is C (one initializer per case) and is
included by test_changepoint.c.

    cd tests/ref && /usr/bin/python3 changepoint.py > changepoint_ref.out
"""
import random
import sys

import scipy
from scipy.stats import ttest_ind


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


def welch_p(a, b):
    if len(a) < 2 or len(b) < 2:
        return 1.0
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    if max(a) == min(a) and max(b) == min(b):
        return 1.0 if ma == mb else 0.0
    return float(ttest_ind(a, b, equal_var=False).pvalue)


def best_split(x, min_size):
    best, bq = None, None
    for t in range(min_size, len(x) - min_size + 1):
        q = q_of(x, t)
        if bq is None or q > bq:
            best, bq = t, q
    return best, bq


def bisect(x, lo, hi, min_size, alpha, found):
    if hi - lo < 2 * min_size:
        return
    seg = x[lo:hi]
    t, q = best_split(seg, min_size)
    p = welch_p(seg[:t], seg[t:])
    if not p < alpha:
        return
    found.append((lo + t, q))
    bisect(x, lo, lo + t, min_size, alpha, found)
    bisect(x, lo + t, hi, min_size, alpha, found)


def evaluate(x, cps):
    out = []
    for i, (idx, q) in enumerate(cps):
        frm = cps[i - 1][0] if i else 0
        to = cps[i + 1][0] if i + 1 < len(cps) else len(x)
        a, b = x[frm:idx], x[idx:to]
        mb, ma = sum(a) / len(a), sum(b) / len(b)
        out.append((idx, mb, ma, ma / mb - 1.0, welch_p(a, b), q))
    return out


def detect(x, alpha=0.001, min_size=5, floor=0.01):
    min_size = max(min_size, 2)
    found = []
    bisect(x, 0, len(x), min_size, alpha, found)
    cps = sorted(found)
    while True:
        ev = evaluate(x, cps)
        weak = None
        for i, c in enumerate(ev):
            if abs(c[3]) >= floor and c[4] < alpha:
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
    return out


def welch_cases():
    r = random.Random(7)
    a = [r.gauss(10, 1) for _ in range(12)]
    b = [r.gauss(10.5, 2) for _ in range(9)]
    c = [r.gauss(20, 0.5) for _ in range(30)]
    d = [r.gauss(10, 0.5) for _ in range(25)]
    return [("a", a, "b", b), ("b", b, "a", a), ("a", a, "c", c), ("c", c, "d", d),
            ("d", d, "d2", d[:3])]


def c_double(v):
    return repr(float(v))


def main():
    w = sys.stdout.write
    w("/* Python %s, scipy %s, python3 changepoint.py */\n\n"
      % (sys.version.split()[0], scipy.__version__))
    cases = series()
    for name, x in cases:
        w("static const double cp_x_%s[] = {\n" % name)
        for i in range(0, len(x), 4):
            w("    " + ", ".join(c_double(v) for v in x[i:i + 4]) + ",\n")
        w("};\n")
        w("static const double cp_q_%s[] = {\n" % name)
        qs = [q_of(x, t) for t in range(len(x) + 1)]
        for i in range(0, len(qs), 4):
            w("    " + ", ".join(c_double(v) for v in qs[i:i + 4]) + ",\n")
        w("};\n")
        cps = detect(x)
        w("static const struct cp_ref_point cp_found_%s[] = {\n" % name)
        for c in cps:
            w("    { %d, %s, %s, %s, %s, %s },\n" % (c[0], c_double(c[1]), c_double(c[2]),
                                                   c_double(c[3]), c_double(c[4]),
                                                   c_double(c[5])))
        w("    { 0, 0, 0, 0, 0, 0 } /* end */\n};\n\n")
    w("/* name, n, x, Q at every split, best split with min_size 5, its Q, its\n"
      " * Welch p, change points (index, mean before, after, change, p, q) */\n")
    w("static const struct cp_ref cp_ref[] = {\n")
    for name, x in cases:
        t, q = best_split(x, 5)
        p = welch_p(x[:t], x[t:])
        w("    { \"%s\", %d, cp_x_%s, cp_q_%s, %d, %s, %s, cp_found_%s, %d },\n"
          % (name, len(x), name, name, t, c_double(q), c_double(p), name, len(detect(x))))
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
