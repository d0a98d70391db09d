import unicodedata

from catalog import text


def test_clean_normalises_to_nfc_and_collapses_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "  Nước   mắm  Cà Mau ")
    cleaned = text.clean(decomposed)
    assert cleaned == "Nước mắm Cà Mau"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_fold_strips_diacritics_and_maps_d_with_stroke() -> None:
    assert text.fold("Đũa đước Đầm Dơi") == "dua duoc dam doi"
    assert text.fold(unicodedata.normalize("NFD", "Mật ong U Minh Hạ")) == "mat ong u minh ha"


def test_slug_from_vietnamese_name() -> None:
    assert text.slugify("Đũa đước Chí Nguyện (hộp 10 đôi)") == "dua-duoc-chi-nguyen-hop-10-doi"
    assert text.slugify("!!!") == "item"
