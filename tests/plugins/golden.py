"""Pytest plugin: compare data with JSON files under tests/golden/; `pytest --update-golden` rewrites them."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/*.json from the code.")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, Any], None]:
    """`golden(name, data)`: assert `data` equals tests/golden/<name>.json (or rewrite it with --update-golden)."""

    def check(name: str, data: Any) -> None:
        path = GOLDEN_DIR / f"{name}.json"
        rendered = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if request.config.getoption("--update-golden"):
            path.write_text(rendered, encoding="utf-8")
        assert path.exists(), f"{path} missing; run pytest --update-golden and review the diff"
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(rendered), (
            f"{path.name} differs from the code; if the change is intended, run pytest --update-golden"
        )

    return check
