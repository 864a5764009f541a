"""Small pytest-benchmark tests whose output pacer imports."""
import pytest


def total(n):
    return sum(range(n))


def test_sum(benchmark):
    benchmark(total, 100)


@pytest.mark.parametrize("n", [10, 1000])
def test_sum_n(benchmark, n):
    benchmark(total, n)


@pytest.mark.parametrize("kind", ["list", "tuple"])
def test_build(benchmark, kind):
    benchmark(list if kind == "list" else tuple, range(50))
