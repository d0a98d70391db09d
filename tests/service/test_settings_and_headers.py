"""The secret key must be strong wherever other machines can reach the service; every response carries the
security headers a browser needs."""

import secrets

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pydantic import ValidationError

from service.app import create_app
from service.settings import DEVELOPMENT_SECRET, Settings
from tests.conftest import NO_MEILI

PLACEHOLDER = "change-me-to-64-random-characters-000000000000000000000000000000"
STRONG = secrets.token_hex(32)


def _settings(**values: object) -> Settings:
    return Settings.model_validate({"meili_url": NO_MEILI, "sync_worker": False, **values})


@pytest.mark.parametrize("key", [DEVELOPMENT_SECRET, PLACEHOLDER, "a" * 64, "abababababababababababababababab12"])
def test_a_weak_secret_key_is_refused_for_a_public_url(key: str) -> None:
    with pytest.raises(ValidationError, match="GREENSHELF_SECRET_KEY"):
        _settings(secret_key=key, public_base_url="https://greenshelf.example.vn")


def test_a_weak_secret_key_is_refused_when_listening_beyond_loopback() -> None:
    settings = _settings()
    settings.check_listening("127.0.0.1")
    with pytest.raises(ValueError, match=r"listening on 0\.0\.0\.0"):
        settings.check_listening("0.0.0.0")
    _settings(secret_key=STRONG).check_listening("0.0.0.0")


def test_the_development_key_is_fine_on_loopback_and_a_generated_key_anywhere() -> None:
    assert _settings().public_base_url == "http://127.0.0.1:8000"
    public = _settings(secret_key=STRONG, public_base_url="https://greenshelf.example.vn")
    assert STRONG not in repr(public) and public.https


def test_production_refuses_the_development_key_even_on_loopback() -> None:
    with pytest.raises(ValidationError):
        _settings(env="production")


async def test_responses_carry_security_headers_and_hsts_only_over_https(demo_db_url: str) -> None:
    plain = create_app(_settings(database_url=demo_db_url))
    async with AsyncTestClient(plain) as client:
        page = await client.get("/")
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "script-src 'none'" in page.headers["content-security-policy"]
        assert "strict-transport-security" not in page.headers
        portal = await client.get("/portal/login")
        assert "frame-ancestors 'none'" in portal.headers["content-security-policy"]
        api = await client.get("/api/v1/products")
        assert api.headers["content-security-policy"].startswith("default-src 'none'")
        missing = await client.get("/no/such/page")
        assert missing.status_code == 404 and missing.headers["x-content-type-options"] == "nosniff"
    https = create_app(
        _settings(database_url=demo_db_url, secret_key=STRONG, public_base_url="https://greenshelf.example.vn")
    )
    async with AsyncTestClient(https, base_url="https://greenshelf.example.vn") as client:
        page = await client.get("/")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        login = await client.get("/portal/login")
        assert "secure" in login.headers.get("set-cookie", "").lower()


def test_the_openapi_document_names_the_error_answers(app: Litestar) -> None:
    paths = app.openapi_schema.to_schema()["paths"]
    patch = paths["/api/v1/products/{product_id}"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "409"} <= set(patch)
    assert "429" in paths["/api/v1/auth/token"]["post"]["responses"]
