import json
import subprocess
import sys

import pytest

from docsearch.index.cache import EmbeddingCache
from docsearch.index.embedders import get_embedder
from docsearch.tagging import Tagger, load_taxonomy
from tests.conftest import ROOT, need_shared

# a topic staff might add to the taxonomy (the retag tests)
WORKERS_HOUSING = """
  - id: nha-o-cong-nhan
    name: Nhà ở cho công nhân khu công nghiệp
    description: Hỗ trợ tiền thuê nhà, nhà lưu trú cho công nhân làm việc tại khu công nghiệp.
    terms:
      - công nhân: 4
      - tiền thuê nhà: 4
"""


@pytest.fixture(scope="module")
def tagger(tmp_path_factory):
    cache = EmbeddingCache(tmp_path_factory.mktemp("cache") / "e.sqlite")
    return Tagger(load_taxonomy(), embedder=get_embedder(), cache=cache)


def test_every_tag_has_score_and_evidence(tagger):
    tags = tagger.tag_text("Đẩy nhanh thu hồi đất, bồi thường, tái định cư để phát triển nhà ở xã hội cho công nhân")
    assert {t.topic for t in tags} >= {"dat-dai", "nha-o"} and len(tags) <= 3
    for t in tags:
        assert 0 <= t.score <= 1 and t.evidence and t.name


def test_generic_clause_gets_few_tags(tagger):
    tags = tagger.tag_text("Nghị quyết này phổ biến đến chi bộ.")
    assert 1 <= len(tags) <= 2 and tags[0].topic in ("tuyen-truyen", "xay-dung-dang")


def test_breadcrumb_gives_context(tagger):
    text = "- Rà soát, sửa đổi, bổ sung các quy định còn chồng chéo, bất cập."
    context = "III- NHIỆM VỤ, GIẢI PHÁP / 2. Hoàn thiện thể chế, chính sách về đất đai, giao đất, thu hồi đất"
    assert "dat-dai" not in [t.topic for t in tagger.tag_text(text)]
    assert "dat-dai" in [t.topic for t in tagger.tag_text(text, context=context)]


def test_abbreviations_are_read_as_the_words_they_stand_for(tagger):
    """Provincial programmes and staff write "CĐS", "CCHC", "KHCN": the lexicon reads them as the words, so an
    abbreviated task gets the topics of the same task written out (before, CCHC and KHCN gave no evidence)."""
    short = "Đẩy mạnh CĐS trong CCHC, nâng cao chất lượng DVC trực tuyến; Sở KH&CN chủ trì"
    full = ("Đẩy mạnh chuyển đổi số trong cải cách hành chính, nâng cao chất lượng dịch vụ công trực tuyến; "
            "Sở Khoa học và Công nghệ chủ trì")
    lexical = Tagger(load_taxonomy())
    ids = [t.id for t in lexical.taxonomy.topics]
    for topic in ("chuyen-doi-so", "cai-cach-hanh-chinh"):
        i = ids.index(topic)
        assert lexical.lexicon(short)[0][i] == lexical.lexicon(full)[0][i] > 0
    i = ids.index("khoa-hoc-cong-nghe")
    assert lexical.lexicon("ứng dụng KHCN")[0][i] == lexical.lexicon("ứng dụng khoa học công nghệ")[0][i] > 0
    # the lexicon's topics are the same; with the embedding, the abbreviated text can differ at the margin, which the
    # abbreviated row of bench/tune_tagging.py measures over every label
    assert {t.topic for t in lexical.tag_text(short)} == {t.topic for t in lexical.tag_text(full)} >= {
        "chuyen-doi-so", "cai-cach-hanh-chinh"}
    assert "chuyen-doi-so" in {t.topic for t in tagger.tag_text(short)} & {t.topic for t in tagger.tag_text(full)}


