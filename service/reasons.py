"""Why an alternative is greener (catalog.greenness.Reason codes) in words, once, for the API and the pages alike.

Each code has two registers in one row, so a new reason cannot be worded for one audience and forgotten for the
other: the API's plain-English sentence (never translated; clients show or translate it) and the pages' short
phrase, an English msgid translated into the page's language. `%(scheme)s` and `%(stars)s` fill in either.
"""

from dataclasses import dataclass

from catalog.greenness import Reason
from service.i18n import N_


@dataclass(frozen=True)
class Wording:
    """How one reason code is said: a sentence for the API, a phrase (msgid) for the pages."""

    sentence: str
    phrase: str


WORDINGS = {
    "label": Wording("carries a verified, valid %(scheme)s certification", N_("valid %(scheme)s label")),
    "ocop_stars": Wording("holds a valid %(stars)s-star OCOP rating", N_("OCOP %(stars)s stars")),
    "plastic_free": Wording("plastic-free packaging", N_("plastic-free pack")),
    "no_hard_to_degrade_plastic": Wording(
        "no hard-to-degrade plastic in the pack (Decree 08/2022)", N_("no hard-to-degrade plastic")
    ),
    "reusable_packaging": Wording("reusable or refillable packaging", N_("reusable or refillable pack")),
}
PHRASES = {code: wording.phrase for code, wording in WORDINGS.items()}


def sentence(reason: Reason) -> str:
    """The API's sentence for a reason: 'holds a valid 4-star OCOP rating'."""
    return WORDINGS[reason.code].sentence % {"scheme": reason.scheme, "stars": reason.stars}
