from docsearch.text.analysis import analyze, expand_abbreviations, segments, syllables, words


def test_words_are_underthesea_compounds_lowercased():
    assert words("Chính phủ ban hành nghị quyết về đất đai và bất động sản") == [
        "chính_phủ", "ban_hành", "nghị_quyết", "về", "đất_đai", "và", "bất_động_sản"]
    assert words("Phát Triển nhà ở xã hội")[0] == "phát_triển"


def test_one_character_tokens_are_kept():
    toks = analyze("Nghị quyết 6, điểm a khoản 2")
    assert "6" in toks["syllables"] and "a" in toks["syllables"] and "2" in toks["syllables"]


def test_syllables_use_one_tone_style():
    assert syllables("Thuỷ lợi, hoà bình") == syllables("thủy lợi, hòa bình") == ["thủy", "lợi", "hòa", "bình"]


def test_folded_field_strips_marks():
    assert analyze("Đất đai và nhà ở")["folded"] == ["dat", "dai", "va", "nha", "o"]


def test_abbreviations_expand_on_both_sides():
    assert expand_abbreviations("UBND tỉnh và HĐND") == "UBND ủy ban nhân dân tỉnh và HĐND hội đồng nhân dân"
    assert "khu_công_nghiệp" in analyze("nhà ở cho công nhân KCN")["words"] or "khu" in analyze("KCN")["syllables"]
    # a department's short name, whatever its case, and not inside a longer abbreviation
    assert expand_abbreviations("Sở KH&CN, Sở TN&MT") == (
        "Sở KH&CN khoa học và công nghệ, Sở TN&MT tài nguyên và môi trường")
    assert expand_abbreviations("cđs") == "cđs chuyển đổi số"
    assert expand_abbreviations("CBCCVC") == "CBCCVC cán bộ, công chức, viên chức"


def test_long_clause_is_segmented_with_its_heading():
    text = "Điều 9. Điều kiện\n" + "\n".join(f"{i}. " + "nội dung điều kiện " * 20 for i in range(1, 6))
    segs = segments(text)
    assert len(segs) >= 3 and all(s.startswith("Điều 9. Điều kiện\n") for s in segs)
    assert segments("Điều 1. Ngắn gọn.") == []