def test_the_name_of_the_body_that_carries_a_task_out_is_no_evidence_of_its_topic():
    """"Bộ Khoa học và Công nghệ chủ trì" says who does a task, not what it is about: the field words inside the name
    of a ministry, a provincial department, a Party board or another state body (text/vocabulary.py), written out or
    abbreviated, count for no topic while the task names a field of its own; the same words outside such a name
    still count. A task that names no field is tagged from its body (and test below)."""
    lexical = Tagger(load_taxonomy())
    ids = [t.id for t in lexical.taxonomy.topics]

    def topics(text: str) -> set[str]:
        scores, _ = lexical.lexicon(text)
        return {ids[i] for i in range(len(ids)) if scores[i] > 0}

    task = "Rà soát, điều chỉnh quy hoạch sử dụng đất"
    assert "dat-dai" in topics(task)
    for names in ("Bộ Khoa học và Công nghệ chủ trì, phối hợp với Bộ Thông tin và Truyền thông",
                  "Sở KH&CN chủ trì, Sở TN&MT, Sở GD&ĐT phối hợp",
                  "BỘ TÀI CHÍNH; Bộ Y tế; Bộ Quốc phòng, Bộ Công an",
                  "Ban Tuyên giáo Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy, Ngân hàng Chính sách xã hội"):
        assert topics(f"{task}; {names}") == topics(task), names
        scores, evidence = lexical.lexicon(names)  # names alone: the bodies' fields, said to be that
        assert scores.any() and all(e.endswith("(tên cơ quan)") for ev in evidence for e in ev)
    # the kind of body stays: a ministry's responsibilities are still the state's administration
    assert "cai-cach-hanh-chinh" in topics("Quy định trách nhiệm của Bộ Xây dựng")
    # "bộ" and "sở" inside a longer word are no body
    assert "y-te" in topics(f"{task}; bồi dưỡng cán bộ y tế cơ sở")
    assert "khoa-hoc-cong-nghe" in topics(f"{task}; ứng dụng tiến bộ khoa học và công nghệ")
    assert "giao-duc-nhan-luc" in topics(f"{task}; nâng cấp cơ sở giáo dục và đào tạo")


def test_each_term_found_adds_its_weight_to_its_topic_and_the_lexicon_is_their_sum():
    """Tagger.terms says what each term found adds (bench/tagging_probes.py weighs terms one by one with it): its
    weight, a quarter more for each repeat up to five; Tagger.lexicon is the sum per topic and lists the terms."""
    lexical = Tagger(load_taxonomy())
    ids = [t.id for t in lexical.taxonomy.topics]
    topic = ids.index("dat-dai")
    weight = lexical.taxonomy.get("dat-dai").terms["thu hồi đất"]
    once = lexical.terms("Đẩy nhanh thu hồi đất")
    assert once[(topic, "thu hồi đất")] == weight
    thrice = lexical.terms("thu hồi đất; thu hồi đất và thu hồi đất")
    assert thrice[(topic, "thu hồi đất")] == pytest.approx(1.5 * weight)
    seven = lexical.terms("; ".join(["thu hồi đất"] * 7))
    assert seven[(topic, "thu hồi đất")] == pytest.approx(2.0 * weight)
    text = "Đẩy nhanh thu hồi đất, bồi thường, tái định cư để phát triển nhà ở xã hội cho công nhân"
    scores, evidence = lexical.lexicon(text)
    found = lexical.terms(text)
    assert len({ti for ti, _ in found}) >= 2
    for ti in range(len(ids)):
        assert scores[ti] == pytest.approx(sum(v for (t, _), v in found.items() if t == ti))
        assert evidence[ti] == [term for t, term in found if t == ti]
    # a body's name alone still counts, shown as one
    body = lexical.terms("Sở Y tế")
    assert body and all(term.endswith("(tên cơ quan)") for _, term in body)


DIGITAL_RESOLUTION = """NGHỊ QUYẾT
Về chuyển đổi số trong cơ quan nhà nước của tỉnh

Điều 1. Phát triển hạ tầng số, nền tảng số và dữ liệu số dùng chung của tỉnh; bảo đảm chuyển đổi số đồng bộ.

Điều 2. Xây dựng chính quyền số, kinh tế số và xã hội số; chuyển đổi số toàn diện các ngành.

Điều 3. Phát triển các nền tảng số, cơ sở dữ liệu số, ứng dụng công nghệ số trong chuyển đổi số.

Điều 4. Bố trí ngân sách nhà nước, huy động nguồn vốn đầu tư của xã hội cho chuyển đổi số.

Điều 5. Đào tạo, bồi dưỡng nguồn nhân lực số, kỹ năng số cho cán bộ, công chức phục vụ chuyển đổi số.
"""


