"""How well two partitions of the same municipalities agree: adjusted Rand index and variation of information.

Both are computed on the municipalities the two partitions share. ARI is 1 for identical partitions, about 0
for chance agreement and can be negative; VI is 0 for identical partitions and grows as they differ (in bits);
normalised VI divides by log2(n) so that it lies between 0 and 1.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    shared: int  # municipalities both partitions place
    ari: float | None  # None when fewer than two municipalities are shared
    vi: float | None
    nvi: float | None


def _comb2(n: int) -> float:
    return n * (n - 1) / 2


def agreement(a: dict[str, str], b: dict[str, str]) -> Agreement:
    items = sorted(a.keys() & b.keys())
    n = len(items)
    if n < 2:
        return Agreement(n, None, None, None)
    joint = Counter((a[i], b[i]) for i in items)
    rows = Counter(a[i] for i in items)
    cols = Counter(b[i] for i in items)
    index = sum(_comb2(c) for c in joint.values())
    sum_rows = sum(_comb2(c) for c in rows.values())
    sum_cols = sum(_comb2(c) for c in cols.values())
    expected = sum_rows * sum_cols / _comb2(n)
    maximum = (sum_rows + sum_cols) / 2
    ari = 1.0 if maximum == expected else (index - expected) / (maximum - expected)
    entropy_a = -sum(c / n * math.log2(c / n) for c in rows.values())
    entropy_b = -sum(c / n * math.log2(c / n) for c in cols.values())
    mutual = sum(c / n * math.log2(c * n / (rows[x] * cols[y])) for (x, y), c in joint.items())
    vi = max(0.0, entropy_a + entropy_b - 2 * mutual)
    return Agreement(n, round(ari, 4), round(vi, 4), round(vi / math.log2(n), 4))
