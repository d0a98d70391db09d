from datetime import date

import pytest
from pydantic import ValidationError

from catalog.certifications import (
    Certification,
    CertificationDraft,
    CertificationStatus,
    Standing,
    add_months,
    default_valid_until,
)
from catalog.labels import LabelScheme, SchemeKind


def _cert(status: CertificationStatus, issued: date | None, until: date | None) -> Certification:
    return Certification(
        product_id=1, scheme_code="OCOP", ocop_stars=4, status=status, issued_on=issued, valid_until=until
    )


def test_verified_certificate_is_valid_between_issue_and_expiry() -> None:
    cert = _cert(CertificationStatus.VERIFIED, date(2025, 1, 23), date(2028, 1, 22))
    assert cert.is_valid_on(date(2025, 1, 23))
    assert cert.is_valid_on(date(2028, 1, 22))
    assert not cert.is_valid_on(date(2028, 1, 23))
    assert not cert.is_valid_on(date(2025, 1, 22))
    assert cert.is_expired_on(date(2028, 1, 23))


@pytest.mark.parametrize(
    "status", [CertificationStatus.CLAIMED, CertificationStatus.REJECTED, CertificationStatus.REVOKED]
)
def test_only_verified_certifications_are_valid(status: CertificationStatus) -> None:
    cert = _cert(status, date(2025, 1, 1), date(2030, 1, 1))
    assert not cert.is_valid_on(date(2026, 1, 1))
    assert not cert.is_expired_on(date(2031, 1, 1))


def test_ocop_certificate_runs_36_months_from_the_decision() -> None:
    assert default_valid_until(date(2022, 11, 25), 36) == date(2025, 11, 24)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize("stars", [1, 2, 6])
def test_ocop_stars_outside_three_to_five_are_refused(stars: int) -> None:
    with pytest.raises(ValidationError) as error:
        CertificationDraft(scheme_code="OCOP", ocop_stars=stars)
    assert error.value.errors()[0]["loc"] == ("ocop_stars",)


def test_expiry_before_issue_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as error:
        CertificationDraft(scheme_code="OCOP", ocop_stars=3, issued_on=date(2025, 1, 1), valid_until=date(2024, 1, 1))
    assert error.value.errors()[0]["loc"] == ("valid_until",)


OCOP_SCHEME = LabelScheme(code="OCOP", name_vi="OCOP", name_en="OCOP", kind=SchemeKind.GOVERNMENT_RATING)
SELF_SCHEME = LabelScheme(code="SELF_CLAIM", name_vi="Tự công bố", name_en="Self", kind=SchemeKind.SELF_DECLARED)


@pytest.mark.parametrize(
    ("scheme", "status", "issued", "until", "standing"),
    [
        (OCOP_SCHEME, CertificationStatus.VERIFIED, date(2025, 1, 23), date(2028, 1, 22), Standing.VALID),
        (OCOP_SCHEME, CertificationStatus.VERIFIED, date(2022, 11, 25), date(2025, 11, 24), Standing.EXPIRED),
        (OCOP_SCHEME, CertificationStatus.VERIFIED, date(2027, 1, 1), date(2030, 1, 1), Standing.NOT_YET_VALID),
        (OCOP_SCHEME, CertificationStatus.CLAIMED, date(2025, 1, 23), date(2028, 1, 22), Standing.CLAIMED),
        (OCOP_SCHEME, CertificationStatus.REJECTED, date(2025, 1, 23), date(2028, 1, 22), Standing.REJECTED),
        (OCOP_SCHEME, CertificationStatus.REVOKED, date(2025, 1, 23), date(2028, 1, 22), Standing.REVOKED),
        (SELF_SCHEME, CertificationStatus.CLAIMED, None, None, Standing.SELF_DECLARED),
    ],
)
def test_standing_tells_a_shopper_whether_a_claim_holds_today(
    scheme: LabelScheme, status: CertificationStatus, issued: date | None, until: date | None, standing: Standing
) -> None:
    cert = _cert(status, issued, until)
    cert.scheme = scheme
    assert cert.standing_on(date(2026, 11, 25)) is standing
