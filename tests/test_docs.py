"""The docs cannot drift from the code: Settings ↔ the configuration reference, and every README command.

Every command in README.md's code blocks is run as written or, where a test cannot run it, checked:

- shell examples (```sh blocks) run in one bash session, in the README's order, against the demo catalog served
  on a free port (curl's `connect-to` sends `127.0.0.1:8000` there), with a real Meilisearch;
- `make …` is not run (it installs into .venv, serves until stopped, runs the whole suite or a benchmark for
  minutes, or rewrites the message catalogs): the Makefile must have the target and every variable the line sets;
- `open URL` is not run (it starts a desktop browser): the URL must answer 200 on the served demo, as a browser
  sees it (after redirects);
- `$EDITOR FILE` is not run (a person at work): the file must exist;
- the command-line synopsis (the block of `greenshelf …` lines) names commands and options `--help` lists;
- every `METHOD /path` the prose names is a route that answers that method.
"""

import asyncio
import itertools
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from catalog import db
from catalog.products import Product
from catalog.tags import ShelfTag
from search.local_server import LocalMeili
from service.app import create_app
from service.cli import cli
from service.settings import Settings
from tests.conftest import TODAY, make_settings
from tests.live_server import serving
from tests.plugins.accounts import PASSWORD
from tests.plugins.databases import Templates

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# Where the README's examples point: `make run`'s address.
EXAMPLE_ORIGIN = "127.0.0.1:8000"
NOT_RUN = ("make ", "open ", "$EDITOR ")
ROUTE_MENTION = re.compile(r"`((?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*) (/[^`\s]*)`")
# What a reader has at hand when following the README: a tag code from an earlier answer (random in real life,
# fixed here), and the CSV files the import tables describe.
EXAMPLE_TAG = ("7K3QZ9MB", "09506000134369", 7)  # code, product GTIN, store id
FILES = {
    "products.csv": "name_vi,category_code,net_quantity,net_quantity_unit,packaging\n"
    "Mắm tôm chà Rạch Gốc,sauces_fermented,200,g,primary:GLASS:250;closure:STEEL_TIN\n",
    "listings.csv": "product_id,price_vnd,shelf\n1,185.000,A3\n",
}


@dataclass(frozen=True)
class Command:
    """One command of a README code block, continuation lines joined as the shell joins them."""

    line: int
    text: str

    @property
    def where(self) -> str:
        """README.md:line, for failure messages."""
        return f"README.md:{self.line}"


def code_blocks() -> list[tuple[str, list[Command]]]:
    """Every fenced block of README.md: its language tag and its commands."""
    blocks: list[tuple[str, list[Command]]] = []
    language: str | None = None
    pending: list[tuple[int, str]] = []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            if language is None:
                language, pending = line[3:].strip(), []
                blocks.append((language, []))
            else:
                language = None
            continue
        if language is None:
            continue
        pending.append((number, line))
        if not line.endswith("\\"):
            blocks[-1][1].append(Command(pending[0][0], "\n".join(text for _, text in pending)))
            pending = []
    return blocks


def shell_commands() -> list[Command]:
    """The commands of the ```sh blocks, in order."""
    return [command for language, commands in code_blocks() if language == "sh" for command in commands]


def test_every_setting_is_documented_in_the_deploy_reference_and_example() -> None:
    reference = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        variable = f"GREENSHELF_{name.upper()}"
        assert f"`{variable}`" in reference, variable
        assert f"{variable}=" in example, variable
        assert variable in readme, variable


def test_readme_opens_with_the_two_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    head = readme[: readme.index("## Settings")]
    assert "make run" in head and "make test" in head


def test_readme_make_commands_name_targets_and_variables_the_makefile_has() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+):(?!=)", makefile, re.MULTILINE))
    variables = set(re.findall(r"\$\((\w+)\)", makefile)) | set(re.findall(r"^(\w+)\s*[?:]?=", makefile, re.MULTILINE))
    makes = [c for c in shell_commands() if c.text.startswith("make ")]
    assert makes
    for command in makes:
        words = command.text.split("#", 1)[0].split()[1:]
        assert words[0] in targets, f"{command.where}: no Makefile target {words[0]!r}"
        for setting in words[1:]:
            assert setting.split("=", 1)[0] in variables, f"{command.where}: the Makefile reads no {setting!r}"


def test_readme_editor_commands_name_files_that_exist() -> None:
    edits = [c for c in shell_commands() if c.text.startswith("$EDITOR ")]
    assert edits
    for command in edits:
        assert (ROOT / command.text.split()[1]).is_file(), command.where


def synopsis() -> list[Command]:
    """The command-line synopsis: the plain block of `greenshelf …` lines (placeholders, [optional] parts)."""
    found = [cs for language, cs in code_blocks() if language == "" and cs and cs[0].text.startswith("greenshelf ")]
    assert len(found) == 1
    return found[0]


