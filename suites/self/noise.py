#!/usr/bin/python3
"""Noise of this machine, as suites/self/detector.c models it.

usage: suites/self/noise.py RUN.json... [--ab AB.json...]

RUN.json: results of `pacer run --processes K` (K >= 2) of the same suites
with nothing changed; AB.json: results of `pacer ab` of two copies of the
same binaries.  Prints the spread inside one worker process, between the
processes of a run, between whole runs, the share of far outliers, and for
A/B the spread between worker pairs of the median log ratio.
"""
import json, math, statistics as S, sys


def quart(a):
    a = sorted(a)
    q = lambda p: a[int(p * (len(a) - 1))]
    return f"median {100*S.median(a):.2f}%  p25 {100*q(.25):.2f}%  p75 {100*q(.75):.2f}%  p90 {100*q(.9):.2f}%"


def clusters(x, counts):
    o = 0
    for k in counts or [len(x)]:
        yield x[o:o + k]
        o += k


def main(argv):
    if '--ab' in argv:
        i = argv.index('--ab')
        runs, abs_ = argv[:i], argv[i + 1:]
    else:
        runs, abs_ = argv, []
    if runs:
        data = [{b['name']: b for b in json.load(open(f))['benchmarks'] if b['samples']} for f in runs]
        names = sorted(set.intersection(*[set(d) for d in data]))
        within, between, runlvl, far = [], [], [], []
        for n in names:
            meds = []
            for d in data:
                x = [math.log(v) for v in d[n]['samples']]
                pm = []
                for seg in clusters(x, d[n].get('process_samples')):
                    m = S.median(seg)
                    pm.append(m)
                    within.append(1.4826 * S.median([abs(v - m) for v in seg]))
                if len(pm) > 1:
                    between.append(S.stdev(pm))
                meds.append(S.median(x))
                far.append(sum(1 for v in x if v - S.median(x) > math.log(1.1)) / len(x))
            if len(meds) > 1:
                runlvl.append(S.stdev(meds))
        print(f"{len(runs)} runs, {len(names)} benchmarks")
        print("  inside one worker process (MAD sigma):  ", quart(within))
        if between:
            print("  between the processes of a run (sd):    ", quart(between))
        if runlvl:
            print("  between whole runs, of the medians (sd):", quart(runlvl))
        print(f"  samples over 10% above their run's median: {100*S.mean(far):.2f}%")
    for f in abs_:
        d = json.load(open(f))
        base = {b['name']: b for b in d['ab']['base_benchmarks']}
        sds = []
        for nb in d['benchmarks']:
            bb = base.get(nb['name'])
            if not bb or not nb['samples']:
                continue
            r = [math.log(a / b) for a, b in zip(nb['samples'], bb['samples'])]
            meds = [S.median(seg) for seg in clusters(r, nb.get('process_samples'))]
            if len(meds) > 1:
                sds.append(S.stdev(meds))
        if sds:
            print(f"{f}: between worker pairs, median log ratio (sd): {quart(sds)}; max {100*max(sds):.1f}%")


if __name__ == '__main__':
    main(sys.argv[1:])