def test_what_the_whole_document_is_about_is_no_further_topic_of_a_clause_that_only_mentions_it():
    """In a resolution on digital transformation every article says "chuyển đổi số": a clause's further topics are
    chosen with the background of the rest of its document taken off (TaggerParams.background), so the articles on
    funding and on skills are tagged tài chính and giáo dục, nhân lực without chuyển đổi số, which each gets when
    tagged alone, while the articles about it keep it first. Without the background, or in a document of that one
    article, a clause is tagged as it is alone."""
    from docsearch.structure import parse_text
    from docsearch.tagging import TaggerParams

    tagger = Tagger(load_taxonomy())
    assert tagger.params.background > 0
    doc = parse_text(DIGITAL_RESOLUTION, "nq-chuyen-doi-so.txt")
    assert [c.address for c in doc.clauses] == [f"Điều {i}" for i in range(1, 6)]
    alone = {c.address: [t.topic for t in tagger.tag_text(c.text)] for c in doc.clauses}
    assert alone["Điều 4"] == ["tai-chinh-dau-tu", "chuyen-doi-so"]
    tagger.tag_document(doc)
    tags = {c.address: [t.topic for t in c.tags] for c in doc.clauses}
    assert all(tags[a][0] == "chuyen-doi-so" for a in ("Điều 1", "Điều 2", "Điều 3"))
    assert tags["Điều 4"] == ["tai-chinh-dau-tu"]
    assert alone["Điều 5"] == ["giao-duc-nhan-luc", "chuyen-doi-so"]
    assert tags["Điều 5"] == ["giao-duc-nhan-luc"]
    without = Tagger(load_taxonomy(), params=TaggerParams(background=0.0))
    without.tag_document(doc)
    assert {c.address: [t.topic for t in c.tags] for c in doc.clauses} == alone
    funding = doc.clause("Điều 4").text.split(". ", 1)[1]
    single = parse_text(f"NGHỊ QUYẾT\nVề nguồn lực cho chuyển đổi số\n\nĐiều 1. {funding}\n", "mot-dieu.txt")
    assert len(single.clauses) == 1
    tagger.tag_document(single)
    assert [t.topic for t in single.clauses[0].tags] == alone["Điều 4"]


def test_a_document_is_tagged_clause_by_clause_as_each_clause_alone_with_its_breadcrumb_and_background():
    """tag_document reads each clause's lexicon once and gives it to the backgrounds and the tags; each clause
    still gets exactly what tag_text gives its text, breadcrumb and background, breadcrumb evidence included."""
    from docsearch.structure import parse_file
    from docsearch.structure.passages import clause_context, tagged_text
    from docsearch.tagging import TaggerParams
    from tests.conftest import SAMPLES

    tagger = Tagger(load_taxonomy(), params=TaggerParams(context_weight=0.2))
    doc = parse_file(str(SAMPLES / "mau-nq-05-nqtu-2025.txt"))
    by_address = {c.address: c for c in doc.clauses}
    backgrounds = tagger.backgrounds(doc)
    alone = [tagger.tag_text(tagged_text(c), clause_context(doc, c, by_address), None, backgrounds[i])
             for i, c in enumerate(doc.clauses)]
    assert any("(ngữ cảnh)" in e for tags in alone for t in tags for e in t.evidence)
    tagger.tag_document(doc)
    assert [c.tags for c in doc.clauses] == alone


def test_the_tagging_tuning_tags_the_held_out_labels_as_the_product_does():
    """bench/tune_tagging.py decides the labels many at once; its figures are the product's only if every held-out
    label gets from Tagger.tag_text (with its fold's choice and its background) what the tuning gave it. The script
    checks that and stops otherwise (docs/RELIABILITY.md); here on a few parameter sets, and the check must fail
    when a label's topics differ."""
    import numpy as np

    from docsearch.tagging import TaggerParams

    labels = need_shared("eval", "topics", "labels.jsonl")
    docs = need_shared("corpus", "raw")
    path = list(sys.path)
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import tune_tagging as tt
    finally:
        sys.path[:] = path  # the bench's folders stay off the path of the other tests

    d = tt.prepare(labels, docs)
    tagging = tt._Tagging(d.ids, d.gold, d.bg, np.zeros_like(d.own))
    grid = [TaggerParams(), TaggerParams(background=0.0), TaggerParams(alpha=1.0, threshold=0.4, ratio=0.7),
            TaggerParams(context_weight=0.1, background=1.0)]
    folds = tt._shuffled_folds(len(d.labels), 0)
    oof, choices = tagging.out_of_fold(grid, folds, (d.own, d.ctx, d.cos))
    tt._check_against_tagger(d.base, choices, folds, d.inputs, d.vecs, d.backgrounds, oof)
    wrong = [list(x) for x in oof]
    i = folds[0][0]
    wrong[i] = [t for t in d.ids if t not in oof[i]][:1]
    with pytest.raises(AssertionError):
        tt._check_against_tagger(d.base, choices, folds, d.inputs, d.vecs, d.backgrounds, wrong)