def test_readme_command_line_synopsis_names_commands_and_options_the_cli_has() -> None:
    runner = CliRunner()
    for command in synopsis():
        words = re.sub(r"[\[\]]", " ", command.text.split("#", 1)[0]).split()[1:]
        # Command names come first (lower-case words; `a | b` offers either), then placeholders and options.
        names = list(itertools.takewhile(lambda word: re.fullmatch(r"[a-z]+|\|", word), words))
        *parents, first = " ".join(names).split(" | ")[0].split()
        alternatives = [first, *" ".join(names).split(" | ")[1:]]
        options = re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", " ".join(words))
        for name in alternatives:
            shown = runner.invoke(cli, [*parents, name, "--help"])
            assert shown.exit_code == 0, f"{command.where}: greenshelf {' '.join(parents)} {name}: {shown.output}"
            for option in options:
                assert re.search(rf"(?<![\w-]){option}\b", shown.output), f"{command.where}: {name} has no {option}"


def test_every_route_the_readme_names_answers_that_method(tmp_path: Path) -> None:
    app = create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}"))
    routes = [(re.compile(re.sub(r"\{[^}]+\}", "[^/]+", route.path) + "$"), route.methods) for route in app.routes]
    mentioned = ROUTE_MENTION.findall(README.read_text(encoding="utf-8"))
    assert len(mentioned) > 20
    for methods, written in mentioned:
        path = re.sub(r"\{[^}]+\}", "1", written.split("?", 1)[0])
        candidates = [path] if path.startswith(("/api/", "/portal")) else [path, f"/api/v1{path}"]
        allowed = {m for pattern, ms in routes for p in candidates if pattern.match(p) for m in ms}
        for method in methods.split("/"):
            assert method in allowed, f"README names {method} {written}, which no route answers"


async def _arrange(url: str) -> None:
    """The tag whose code the README's examples use, as if the first tag request had issued it."""
    code, gtin, store_id = EXAMPLE_TAG
    engine = db.create_engine(url)
    try:
        async with db.session_factory(engine)() as session, session.begin():
            product = await session.scalar(select(Product).where(col(Product.gtin) == gtin))
            assert product is not None and product.id is not None
            session.add(ShelfTag(code=code, product_id=product.id, store_id=store_id))
    finally:
        await engine.dispose()


def _script(commands: list[Command]) -> str:
    """The commands exactly as written, each followed by a check that names its README line when it fails."""
    steps = ["set -o pipefail"]
    for command in commands:
        steps += [
            f"echo '>>> {command.where}'",
            command.text,
            f'status=$?; if [ "$status" -ne 0 ]; then echo "{command.where} exited $status" >&2; exit 1; fi',
            "echo",
        ]
    return "\n".join(steps)


@pytest.mark.meili
def test_readme_shell_examples_run_as_written_against_the_demo(
    db_templates: Templates, meili_server: LocalMeili, meili_prefix: str, tmp_path: Path
) -> None:
    url = db_templates.copy("sqlite", "demo")
    asyncio.run(_arrange(url))
    search = {
        "meili_url": meili_server.url,
        "meili_master_key": meili_server.master_key,
        "meili_index": f"{meili_prefix}products",
    }
    work = tmp_path / "work"
    work.mkdir()
    for name, content in FILES.items():
        (work / name).write_text(content, encoding="utf-8")
    commands = shell_commands()
    opened = [c for c in commands if c.text.startswith("open ")]
    assert opened
    try:
        with serving(lambda _: create_app(make_settings(url, **search), today=lambda: TODAY)) as base_url:
            for command in opened:
                target = command.text.split()[1].replace(f"http://{EXAMPLE_ORIGIN}", base_url)
                assert httpx.get(target, follow_redirects=True).status_code == 200, f"{command.where}: {target}"
            # curl reads $CURL_HOME/.curlrc: the README's address leads to this server, and an HTTP error fails.
            port = base_url.rsplit(":", 1)[1]
            (tmp_path / ".curlrc").write_text(
                f'connect-to = "{EXAMPLE_ORIGIN}:127.0.0.1:{port}"\nfail-with-body\nshow-error\nsilent\n', "utf-8"
            )
            environment = {k: v for k, v in os.environ.items() if not k.startswith("GREENSHELF_")}
            environment |= {f"GREENSHELF_{name.upper()}": value for name, value in search.items()}
            environment |= {
                "GREENSHELF_DATABASE_URL": url,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}",
                # The `greenshelf` command runs this checkout, whatever the virtualenv's install points at.
                "PYTHONPATH": str(ROOT),
                "CURL_HOME": str(tmp_path),
                "PASSWORD": PASSWORD,
            }
            ran = subprocess.run(
                ["bash", "-c", _script([c for c in commands if not c.text.startswith(NOT_RUN)])],
                cwd=work,
                env=environment,
                input=f"{PASSWORD}\n{PASSWORD}\n",  # the account that asks for its password twice
                capture_output=True,
                text=True,
                timeout=600,
                # No controlling terminal: a password prompt reads standard input, as under a real pipe.
                start_new_session=True,
            )
    finally:
        db_templates.drop(url)
    assert ran.returncode == 0, f"{ran.stderr[-3000:]}\n--- output ---\n{ran.stdout[-3000:]}"
