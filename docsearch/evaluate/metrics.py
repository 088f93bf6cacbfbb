"""Ranking metrics over binary relevance."""

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
