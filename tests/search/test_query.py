from search.query import SearchRequest, filters, query_text, quote


def test_filter_strings_quote_user_values_instead_of_pasting_them() -> None:
    assert quote('x" OR category = "y') == '"x\\" OR category = \\"y"'
    assert quote("back\\slash") == '"back\\\\slash"'


def test_labels_are_any_of_and_the_other_filters_must_all_hold() -> None:
    request = SearchRequest(
        labels=("OCOP", "MSC"), category="dried_seafood", min_stars=4, plastic_free=True, store_id=3
    )
    assert filters(request) == [
        ['labels = "OCOP"', 'labels = "MSC"'],
        'category = "dried_seafood"',
        "ocop_stars >= 4",
        "plastic_free = true",
        "store_ids = 3",
    ]


def test_marked_queries_carry_signature_tokens_after_the_words() -> None:
    assert query_text("nước mắm") == "nước mắm vnnuwowcs vnmawms"
    assert query_text("nuoc mam") == "nuoc mam"
