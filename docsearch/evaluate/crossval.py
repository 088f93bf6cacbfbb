"""Choosing parameters inside cross-validation, so that no reported figure rests on parameters chosen on the data
it is reported on. Every tuner here scores each grid point on every item once (a matrix: grid points × items);
the folds then only pick rows: for each fold, the grid point best on the other folds scores the fold's items, and
the mean over all items is the out-of-fold figure."""

from __future__ import annotations

import numpy as np


def kfold(n: int, k: int = 5, seed: int = 0) -> np.ndarray:
    """A fold id for each of n items (shuffled, sizes within one of each other)."""
    return np.random.default_rng(seed).permutation(n) % k


def group_folds(groups: list[str]) -> np.ndarray:
    """One fold per group (leave-one-group-out)."""
    ids = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    return np.array([ids[g] for g in groups])


def cross_validate(objective: np.ndarray, folds: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """objective: grid points × items (higher is better). Returns, for every item, the grid point chosen without
    its fold, and the choice of each fold."""
    choice = np.zeros(objective.shape[1], dtype=int)
    chosen = []
    for f in np.unique(folds):
        held = folds == f
        best = int(np.argmax(objective[:, ~held].mean(axis=1)))
        choice[held] = best
        chosen.append(best)
    return choice, chosen


def out_of_fold(values: np.ndarray, choice: np.ndarray) -> np.ndarray:
    """values: grid points × items; the value of each item under the grid point chosen for it."""
    return values[choice, np.arange(values.shape[1])]
