"""The configuration reference and the example env file cannot drift from Settings."""

from pathlib import Path

from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_the_deploy_reference_and_example() -> None:
    reference = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        variable = f"GREENSHELF_{name.upper()}"
        assert f"`{variable}`" in reference, variable
        assert f"{variable}=" in example, variable
        assert variable in readme, variable


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## Settings")]
    assert "make run" in head and "make test" in head
