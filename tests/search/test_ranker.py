"""The learned ranker: the shipped model matches the features the code computes, the features say what they claim,
searches are ordered by it when it is configured, and fusion takes over when it is not or cannot load."""

import numpy as np
import pytest

from docsearch.config import get_settings
from docsearch.search import hybrid
from docsearch.search.ranker import FEATURES, MODEL_PATH, LearnedRanker, candidate_features, load_ranker
from docsearch.text.analysis import analyze


def test_the_shipped_model_was_trained_on_these_features():
    r = LearnedRanker()
    assert r.info["features"] == list(FEATURES)
    assert r.booster.num_feature() == len(FEATURES)
    assert r.base_scale > 0  # boosted from the fusion score: see the module's docstring
    # "auto" (the default) uses it for queries typed without marks, adding the share `strength` of the trees'
    # correction that a nested CV chose on ALQAC and the staff-style set typed without marks; the out-of-fold
    # figures travel with the model (bench/tune_ranker.py --write)
    assert 0.0 <= r.strength <= 1.0
    # the strength was chosen for the shipped trees' own settings (not a mix of what the outer folds chose under
    # theirs): it is the best of the objectives --write recorded for them, ties to the smaller
    objective = {float(k): v for k, v in r.info["strength_objective"].items()}
    assert r.strength == max(sorted(objective), key=lambda k: objective[k])
    assert r.info["config"]["base_scale"] == r.base_scale
    cv = r.info["cv"]
    assert cv["learned_unmarked"]["mrr"] > cv["fusion_unmarked"]["mrr"] + 0.01  # the trees do learn something
    # without diacritics within 0.02 of the questions typed with them (#12), out of fold
    assert cv["auto_unmarked"]["mrr"] >= cv["auto_typed"]["mrr"] - 0.02
    # the chosen share costs the staff set typed without marks less than the full correction did, and the staff
    # set as typed stays within 0.01 of fusion
    assert cv["auto_stripped"]["graded_ndcg"] >= cv["auto_full_stripped"]["graded_ndcg"]
    assert cv["auto_staff"]["graded_ndcg"] >= cv["fusion_staff"]["graded_ndcg"] - 0.01


def test_the_strength_is_the_share_of_the_trees_correction_search_applies(sample_index, monkeypatch):
    r = LearnedRanker()
    X = np.random.default_rng(0).normal(size=(6, len(FEATURES)))
    fused = np.arange(6, dtype=float)
    trees = r.booster.predict(X)
    assert np.allclose(r.score(X, fused, 0.0), r.base_scale * fused)
    assert np.allclose(r.score(X, fused, 0.5), r.base_scale * fused + 0.5 * trees)
    assert np.allclose(r.score(X, fused), r.base_scale * fused + r.strength * trees)
    # DOCSEARCH_RANKER_STRENGTH reaches search: at 0 the learned ranker orders as the fusion of its candidates
    query = "bố trí quỹ đất để phát triển nhà ở xã hội cho công nhân"
    monkeypatch.setenv("DOCSEARCH_ONE_HIT_PER_ARTICLE", "false")
    monkeypatch.setenv("DOCSEARCH_RANKER", "learned")
    monkeypatch.setenv("DOCSEARCH_RANKER_STRENGTH", "0")
    get_settings.cache_clear()
    st = sample_index.snapshot()
    cand, feats = hybrid.features(sample_index, query, get_settings().candidates, hybrid.ALL_METHODS, state=st)
    by_fusion = [int(c) for c in cand[np.argsort(-hybrid.fuse(feats, hybrid.weights_for(True, get_settings()),
                                                             len(cand)))[:10]]]
    assert _order(sample_index, query) == by_fusion
    monkeypatch.setenv("DOCSEARCH_RANKER_STRENGTH", "1")
    get_settings.cache_clear()
    assert _order(sample_index, query) != by_fusion  # the full correction does reorder this query


def test_a_model_for_other_features_is_refused(tmp_path):
    text = MODEL_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "ranker.txt"
    bad.write_text(text.replace('"z_words"', '"z_other"', 1), encoding="utf-8")
    with pytest.raises(ValueError, match="other features"):
        LearnedRanker(bad)
    assert load_ranker(str(bad)) is None  # search then fuses
    assert load_ranker(str(tmp_path / "missing.txt")) is None


