"""A store finds products to stock by name in the portal, answered by the real Meilisearch index."""

import re

import pytest

from tests.plugins.accounts import PASSWORD, Cast
from tests.search.conftest import Client

pytestmark = pytest.mark.meili


def _csrf(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


async def test_a_store_finds_products_by_name_typed_without_diacritics(api: Client, cast: Cast) -> None:
    login = await api.get("/portal/login", params={"lang": "en"})
    signed = await api.post(
        "/portal/login", data={"email": cast.store, "password": PASSWORD, "_csrf_token": _csrf(login.text)}
    )
    assert signed.status_code == 200
    page = await api.get(f"/portal/stores/{cast.store_id}", params={"q": "nuoc mam"})
    assert page.status_code == 200
    found = page.text[page.text.index('id="found"') :]
    names = re.findall(r'name="product_id" value="\d+">\s*<strong>([^<]+)</strong>', found)
    assert names and all("mắm" in name.lower() for name in names[:3])
    price = await api.post(
        f"/portal/stores/{cast.store_id}/listings",
        data={"_csrf_token": _csrf(page.text), "product_id": "999999", "price_vnd": "95.000"},
    )
    assert price.status_code == 400  # not a published product: refused, nothing listed
