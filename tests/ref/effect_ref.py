#!/usr/bin/env python3
"""effect_ref.py: an independent model of compare/effect.c, for
tests/test_effect.c.

  - unpaired ratio of medians and its percentile bootstrap CI, following
    effect.h step for step with the pure-Python generator of boot_ref.py
    (splitmix64, xoshiro256**, Lemire's bounded integers) and medians by
    sorting (effect.c selects);
  - paired ratio exp(median log ratio) and the order-statistic CI of the
    median, its k taken from scipy.stats.binom;
  - minimum detectable effects, from scipy.stats.norm quantiles;
  - scipy.stats.norm.ppf and norm.sf values.

Data are the tests/ref/data_<name>.txt files written by stats_ref.R.  The
output is C (one initializer per case) and test_effect.c includes it.

    cd tests/ref && /usr/bin/python3 effect_ref.py > effect_ref.out
"""
import math
import sys

import scipy
from scipy.stats import binom, norm

from boot_ref import Rng, boot_count, c_double, quantile7, read_data

STATS_DEFAULT_SEED = 0x70616365


def median(x):
    return quantile7(sorted(x), 0.5)


def unpaired(base, nw, level, resamples, seed):
    n, m = len(base), len(nw)
    ratio = median(nw) / median(base)
    b_used = boot_count(n + m, resamples)
    r = Rng(seed)
    ratios = []
    for _ in range(b_used):
        rb = [base[r.below(n)] for _ in range(n)]
        rn = [nw[r.below(m)] for _ in range(m)]
        ratios.append(median(rn) / median(rb))
    ratios.sort()
    return (b_used, ratio, quantile7(ratios, (1.0 - level) / 2.0),
            quantile7(ratios, (1.0 + level) / 2.0))


def paired(base, nw, level):
    n = len(base)
    r = sorted(math.log(b / a) for a, b in zip(base, nw))
    ratio = math.exp(quantile7(r, 0.5))
    tail = (1.0 - level) / 2.0
    k = 0
    while k + 1 <= (n + 1) // 2 and binom.cdf(k, n, 0.5) <= tail:
        k += 1  # P(X < k + 1) = P(X <= k)
    if k == 0:
        return k, 1, ratio, math.exp(r[0]), math.exp(r[-1])
    return k, 0, ratio, math.exp(r[k - 1]), math.exp(r[n - k])


def mad(x):
    med = median(x)
    return 1.4826 * median([abs(v - med) for v in x])


def factor(alpha, power):
    return ((norm.ppf(1.0 - alpha / 2.0) + norm.ppf(power))
            / math.sqrt(3.0 / math.pi))


def mde_unpaired(base, nw, alpha, power):
    sb = mad([math.log(v) for v in base])
    sn = mad([math.log(v) for v in nw])
    return math.expm1(factor(alpha, power)
                      * math.sqrt(sb * sb / len(base) + sn * sn / len(nw)))


def mde_paired(base, nw, alpha, power):
    s = mad([math.log(b / a) for a, b in zip(base, nw)])
    return math.expm1(factor(alpha, power) * s / math.sqrt(len(base)))