def test_features_measure_coverage_and_adjacent_pairs():
    q = analyze("nhà ở xã hội")
    cand = np.array([1, 2, 3])
    feats = {"words": np.array([2.0, 1.0, 0.0]), "dense": np.array([0.0, 1.0, 2.0])}
    clauses = {
        1: ("Điều 76. Nhà ở xã hội", "nhà ở xã_hội cho công_nhân", "nhà ở xã hội cho công nhân"),
        2: ("Điều 2. Giải thích từ ngữ", "hội_đồng xã nhà", "hội đồng xã nhà"),  # the words, not in order
        3: ("", "", ""),
    }
    X = candidate_features(cand, feats, q, clauses, typed_without_marks=False)
    col = {name: X[:, i] for i, name in enumerate(FEATURES)}
    assert col["pair_coverage"].tolist() == [1.0, 0.0, 0.0]
    assert col["pair_coverage_folded"][0] == 1.0
    assert col["query_word_coverage"][0] == 1.0 and col["query_word_coverage"][2] == 0.0
    assert col["heading_coverage"][0] == 1.0 and col["heading_coverage"][2] == 0.0
    assert col["z_syllables"].tolist() == [-4.0] * 3  # a method not computed counts as the floor
    assert col["rr_words"].tolist() == [1.0, 0.5, 1 / 3] and col["rr_dense"].tolist() == [1 / 3, 0.5, 1.0]
    assert not col["typed_without_marks"].any()
    X = candidate_features(cand, feats, analyze("nha o xa hoi"), clauses, typed_without_marks=True)
    col = {name: X[:, i] for i, name in enumerate(FEATURES)}
    assert col["pair_coverage_folded"][0] == 1.0 and col["pair_coverage"][0] == 0.0
    assert col["typed_without_marks"].all()


def _order(index, query):
    return [c for c, _, _ in hybrid.rank(index, query, k=10)[0]]


def test_searches_are_ordered_by_the_configured_ranker(sample_index, monkeypatch):
    query = "bố trí quỹ đất để phát triển nhà ở xã hội cho công nhân"
    monkeypatch.setenv("DOCSEARCH_ONE_HIT_PER_ARTICLE", "false")  # the order as ranked, before grouping
    monkeypatch.setenv("DOCSEARCH_RANKER", "learned")
    get_settings.cache_clear()
    learned = _order(sample_index, query)
    # the same order computed by hand from the features and the model
    st = sample_index.snapshot()
    cand, feats = hybrid.features(sample_index, query, get_settings().candidates, hybrid.ALL_METHODS, state=st)
    scores = hybrid.score_candidates(sample_index, query, cand, feats, {}, True, load_ranker())
    assert learned == [int(c) for c in cand[np.argsort(-scores)[:10]]]
    monkeypatch.setenv("DOCSEARCH_RANKER", "fusion")
    get_settings.cache_clear()
    fused = _order(sample_index, query)
    w = hybrid.weights_for(True, get_settings())
    cand, feats = hybrid.features(sample_index, query, get_settings().candidates, w, state=st)
    assert fused == [int(c) for c in cand[np.argsort(-hybrid.fuse(feats, w, len(cand)))[:10]]]
    assert learned != fused  # the two rankers do differ on this query, so the comparisons above can fail
    # auto: fusion for a query with marks, the learned ranker for one without
    monkeypatch.setenv("DOCSEARCH_RANKER", "auto")
    get_settings.cache_clear()
    assert _order(sample_index, query) == fused
    folded = "bo tri quy dat de phat trien nha o xa hoi cho cong nhan"
    auto = _order(sample_index, folded)
    monkeypatch.setenv("DOCSEARCH_RANKER", "learned")
    get_settings.cache_clear()
    assert auto == _order(sample_index, folded)
    get_settings.cache_clear()


def test_an_unknown_ranker_setting_is_refused(monkeypatch):
    from pydantic import ValidationError

    monkeypatch.setenv("DOCSEARCH_RANKER", "bm42")
    get_settings.cache_clear()
    with pytest.raises(ValidationError):
        get_settings()
    get_settings.cache_clear()


def test_each_article_shows_its_best_hit_before_more_of_an_article_already_shown():
    class Store:
        rows = {1: ("L", "Điều 60.7"), 2: ("L", "Điều 60.8"), 3: ("L", "Điều 62"), 4: ("N", "III.3.-5"),
                5: ("N", "III.3.-6"), 6: ("M", "Điều 60"), 7: ("L", "Điều 60"), 8: ("L", "Điều 6.1")}

        def clause_rows(self, ids):
            return {i: {"doc_id": self.rows[i][0], "address": self.rows[i][1]} for i in ids if i in self.rows}

    ranked = [(i, 10.0 - i, {}) for i in (1, 2, 3, 4, 5, 6, 7, 8, 9)]
    out = [c for c, _, _ in hybrid.one_per_article(Store(), ranked)]
    # Điều 60 of L once (its best hit), then the others; sections of a resolution are not grouped; Điều 60 of
    # another document and Điều 6 are other articles; a clause the store no longer has keeps its place
    assert out == [1, 3, 4, 5, 6, 8, 9, 2, 7]


def test_a_search_returns_k_hits_with_articles_grouped(sample_index, monkeypatch):
    for grouped in ("true", "false"):
        monkeypatch.setenv("DOCSEARCH_ONE_HIT_PER_ARTICLE", grouped)
        get_settings.cache_clear()
        for k in (1, 3, 10):
            assert len(sample_index.search("nhà ở xã hội", k=k)) == k
    get_settings.cache_clear()
