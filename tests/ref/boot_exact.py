#!/usr/bin/env python3
"""boot_exact.py: an independent model of the bootstrap distributions that
harness/lib/stats_boot.c computes, for tests/test_stats_boot.c and
tests/test_effect.c.  Pure Python with exact rational arithmetic
(fractions.Fraction), nothing left out, nothing rounded before the end.

  - the median of a resample, small n: every resample as the counts of
    each position (a composition of n, probability n! / prod c! / n^n),
    its type-7 median from the multiset: the definition itself;
  - the median of a resample, any n: the k-th smallest is at a position
    <= i with probability P(Binomial(n, i/n) >= k), summed term by term in
    integers; even n from the joint law of the k-th and k+1-th (see
    stats_boot.c), again in integers.  The two agree wherever both run
    (checked here, n <= 7);
  - the mean of a resample, n <= 6: every composition, as for the median;
  - the ratio of the medians of two independent resamples: every pair of
    atoms;
  - the resampled percentile bootstrap (B = 10,000 resamples from the
    default seed, the generator of boot_ref.py), for the accuracy of the
    computed intervals against it.

The quantile p of a distribution is its smallest value v with
P(X <= v) >= p (the limit of the type-7 quantile of B sorted resamples).

    cd tests/ref && python3 boot_exact.py > boot_exact.out
"""
import math
import sys
from fractions import Fraction

from boot_ref import bootstrap, c_double, read_data

SEED = 0x70616365


def lerp_half(a, b):
    """stats_lerp(a, b, 0.5): a when a == b."""
    return a if a == b else a + 0.5 * (b - a)


def compositions(n, parts):
    """Every way of writing n as parts ordered non-negative counts."""
    if parts == 1:
        yield (n,)
        return
    for c in range(n + 1):
        for rest in compositions(n - c, parts - 1):
            yield (c,) + rest


def multinomial(counts):
    n = sum(counts)
    r = math.factorial(n)
    for c in counts:
        r //= math.factorial(c)
    return r


def add(dist, v, p):
    dist[v] = dist.get(v, Fraction(0)) + p


def median_by_enumeration(x):
    xs = sorted(x)
    n = len(xs)
    dist = {}
    for c in compositions(n, n):
        res = [v for v, k in zip(xs, c) for _ in range(k)]
        h = (n - 1) / 2
        lo = math.floor(h)
        med = res[lo] if lo == h else lerp_half(res[lo], res[lo + 1])
        add(dist, med, Fraction(multinomial(c), n ** n))
    return dist


def mean_by_enumeration(x):
    n = len(x)
    dist = {}
    for c in compositions(n, n):
        add(dist, sum(k * v for v, k in zip(x, c)) / n,
            Fraction(multinomial(c), n ** n))
    return dist


def order_le(n, k, i):
    """n^n P(the k-th smallest of a resample at a position <= i)."""
    return sum(math.comb(n, m) * i ** m * (n - i) ** (n - m) for m in range(k, n + 1))


def median_by_formula(x):
    xs = sorted(x)
    n = len(xs)
    total = n ** n
    dist = {}
    if n % 2:
        k = (n + 1) // 2
        for i in range(1, n + 1):
            add(dist, xs[i - 1], Fraction(order_le(n, k, i) - order_le(n, k, i - 1), total))
        return dist
    k = n // 2
    r = n - k
    for i in range(1, n + 1):
        p_i = order_le(n, k, i) - order_le(n, k, i - 1)
        a = i ** k - (i - 1) ** k
        for j in range(i + 1, n + 1):
            pij = math.comb(n, k) * a * ((n - j + 1) ** r - (n - j) ** r)
            p_i -= pij
            add(dist, lerp_half(xs[i - 1], xs[j - 1]), Fraction(pij, total))
        add(dist, xs[i - 1], Fraction(p_i, total))
    return dist


def quantile(dist, p):
    acc = Fraction(0)
    p = Fraction(p)
    for v in sorted(dist):
        acc += dist[v]
        if acc >= p:
            return v
    return max(dist)


def ratio_quantiles(db, dn, ps):
    atoms = {}
    for vb, pb in db.items():
        for vn, pn in dn.items():
            add(atoms, vn / vb, pb * pn)
    return [quantile(atoms, p) for p in ps]


