"""Ranking metrics: MRR, Recall, Hit and nDCG over binary relevance, nDCG over graded relevance, and the
address rule of linking (a clause at or below the gold address is a hit)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence


def mrr_at(ranked: Sequence[str], relevant: set[str], k: int = 10, hit: Callable[[str, str], bool] | None = None) -> float:
    for i, r in enumerate(ranked[:k], start=1):
        if any((hit(r, g) if hit else r == g) for g in relevant):
            return 1.0 / i
    return 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int, hit: Callable[[str, str], bool] | None = None) -> float:
    if not relevant:
        return 0.0
    found = {g for g in relevant for r in ranked[:k] if (hit(r, g) if hit else r == g)}
    return len(found) / len(relevant)


def hit_at(ranked: Sequence[str], relevant: set[str], k: int, hit: Callable[[str, str], bool] | None = None) -> float:
    return 1.0 if any((hit(r, g) if hit else r == g) for r in ranked[:k] for g in relevant) else 0.0


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 1) for i, r in enumerate(ranked[:k], start=1) if r in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def address_hit(predicted: str, gold: str) -> bool:
    """A predicted clause at or below the gold address counts (III.2.-4 hits gold III.2)."""
    return predicted == gold or predicted.startswith(gold + ".")


def graded_ndcg_at(ranked: Sequence[str], grades: dict[str, int], k: int = 10) -> float:
    """nDCG with graded relevance (gain 2^grade − 1), e.g. 2 = answers it / carries it out, 1 = related."""
    dcg = sum((2 ** grades.get(r, 0) - 1) / math.log2(i + 1) for i, r in enumerate(ranked[:k], start=1))
    ideal_grades = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    ideal = sum((2 ** g - 1) / math.log2(i + 1) for i, g in enumerate(ideal_grades, start=1))
    return dcg / ideal if ideal else 0.0
