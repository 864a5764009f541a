#!/usr/bin/env python3
"""boot_ref.py: an independent pure-Python model of harness/rng.c and the
bootstrap of harness/stats.c, for tests/test_rng.c and tests/test_stats.c.

It implements, from the published definitions and with Python's exact
integers: splitmix64 (Steele, Lea and Flood 2014), xoshiro256** (Blackman
and Vigna 2018), Lemire's bounded integers (Lemire 2019), the uniform
double (next >> 11) * 2^-53, the Marsaglia polar normal, the type-7
quantile (Hyndman and Fan 1996) and the percentile bootstrap of stats.h.
No numpy: every step is spelled out here.

    cd tests/ref && python3 boot_ref.py > boot_ref.out
"""
import math
import sys

M64 = (1 << 64) - 1


def splitmix64_stream(seed):
    x = seed & M64
    while True:
        x = (x + 0x9E3779B97F4A7C15) & M64
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Rng:
    def __init__(self, seed):
        g = splitmix64_stream(seed)
        self.s = [next(g) for _ in range(4)]

    def next(self):
        s = self.s
        out = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return out

    def below(self, n):
        m = self.next() * n
        low = m & M64
        if low < n:
            t = (1 << 64) % n  # (-n) mod n in 64-bit arithmetic
            while low < t:
                m = self.next() * n
                low = m & M64
        return m >> 64

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def normal(self):
        while True:
            u = 2.0 * self.uniform() - 1.0
            v = 2.0 * self.uniform() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                return u * math.sqrt(-2.0 * math.log(s) / s)


def quantile7(sorted_x, p):
    n = len(sorted_x)
    h = (n - 1) * p
    lo = math.floor(h)
    if lo >= n - 1:
        return sorted_x[n - 1]
    a, b = sorted_x[lo], sorted_x[lo + 1]
    t = h - lo
    if t == 0.0 or a == b:
        return a
    return a + t * (b - a)


def boot_count(n, resamples, work=20000000):
    if n * resamples <= work:
        return resamples
    return min(resamples, max(1000, work // n))


def bootstrap(x, level, resamples, seed):
    """Percentile bootstrap CIs of the median and the mean (stats.h)."""
    n = len(x)
    b_used = boot_count(n, resamples)
    r = Rng(seed)
    meds, means = [], []
    for _ in range(b_used):
        res = [x[r.below(n)] for _ in range(n)]
        total = 0.0
        for v in res:  # in draw order, not math.fsum / compensated sum()
            total += v
        means.append(total / n)
        meds.append(quantile7(sorted(res), 0.5))
    meds.sort()
    means.sort()
    plo, phi = (1.0 - level) / 2.0, (1.0 + level) / 2.0
    return (b_used, quantile7(meds, plo), quantile7(meds, phi),
            quantile7(means, plo), quantile7(means, phi))


def read_data(name):
    with open("data_%s.txt" % name) as f:
        return [float(line) for line in f if line.strip()]


def c_double(v):
    return repr(float(v))


def main():
    out = sys.stdout
    out.write("/* Python %s, python3 boot_ref.py */\n" % sys.version.split()[0])

    out.write("\n/* splitmix64, seed 1234567: first 5 outputs */\n")
    g = splitmix64_stream(1234567)
    for _ in range(5):
        out.write("%dULL,\n" % next(g))

    out.write("\n/* rng_seed(1234567): s[0..3] */\n")
    for v in Rng(1234567).s:
        out.write("0x%016xULL,\n" % v)

    for seed in (0, 1234567):
        out.write("\n/* rng_seed(%d), rng_next: first 8 outputs */\n" % seed)
        r = Rng(seed)
        for _ in range(8):
            out.write("0x%016xULL,\n" % r.next())

    bounds = (1, 2, 3, 10, 1000003, (1 << 63) + 1, 3 << 62, M64)
    out.write("\n/* rng_seed(42), rng_below: 4 draws each for bounds %s */\n"
              % ", ".join(str(n) for n in bounds))
    r = Rng(42)
    for n in bounds:
        out.write("%s\n" % ", ".join("%dULL" % r.below(n) for _ in range(4)))

    out.write("\n/* rng_seed(99), rng_uniform: first 4 */\n")
    r = Rng(99)
    for _ in range(4):
        out.write("%s,\n" % c_double(r.uniform()))

    out.write("\n/* rng_seed(99), rng_normal: first 6 */\n")
    r = Rng(99)
    for _ in range(6):
        out.write("%s,\n" % c_double(r.normal()))

    out.write("\n/* bootstrap: data, level, resamples, seed, B used, "
              "median lo, hi, mean lo, hi */\n")
    cases = (
        ("two", 0.95, 1000, 1),
        ("three", 0.95, 1000, 1),
        ("even10", 0.95, 2000, 42),
        ("odd11", 0.90, 2000, 7),
        ("ties", 0.95, 2000, 0x70616365),
        ("outliers", 0.99, 2000, 3),
        ("spiky", 0.95, 2000, 0x70616365),
        ("lognormal", 0.95, 3000, 0x70616365),
        ("lognormal", 0.80, 1500, 12345),
    )
    for name, level, resamples, seed in cases:
        b_used, mlo, mhi, alo, ahi = bootstrap(read_data(name), level,
                                               resamples, seed)
        out.write('{ "%s", %s, %d, 0x%xULL, %d, %s, %s, %s, %s },\n'
                  % (name, c_double(level), resamples, seed, b_used,
                     c_double(mlo), c_double(mhi), c_double(alo),
                     c_double(ahi)))


if __name__ == "__main__":
    main()