def test_document_topics_aggregate_clauses(tagger):
    from docsearch.structure import parse_file
    from tests.conftest import SAMPLES

    doc = parse_file(str(SAMPLES / "mau-nq-05-nqtu-2025.txt"))
    tagger.tag_document(doc)
    assert doc.tags[0].topic == "nha-o"
    assert all(0 < t.score <= 1 for t in doc.tags)
    assert sum(1 for c in doc.clauses if c.tags) >= len(doc.clauses) * 0.8


def test_eval_tagging_on_dev_labels_meets_the_bar():
    labels = need_shared("eval", "topics", "labels.jsonl")
    out = subprocess.run([sys.executable, "-m", "docsearch.cli", "eval", "tagging", "--labels", str(labels), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["micro_f1"] >= 0.80 and res["macro_f1"] >= 0.70 and res["p_at_1"] >= 0.92 and res["n"] == 147


def test_retag_picks_up_an_edited_taxonomy(tmp_path):
    import shutil

    from docsearch.index import Index
    from docsearch.structure import parse_file
    from tests.conftest import SAMPLES

    ix = Index(tmp_path / "ix", writable=True)
    tax_path = tmp_path / "taxonomy.yaml"
    shutil.copy(load_taxonomy().path, tax_path)
    tagger = Tagger(load_taxonomy(tax_path), embedder=ix.embedder, cache=ix.cache)
    ix.add(parse_file(str(SAMPLES / "mau-qd-07-ubnd-2025.txt")), tagger=tagger)
    ix.commit()
    assert "nha-o-cong-nhan" not in ix.store.topic_counts()
    tax_path.write_text(tax_path.read_text(encoding="utf-8") + WORKERS_HOUSING, encoding="utf-8")
    n = ix.retag(Tagger(load_taxonomy(tax_path), embedder=ix.embedder, cache=ix.cache))
    assert n == 1
    assert ix.store.topic_counts()["nha-o-cong-nhan"][0] >= 2
    ix.commit()
    hits = ix.search("hỗ trợ", k=5, topic="nha-o-cong-nhan")
    assert hits and all(any(t["topic"] == "nha-o-cong-nhan" for t in h.tags) for h in hits)
    ix.close()


def test_an_index_tagged_by_another_tagger_is_tagged_again_at_its_next_ingest(tmp_path):
    """An index keeps the fingerprint of the tagger that made its tags; an ingest with another one (new code, an
    edited taxonomy, other parameters) first tags the stored documents again, so that one index never mixes two
    taggers' tags (and staff who update docsearch need not know to run `docsearch retag`)."""
    import shutil

    from docsearch.index import Index
    from docsearch.pipeline import ingest_files
    from docsearch.tagging.tagger import TaggerParams
    from tests.conftest import SAMPLES

    ix = Index(tmp_path / "ix", writable=True)
    tax_path = tmp_path / "taxonomy.yaml"
    shutil.copy(load_taxonomy().path, tax_path)
    first = Tagger(load_taxonomy(tax_path), embedder=ix.embedder, cache=ix.cache)
    assert first.fingerprint == Tagger(load_taxonomy(tax_path), embedder=ix.embedder, cache=ix.cache).fingerprint
    assert first.fingerprint != Tagger(load_taxonomy(tax_path), embedder=ix.embedder, cache=ix.cache,
                                       params=TaggerParams(threshold=0.5)).fingerprint
    report = ingest_files(ix, [SAMPLES / "mau-qd-07-ubnd-2025.txt"], tagger=first)
    assert report.retagged == 0 and len(report.added) == 1  # an empty index only records the tagger
    tax_path.write_text(tax_path.read_text(encoding="utf-8") + WORKERS_HOUSING, encoding="utf-8")
    edited = Tagger(load_taxonomy(tax_path), embedder=ix.embedder, cache=ix.cache)
    assert edited.fingerprint != first.fingerprint
    report = ingest_files(ix, [SAMPLES / "mau-ctr-12-ubnd-2025.txt"], tagger=edited)
    assert report.retagged == 1 and len(report.added) == 1 and "gắn lại chủ đề" in report.summary()
    assert ix.store.topic_counts()["nha-o-cong-nhan"][0] >= 2  # the first document's clauses, tagged again
    report = ingest_files(ix, [SAMPLES / "mau-ctr-12-ubnd-2025.txt"], tagger=edited)
    assert report.retagged == 0 and len(report.unchanged) == 1 and "gắn lại" not in report.summary()
    ix.close()


def test_a_task_rows_agency_cells_are_read_as_the_evaluation_reads_them(tmp_path):
    """A row of a task table is tagged from its task and its cells (the lead agency names the field when the task
    names none), and `docsearch eval tagging` reads a labelled row exactly as the product does, so the reported figure is the product's."""
    from docsearch.evaluate.tagging import label_inputs
    from docsearch.structure import parse_file
    from docsearch.structure.passages import tagged_text
    from tests.conftest import SAMPLES

    src = (SAMPLES / "mau-ctr-12-ubnd-2025.txt").read_text(encoding="utf-8")
    row = "6 | Triển khai đề án giai đoạn 2025 - 2030 | Sở Y tế | Bảo hiểm xã hội tỉnh | 2026"
    path = tmp_path / "ctr.txt"
    path.write_text(src.replace("5 | Kiểm tra, giám sát", f"{row}\n5 | Kiểm tra, giám sát"), encoding="utf-8")
    doc = parse_file(str(path))
    clause = next(c for c in doc.clauses if c.text.startswith("Triển khai đề án"))
    assert clause.fields and "Sở Y tế" in clause.fields.values()

    lexicon_only = Tagger(load_taxonomy())
    assert lexicon_only.tag_text(clause.text) == []  # the task's words alone name no field
    lexicon_only.tag_document(doc)
    assert "y-te" in [t.topic for t in clause.tags]
    assert "Cơ quan chủ trì" not in tagged_text(clause)  # column names are not evidence

    text, context, passage = label_inputs([{"file": path.name, "text": row, "topics": ["y-te"]}], tmp_path)[0]
    assert text == tagged_text(clause) and context and "Sở Y tế" in passage


@pytest.mark.parametrize("text,left_out,kept", [
    # the contract's scope notes (shared/taxonomy.json) say what each topic leaves to another
    ("Phát triển công nghệ số và công nghệ thông tin trong cơ quan nhà nước", "khoa-hoc-cong-nghe", "chuyen-doi-so"),
    ("Xây dựng đô thị thông minh tại các thành phố", "quy-hoach-do-thi", "chuyen-doi-so"),
    ("Sửa đổi, bổ sung Luật Phòng, chống tham nhũng", "phong-chong-tham-nhung", "the-che-phap-luat"),
    ("Bảo vệ chủ quyền quốc gia trên không gian mạng", "chuyen-doi-so", "quoc-phong-an-ninh"),
    ("Tổ chức, cá nhân nước ngoài được sở hữu nhà ở", "hop-tac-quoc-te", "nha-o"),
    ("Công khai thông tin về quy hoạch xây dựng", "tuyen-truyen", "quy-hoach-do-thi"),
])
def test_what_the_contract_leaves_to_another_topic_is_no_evidence_for_it(text, left_out, kept):
    """A phrase the contract puts under another topic gives the topic it leaves no lexicon evidence, by a longer term
    of the other topic ("công nghệ số" is chuyển đổi số, not khoa học, công nghệ) or by the topic's `exclude` list
    (taxonomy.yaml), while the same words elsewhere still count."""
    lexical = Tagger(load_taxonomy())
    ids = [t.id for t in lexical.taxonomy.topics]
    raw = lexical.lexicon(text)[0]
    assert raw[ids.index(left_out)] == 0 and raw[ids.index(kept)] > 0
    if left_out == "khoa-hoc-cong-nghe":
        assert lexical.lexicon("Phát triển công nghệ chiến lược")[0][ids.index(left_out)] > 0
