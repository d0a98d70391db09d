import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import cli
from tests.scanning import pdf_page_png, pdf_pages, scan_png


def test_tags_sheet_prints_a_store_and_issues_its_missing_tags(
    demo_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREENSHELF_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("GREENSHELF_PUBLIC_BASE_URL", "https://xanh.camau.example")
    # A public origin needs a real secret key, as in any deployment.
    monkeypatch.setenv("GREENSHELF_SECRET_KEY", secrets.token_hex(32))
    output = tmp_path / "store-7.pdf"
    result = CliRunner().invoke(cli, ["tags", "sheet", "--store", "7", "-o", str(output), "--columns", "2"])
    assert result.exit_code == 0, result.output
    assert "26 tags on 2 page(s)" in result.output
    pdf = output.read_bytes()
    assert pdf_pages(pdf) == 2
    urls = {s.text for s in scan_png(pdf_page_png(pdf, 1))}
    assert len(urls) == 16
    assert all(u.startswith("https://xanh.camau.example/t/") for u in urls)
    again = CliRunner().invoke(
        cli, ["tags", "sheet", "--store", "7", "-o", str(tmp_path / "again.pdf"), "--columns", "2"]
    )
    assert {s.text for s in scan_png(pdf_page_png((tmp_path / "again.pdf").read_bytes(), 1))} == urls, again.output


def test_tags_sheet_only_new_prints_what_the_last_run_did_not(
    demo_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREENSHELF_DATABASE_URL", demo_db_url)
    first = tmp_path / "first.pdf"
    done = CliRunner().invoke(cli, ["tags", "sheet", "--store", "7", "-o", str(first)])
    assert done.exit_code == 0, done.output
    code = scan_png(pdf_page_png(first.read_bytes(), 1))[0].text.rsplit("/", 1)[1]
    again = CliRunner().invoke(cli, ["tags", "sheet", "--store", "7", "-o", str(tmp_path / "n.pdf"), "--only-new"])
    assert "0 tags on 1 page(s)" in again.output
    single = tmp_path / "one.pdf"
    one = CliRunner().invoke(
        cli, ["tags", "sheet", "--store", "7", "-o", str(single), "--codes", code, "--start", "24"]
    )
    assert "1 tags on 1 page(s)" in one.output
    assert [s.text.rsplit("/", 1)[1] for s in scan_png(pdf_page_png(single.read_bytes(), 1))] == [code]


def test_tags_sheet_for_an_unknown_store_says_so(
    demo_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREENSHELF_DATABASE_URL", demo_db_url)
    result = CliRunner().invoke(cli, ["tags", "sheet", "--store", "999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "no store with id 999" in result.output


def test_tags_sheet_has_help() -> None:
    result = CliRunner().invoke(cli, ["tags", "sheet", "--help"])
    assert result.exit_code == 0 and "--columns" in result.output and "--store" in result.output