def resampled(x, level, resamples, seed):
    """The resampled percentile bootstrap (boot_ref.bootstrap: B =
    resamples below its work cap), without the count."""
    return bootstrap(x, level, resamples, seed)[1:]


# The mass stats_boot.c may leave out of a median's distribution (its
# BOOT_TINY atoms): an interval's end may be the quantile at any level
# within this of its own.
LEFT_OUT = 5e-5


def ends(level):
    return (1.0 - level) / 2.0, (1.0 + level) / 2.0


def main():
    out = sys.stdout
    out.write("/* Python %s, python3 boot_exact.py */\n" % sys.version.split()[0])
    logn = read_data("lognormal")
    sets = {
        "two": read_data("two"), "three": read_data("three"),
        "five": logn[:5], "six": logn[5:11], "seven": logn[11:18],
        "even10": read_data("even10"), "odd11": read_data("odd11"),
        "ties": read_data("ties"), "outliers": read_data("outliers"),
        "thirty": logn[100:130], "thirty1": logn[200:231],
    }
    for name, x in sets.items():
        if len(x) <= 7:
            assert median_by_enumeration(x) == median_by_formula(x), name

    out.write("\n/* exact median (and mean, n <= 6): data, offset, n, level, "
              "median lo, hi, mean lo, hi (NaN: not enumerated) */\n")
    out.write("static const struct exact_ref exact_ref[] = {\n")
    offsets = {"five": 0, "six": 5, "seven": 11, "thirty": 100, "thirty1": 200}
    for name, x in sets.items():
        for level in (0.95, 0.9, 0.5):
            dm = median_by_formula(x)
            lo, hi = ends(level)
            mlo, mhi = quantile(dm, lo), quantile(dm, hi)
            alo = ahi = float("nan")
            if len(x) <= 6:
                da = mean_by_enumeration(x)
                alo, ahi = quantile(da, lo), quantile(da, hi)
            src = "lognormal" if name in offsets else name
            out.write('{ "%s", %d, %d, %s, %s, %s, %s, %s },\n'
                      % (src, offsets.get(name, 0), len(x), c_double(level),
                         c_double(mlo), c_double(mhi),
                         "NAN" if math.isnan(alo) else c_double(alo),
                         "NAN" if math.isnan(ahi) else c_double(ahi)))
    out.write("};\n")

    out.write("\n/* exact ratio of medians: base (offset, n), new (offset, n), "
              "level, lo, and lo at its level -+ %g, hi, and hi at its level -+ %g */\n"
              % (LEFT_OUT, LEFT_OUT))
    out.write("static const struct ratio_ref ratio_ref[] = {\n")
    rcases = (("even10", 0, 10, "three", 0, 3, 0.95),
              ("ties", 0, 15, "even10", 0, 10, 0.90),
              ("two", 0, 2, "two", 0, 2, 0.80),
              ("lognormal", 100, 30, "lognormal", 200, 31, 0.95),
              ("lognormal", 300, 30, "lognormal", 400, 30, 0.99))
    for bn, bo, bc, nn, no, nc, level in rcases:
        b = read_data(bn)[bo:bo + bc]
        x = read_data(nn)[no:no + nc]
        pl, ph = ends(level)
        ps = [pl, pl - LEFT_OUT, pl + LEFT_OUT, ph, ph - LEFT_OUT, ph + LEFT_OUT]
        q = ratio_quantiles(median_by_formula(b), median_by_formula(x), ps)
        out.write('{ "%s", %d, %d, "%s", %d, %d, %s, %s, %s },\n'
                  % (bn, bo, bc, nn, no, nc, c_double(level),
                     ", ".join(c_double(v) for v in q[:3]),
                     ", ".join(c_double(v) for v in q[3:])))
    out.write("};\n")

    out.write("\n/* resampled (B = 10000, seed 0x70616365): data, level, "
              "median lo, hi, mean lo, hi */\n")
    out.write("static const struct resampled_ref resampled_ref[] = {\n")
    for name in ("even10", "odd11", "ties", "outliers", "spiky", "lognormal"):
        for level in (0.95, 0.9):
            v = resampled(read_data(name), level, 10000, SEED)
            out.write('{ "%s", %s, %s },\n'
                      % (name, c_double(level), ", ".join(c_double(t) for t in v)))
    out.write("};\n")


if __name__ == "__main__":
    main()
