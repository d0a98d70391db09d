"""`greenshelf search sync|reindex` against a real database and Meilisearch."""

import pytest
from click.testing import CliRunner

from search.local_server import LocalMeili
from service.cli import cli
from tests.conftest import NO_MEILI


def environment(database_url: str, meili_url: str, key: str | None, index_uid: str) -> dict[str, str | None]:
    return {
        "GREENSHELF_DATABASE_URL": database_url,
        "GREENSHELF_MEILI_URL": meili_url,
        "GREENSHELF_MEILI_MASTER_KEY": key,
        "GREENSHELF_MEILI_INDEX": index_uid,
    }


@pytest.mark.meili
def test_search_sync_sends_the_pending_changes_once(demo_db_url: str, meili_server: LocalMeili, own_index: str) -> None:
    env = environment(demo_db_url, meili_server.url, meili_server.master_key, own_index)
    first = CliRunner().invoke(cli, ["search", "sync"], env=env)
    assert first.exit_code == 0, first.output
    assert "78 documents replaced" in first.output
    second = CliRunner().invoke(cli, ["search", "sync"], env=env)
    assert second.exit_code == 0 and "sent 0 changes" in second.output


def test_search_sync_without_meilisearch_fails_with_one_clear_line(demo_db_url: str) -> None:
    result = CliRunner().invoke(cli, ["search", "sync"], env=environment(demo_db_url, NO_MEILI, None, "products"))
    assert result.exit_code == 1
    assert f"Meilisearch at {NO_MEILI} is unavailable" in result.output


def test_search_commands_have_help() -> None:
    for args in (["search", "--help"], ["search", "sync", "--help"], ["search", "reindex", "--help"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0 and "Usage:" in result.output
