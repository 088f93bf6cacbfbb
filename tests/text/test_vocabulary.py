"""The Vietnamese vocabulary is one table and every reader agrees with it: the metadata reader, the reference
finder, citations and query understanding name each document type with the same symbol."""

from docsearch.structure import metadata, references
from docsearch.structure.references import find_references
from docsearch.text import vocabulary as v


def test_every_type_table_agrees_with_the_vocabulary():
    names = set(v.ALL_DOCUMENT_TYPES)
    assert set(v.DOCUMENT_TYPES) <= names and set(v.REFERENCE_TYPES) <= names
    assert len(set(v.DOCUMENT_TYPE_SYMBOLS.values())) == len(v.DOCUMENT_TYPE_SYMBOLS)  # a symbol names one type
    for sym, name in metadata._SYMBOL_TYPES.items():
        assert v.DOCUMENT_TYPE_SYMBOLS[name] == sym
    for key, (name, sym) in references._TYPES.items():
        assert v.DOCUMENT_TYPE_SYMBOLS[name] == sym, key
    assert metadata.DOC_TYPES == {t.upper() for t in names}
    assert v.DOCUMENT_TYPE_SYMBOLS["Quy định"] == "QĐi"  # Quy định 08-QĐi/TW, in every table


def test_readers_use_the_one_table():
    """A Party regulation cited without its suffix gets the Party symbol; a số ký hiệu's symbol gives the type."""
    refs = find_references("Thực hiện Quy định số 08 của Bộ Chính trị và Nghị quyết số 57-NQ/TW")
    assert {r.number for r in refs} >= {"08-QĐi/TW", "57-NQ/TW"}
    header = ["BAN CHẤP HÀNH TRUNG ƯƠNG", "Số 08-QĐi/TW", "QUY ĐỊNH", "về trách nhiệm nêu gương"]
    meta = metadata.read_metadata(header, [], header)
    assert meta.type == "Quy định"
