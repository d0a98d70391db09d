from search.diacritics import signature_tokens


def test_marked_words_get_their_telex_spelling_as_a_token() -> None:
    assert signature_tokens("Nước mắm") == ["vnnuwowcs", "vnmawms"]
    assert signature_tokens("Đũa đước") == ["vndduax", "vndduwowcs"]


def test_words_spelt_differently_get_different_tokens() -> None:
    assert signature_tokens("mắm") != signature_tokens("mầm")
    assert signature_tokens("cá") != signature_tokens("cà")


def test_unmarked_text_and_decomposed_input_behave() -> None:
    assert signature_tokens("nuoc mam fish sauce") == []
    assert signature_tokens("Ma\u0306\u0301m") == signature_tokens("Mắm")
