import numpy as np

from docsearch.index.store import Store
from docsearch.model import Tag
from docsearch.structure import parse_file
from docsearch.text.analysis import analyze
from tests.conftest import SAMPLES


def test_store_round_trip(tmp_path):
    doc = parse_file(str(SAMPLES / "mau-qd-07-ubnd-2025.txt"))
    doc.clauses[0].tags = [Tag(topic="nha-o", score=0.8, evidence=["từ khóa: nhà ở"])]
    store = Store(tmp_path / "s.sqlite")
    vecs = np.random.default_rng(0).normal(size=(len(doc.clauses), 8)).astype(np.float32)
    store.put_document(doc, [analyze(c.text) for c in doc.clauses], vecs)
    back = store.document(doc.id)
    assert back.metadata == doc.metadata
    assert [(c.address, c.text, c.breadcrumb, c.parent, c.fields) for c in back.clauses] == [
        (c.address, c.text, c.breadcrumb, c.parent, c.fields) for c in doc.clauses]
    assert back.clauses[0].tags[0].topic == "nha-o" and back.clauses[0].tags[0].evidence == ["từ khóa: nhà ở"]
    assert {(r.number, r.relation) for r in back.references} == {(r.number, r.relation) for r in doc.references}
    assert store.content_hash(doc.id) == doc.content_hash
    gen = store.generation()
    removed, _segments = store.remove_document(doc.id)
    assert len(removed) == len(doc.clauses) and store.document(doc.id) is None
    assert store.generation() == gen + 1


def test_an_older_store_is_migrated_in_place(tmp_path):
    import sqlite3

    from docsearch.index.store import SCHEMA_VERSION, Store

    db = sqlite3.connect(tmp_path / "old.sqlite")
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta VALUES ('schema_version', '1'), ('generation', '3');
        CREATE TABLE refs (doc_id TEXT, clause TEXT, number TEXT, doc_type TEXT, title TEXT, year INTEGER, date TEXT,
                           relation TEXT, text TEXT);
        INSERT INTO refs VALUES ('a', 'I.1', '05-NQ/TU', 'Nghị quyết', NULL, NULL, NULL, 'mentions', 'NQ 05');
    """)
    db.commit()
    db.close()
    store = Store(tmp_path / "old.sqlite")
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION) and store.generation() == 3
    (ref,) = store.references("a")
    assert ref.number == "05-NQ/TU" and ref.address is None
    store.close()
    assert Store(tmp_path / "old.sqlite").get_meta("schema_version") == str(SCHEMA_VERSION)  # idempotent
