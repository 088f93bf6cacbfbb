"""Quality gates on the development sets: retrieval on ALQAC 2022, linking on NQ 03/NQ-CP → NQ 57-NQ/TW, tagging
on the topic labels. Each figure is measured on the product *as configured* (weights from DOCSEARCH_* settings,
LinkParams and TaggerParams defaults) and asserted at its measured value minus a stated margin, so a change that
lowers quality fails CI and the failure names the figure that fell.

Measured values and margins (bench/RESULTS.md, section Quality, has the full tables). Two runs on the same machine
gave identical figures (the embedder and the ranking are deterministic), so the margins are about the size of a
few questions, tasks or labels: ALQAC 0.01 (≈ 5 of 520 questions at rank 1), linking 0.015 (≈ 4 of 248 tasks),
tagging 0.015 (≈ 2–3 of 147 labels). Embeddings are shared by all gates through one cache
(DOCSEARCH_EMBEDDING_CACHE, default ~/.cache/docsearch/eval.sqlite), so a run embeds each text once: the three
gates took 637 s with an empty cache (about 3,900 ALQAC texts embedded) and about 80 s with a warm one, with the
same figures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import need_shared

pytestmark = pytest.mark.quality

# figure: (measured, margin)
GATES = {
    "retrieval hybrid MRR@10": (0.9485, 0.010),
    "retrieval hybrid nDCG@10": (0.9580, 0.010),
    # in-sample twice over: by default a query without marks is ordered by the learned ranker (a quarter of its
    # trees' correction added to fusion), the trees trained on these very questions (out of fold it gives 0.9360:
    # bench/RESULTS.md); the gate still catches a ranker that got worse
    "retrieval hybrid, no diacritics MRR@10": (0.9650, 0.010),
    "linking Hit@5": (0.9637, 0.015),
    "linking MRR@10": (0.8753, 0.015),
    # the tasks and group headings written with abbreviations as provincial programmes write them
    "linking abbreviated MRR@10": (0.8734, 0.015),
    "linking renumbered MRR@10": (0.8760, 0.015),
    # in-sample: the defaults are the tuning grid's choice on these labels (5-fold CV figures in bench/RESULTS.md)
    "tagging micro_f1": (0.8314, 0.015),
    "tagging macro_f1": (0.7955, 0.015),
    "tagging p_at_1": (0.9456, 0.015),
    # the same labels written with abbreviations as provincial programmes write them ("Sở KH&CN", "CĐS"): 0.7806
    # before the tagger read abbreviations as the words they stand for; the parameters are chosen on the labels as
    # written, and the document's background helps these less (0.8189 without it)
    "tagging abbreviated micro_f1": (0.8177, 0.015),
}


MEASURED: list[tuple[str, float, float]] = []  # printed at the end of the run (tests/quality/conftest.py)


def gate(name: str, value: float) -> None:
    measured, margin = GATES[name]
    floor = measured - margin
    MEASURED.append((name, value, floor))
    assert value >= floor, (f"quality gate '{name}' fell: {value:.4f} < {floor:.4f} "
                            f"(measured {measured:.4f}, margin {margin})")


@pytest.fixture(scope="module", autouse=True)
def shared_embedding_cache():
    """One embedding cache for every gate (and across runs on the same machine)."""
    from docsearch.config import get_settings

    mp = pytest.MonkeyPatch()
    default = Path.home() / ".cache" / "docsearch" / "eval.sqlite"
    mp.setenv("DOCSEARCH_EMBEDDING_CACHE", os.environ.get("DOCSEARCH_EMBEDDING_CACHE", str(default)))
    get_settings.cache_clear()
    yield
    mp.undo()
    get_settings.cache_clear()


def test_retrieval_gate(tmp_path_factory):
    from docsearch.evaluate.retrieval import run

    corpus = need_shared("eval", "legal-retrieval", "alqac2022", "corpus.jsonl")
    queries = corpus.parent / "queries.jsonl"
    work = tmp_path_factory.mktemp("alqac")
    res = run(corpus, queries, ["hybrid"], workdir=work)["hybrid"]
    folded = run(corpus, queries, ["hybrid"], workdir=work, fold_queries=True)["hybrid"]
    assert res["n"] == 520
    gate("retrieval hybrid MRR@10", res["MRR@10"])
    gate("retrieval hybrid nDCG@10", res["nDCG@10"])
    gate("retrieval hybrid, no diacritics MRR@10", folded["MRR@10"])


def test_linking_gate(tmp_path_factory):
    from docsearch.evaluate.linking import run

    gold = need_shared("eval", "linking", "nq03-to-nq57.jsonl")
    raw = need_shared("corpus", "raw")
    work = tmp_path_factory.mktemp("linking")
    args = (gold, raw / "nq-57-nqtw-2024.txt")
    res = run(*args, workdir=work, programme=raw / "nq-03-nqcp-2025.txt", cv=False)
    renumbered = run(*args, workdir=work, programme=raw / "nq-03-nqcp-2025.txt", renumber_seed=1, cv=False)
    short = run(*args, workdir=work, programme=raw / "nq-03-nqcp-2025.txt", abbreviated=True, cv=False)
    assert res["linker"]["n"] == 248 and res["tasks"]["recall"] == 1.0 and res["tasks"]["precision"] == 1.0
    gate("linking Hit@5", res["linker"]["Hit@5"])
    gate("linking MRR@10", res["linker"]["MRR@10"])
    gate("linking renumbered MRR@10", renumbered["linker"]["MRR@10"])
    gate("linking abbreviated MRR@10", short["linker"]["MRR@10"])
    # the structure step never does worse than plain search on Hit@5, numbered as the resolution or not
    assert res["linker"]["Hit@5"] >= res["hybrid"]["Hit@5"]
    assert renumbered["linker"]["Hit@5"] >= renumbered["hybrid"]["Hit@5"]


def test_tagging_gate():
    from docsearch.evaluate.tagging import run

    labels = need_shared("eval", "topics", "labels.jsonl")
    res = run(labels, need_shared("corpus", "raw"))
    assert res["n"] == 147
    gate("tagging micro_f1", res["micro_f1"])
    gate("tagging macro_f1", res["macro_f1"])
    gate("tagging p_at_1", res["p_at_1"])
    short = run(labels, need_shared("corpus", "raw"), abbreviated=True)
    gate("tagging abbreviated micro_f1", short["micro_f1"])
