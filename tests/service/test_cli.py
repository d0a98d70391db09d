from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import cli


def test_seed_demo_twice_leaves_the_same_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREENSHELF_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(cli, ["seed", "--demo"])
    assert first.exit_code == 0, first.output
    assert "78 Product" in first.output and "42 Producer" in first.output and "8 Store" in first.output
    second = runner.invoke(cli, ["seed", "--demo"])
    assert second.exit_code == 0, second.output
    assert "seeded: nothing new" in second.output


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for args in (["--help"], ["serve", "--help"], ["db", "upgrade", "--help"], ["seed", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0 and "Usage:" in result.output
