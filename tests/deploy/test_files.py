"""The deployment files, checked without a container engine: the Compose Specification's JSON schema (vendored by
check-jsonschema, Apache-2.0, from compose-spec/compose-spec) for compose.yaml, hadolint for the Dockerfile."""

import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent


def _schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return data


def test_compose_file_validates_against_the_compose_specification_schema() -> None:
    result = _schema_check(DEPLOY / "compose.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_compose_file_with_a_misspelt_dependency_condition(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("service_completed_successfully", "service_completed"), encoding="utf-8")
    assert _schema_check(broken).returncode != 0


def test_meilisearch_runs_the_version_the_project_pins_everywhere() -> None:
    pinned = (DEPLOY / "meilisearch" / "VERSION").read_text(encoding="utf-8").strip()
    assert _compose()["services"]["meilisearch"]["image"] == f"getmeili/meilisearch:v{pinned}"


def test_postgres_major_matches_the_pg_dump_the_image_installs() -> None:
    image = _compose()["services"]["postgres"]["image"]
    major = image.split(":", 1)[1].split("-", 1)[0]
    assert major.isdigit(), image
    assert f"postgresql-client-{major}" in (DEPLOY / "Dockerfile").read_text(encoding="utf-8")


def test_app_processes_start_only_after_migrations_ran_once_and_read_secrets_from_the_env_file() -> None:
    services = _compose()["services"]
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "db upgrade" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["restart"] == "no"
    for name in ("app", "migrate", "postgres", "meilisearch"):
        assert [entry["path"] for entry in services[name]["env_file"]] == ["./greenshelf.env"], name
        environment = services[name].get("environment", {})
        assert not [key for key in environment if "KEY" in key or "PASSWORD" in key], name


def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run(
        [str(BIN / "hadolint"), str(DEPLOY / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_installs_from_the_hash_locked_requirements_and_runs_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    assert any("--require-hashes" in line and "requirements.lock" in line for line in lines)
    assert any(line.startswith("RUN") and "pybabel" in line and "compile" in line for line in lines)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert any("/healthz" in line for line in lines)