def main():
    out = sys.stdout
    out.write("/* Python %s, scipy %s, python3 effect_ref.py */\n"
              % (sys.version.split()[0], scipy.__version__))
    data = {}

    def get(name, off=0, n=None):
        if name not in data:
            data[name] = read_data(name)
        x = data[name]
        return x[off:] if n is None else x[off:off + n]

    out.write("\n/* unpaired: base, new, level, resamples, seed, B used, "
              "ratio, lo, hi */\n")
    out.write("static const struct unpaired_ref unpaired_ref[] = {\n")
    cases = (
        ("even10", "three", 0.95, 2000, 42),
        ("ties", "even10", 0.90, 2000, 7),
        ("one", "three", 0.95, 1000, 1),
        ("two", "two", 0.80, 1000, 3),
        ("spiky", "lognormal", 0.95, 1000, 99),
        ("lognormal", "spiky", 0.95, 10000, STATS_DEFAULT_SEED),
        # (1000 + 1000) * 20000 > STATS_BOOT_WORK: B is lowered to 10000
        ("lognormal", "lognormal", 0.99, 20000, 12345),
    )
    for bname, nname, level, resamples, seed in cases:
        b_used, ratio, lo, hi = unpaired(get(bname), get(nname), level,
                                         resamples, seed)
        out.write('{ "%s", "%s", %s, %d, 0x%xULL, %d, %s, %s, %s },\n'
                  % (bname, nname, c_double(level), resamples, seed, b_used,
                     c_double(ratio), c_double(lo), c_double(hi)))
    out.write("};\n")

    out.write("\n/* B used for n + m values and a requested B (the work "
              "cap of stats.h) */\n")
    out.write("static const struct count_ref count_ref[] = {\n")
    for nm, resamples in ((25000, 10000), (25000, 500), (20001, 1000),
                          (20000, 1001), (3, 0)):
        out.write("{ %d, %d, %d },\n" % (nm, resamples, boot_count(nm, resamples)))
    out.write("};\n")

    out.write("\n/* paired: base (offset), new (offset), n, level, k, "
              "narrowed, ratio, lo, hi */\n")
    out.write("static const struct paired_ref paired_ref[] = {\n")
    pcases = [("lognormal", 0, "lognormal", 500, n, 0.95)
              for n in (1, 2, 5, 6, 7, 20, 101, 500)]
    pcases += [("lognormal", 0, "lognormal", 500, 20, 0.90),
               ("lognormal", 0, "lognormal", 500, 20, 0.99),
               ("lognormal", 0, "lognormal", 500, 7, 0.99),
               ("lognormal", 0, "lognormal", 500, 8, 0.99),
               ("spiky", 0, "lognormal", 0, 500, 0.95),
               ("even10", 0, "ties", 5, 10, 0.90)]
    for bname, boff, nname, noff, n, level in pcases:
        k, narrowed, ratio, lo, hi = paired(get(bname, boff, n),
                                            get(nname, noff, n), level)
        out.write('{ "%s", %d, "%s", %d, %d, %s, %d, %d, %s, %s, %s },\n'
                  % (bname, boff, nname, noff, n, c_double(level), k,
                     narrowed, c_double(ratio), c_double(lo), c_double(hi)))
    out.write("};\n")

    out.write("\n/* mde: paired, base (offset), new (offset), n, m, alpha, "
              "power, mde */\n")
    out.write("static const struct mde_ref mde_ref[] = {\n")
    mcases = (
        (0, "lognormal", 0, "spiky", 0, 1000, 501, 0.05, 0.8),
        (0, "even10", 0, "ties", 0, 10, 15, 0.01, 0.9),
        (0, "two", 0, "three", 0, 2, 3, 0.05, 0.8),
        (1, "lognormal", 0, "lognormal", 500, 500, 500, 0.05, 0.8),
        (1, "lognormal", 0, "spiky", 0, 20, 20, 0.01, 0.9),
        (1, "even10", 0, "ties", 3, 7, 7, 0.10, 0.5),
    )
    for pr, bname, boff, nname, noff, n, m, alpha, power in mcases:
        b, nw = get(bname, boff, n), get(nname, noff, m)
        assert len(b) == n and len(nw) == m
        v = mde_paired(b, nw, alpha, power) if pr else \
            mde_unpaired(b, nw, alpha, power)
        out.write('{ %d, "%s", %d, "%s", %d, %d, %d, %s, %s, %s },\n'
                  % (pr, bname, boff, nname, noff, n, m, c_double(alpha),
                     c_double(power), c_double(v)))
    out.write("};\n")

    out.write("\n/* scipy.stats.norm.ppf(p): p, quantile */\n")
    out.write("static const struct norm_ref quantile_ref[] = {\n")
    for p in (1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.02, 0.02425,
              0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.55, 0.6, 0.8, 0.9,
              0.95, 0.975, 0.99, 0.995, 0.999, 0.97575, 1 - 1e-10, 1 - 1e-15):
        out.write("{ %s, %s },\n" % (c_double(p), c_double(norm.ppf(p))))
    out.write("};\n")

    out.write("\n/* scipy.stats.norm.sf(z): z, upper tail */\n")
    out.write("static const struct norm_ref sf_ref[] = {\n")
    for z in (-8.0, -3.0, -1.959963984540054, -0.5, 0.0, 0.25, 1.0, 1.6448536269514722,
              2.5, 5.0, 10.0, 20.0, 37.0):
        out.write("{ %s, %s },\n" % (c_double(z), c_double(norm.sf(z))))
    out.write("};\n")


if __name__ == "__main__":
    main()
