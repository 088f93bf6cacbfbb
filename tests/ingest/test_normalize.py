import pytest

from docsearch.ingest.legacy import detect_and_convert, to_legacy
from docsearch.ingest.normalize import clean_text, fold, match_form, tone_normalize
from tests.conftest import RAW, SAMPLES


@pytest.mark.parametrize(
    "old,new",
    [("hoà bình", "hòa bình"), ("thuỷ lợi", "thủy lợi"), ("quí", "quý"), ("cấp uỷ", "cấp ủy"), ("khoẻ", "khỏe"),
     ("Uỷ ban", "Ủy ban"), ("quỷ", "quỷ"), ("hoàn thành", "hoàn thành"), ("quyết", "quyết")],
)
def test_one_tone_style_for_matching(old, new):
    assert tone_normalize(old) == new


def test_match_form_makes_both_spellings_equal():
    assert match_form("Công nghiệp hoá, hiện đại hoá") == match_form("công nghiệp hóa, hiện đại hóa")


def test_fold_strips_marks_and_d():
    assert fold("Đất đai, nhà ở xã hội") == "Dat dai, nha o xa hoi"


def test_clean_text_maps_glyphs_and_spaces():
    text = clean_text("•  Ưu tiên\n– Bảo đảm\n+Rà soát\nNghĩa\u00a0vụ\u00adx\nÐổi mới\u200b")
    assert text.split("\n") == ["- Ưu tiên", "- Bảo đảm", "+ Rà soát", "Nghĩa vụx", "Đổi mới"]


def test_clean_text_is_nfc():
    decomposed = "Nghi\u0323 quyê\u0301t"
    assert clean_text(decomposed) == "Nghị quyết"


def _real_text() -> str:
    path = RAW / "nq-57-nqtw-2024.txt"
    if path.exists():
        return path.read_text(encoding="utf-8")[:6000]
    return (SAMPLES / "mau-nq-05-nqtu-2025.txt").read_text(encoding="utf-8")[:6000]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_font_encodings_are_detected_and_converted(encoding):
    text = _real_text()
    legacy = to_legacy(text, encoding)
    assert legacy != text
    back, detected = detect_and_convert(legacy)
    assert detected == encoding
    # TCVN3 has no capital toned vowels of its own: compare lower-cased for it
    if encoding == "tcvn3":
        assert back.lower() == text.lower()
    else:
        assert back == text


def test_unicode_text_is_left_alone():
    text = _real_text()
    assert detect_and_convert(text) == (text, None)
