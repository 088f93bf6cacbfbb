import json

import pytest

from docsearch.tagging.taxonomy import DEFAULT_PATH, TaxonomyError, load_taxonomy
from tests.conftest import SHARED


def test_shipped_taxonomy_matches_the_shared_contract():
    tax = load_taxonomy()
    path = SHARED / "taxonomy.json"
    if not path.exists():
        pytest.skip("../shared/taxonomy.json is absent")
    shared = json.loads(path.read_text(encoding="utf-8"))
    assert [(t["id"], t["name"]) for t in shared] == [(t.id, t.name) for t in tax.topics]
    assert all(t.terms and t.description for t in tax.topics)


@pytest.mark.parametrize(
    "yaml_text,message",
    [
        ("topics: []", "danh sách 'topics' không rỗng"),
        ("topics: [{id: Bad Id, name: x, description: y, terms: [a]}]", "chữ thường nối bằng gạch ngang"),
        ("topics: [{id: a, name: x, description: y, terms: [a]}, {id: a, name: x, description: y, terms: [b]}]", "id bị trùng"),
        ("topics: [{id: a, name: '', description: y, terms: [a]}]", "'name' phải là một đoạn chữ không rỗng"),
        ("topics: [{id: a, name: x, description: y, terms: []}]", "'terms' phải là một danh sách không rỗng"),
        ("topics: [{id: a, name: x, description: y, terms: [{nhà ở: 99}]}]", "trọng số 99"),
        ("topics: [{id: a, name: x, description: y, terms: [a], colour: red}]", "khóa không biết"),
        ("topics: [{id: a, name: x", "không phải YAML hợp lệ"),
    ],
)
def test_validation_errors_name_the_file_and_entry(tmp_path, yaml_text, message):
    path = tmp_path / "tax.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(TaxonomyError, match="không có tệp này"):
        load_taxonomy(tmp_path / "none.yaml")


def test_default_path_exists():
    assert DEFAULT_PATH.exists()
