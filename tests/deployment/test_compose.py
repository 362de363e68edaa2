"""docker-compose.yml agrees with the code: Neo4j version and environment variables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("graphstore", "loaders", "scoring", "gnn", "graph_api", "signaux", "synth")


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _variables_read_by_code() -> set[str]:
    found: set[str] = set()
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            found.update(re.findall(r"\"((?:NEO4J|SIGNAUX)_[A-Z0-9_]+)\"", path.read_text()))
    return found


def test_compose_neo4j_is_the_version_the_launcher_embeds() -> None:
    pom = (ROOT / "graphstore" / "launcher" / "pom.xml").read_text()
    embedded = re.search(r"<neo4j.version>(\d+\.\d+)\.\d+</neo4j.version>", pom)
    assert embedded is not None
    image = _compose()["services"]["neo4j"]["image"]
    assert image == f"neo4j:{embedded.group(1)}-community"
    assert embedded.group(1) == "5.26"


def test_every_variable_given_to_our_services_is_one_the_code_reads() -> None:
    known = _variables_read_by_code()
    compose = _compose()
    for name, service in compose["services"].items():
        if name == "neo4j":
            continue
        env = service.get("environment", {})
        assert env, f"service {name} has no environment"
        unknown = {k for k in env if k not in known}
        assert not unknown, f"service {name} sets variables no code reads: {sorted(unknown)}"


def test_the_services_reach_neo4j_with_the_variables_of_the_store_settings() -> None:
    env = _compose()["services"]["api"]["environment"]
    for required in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        assert required in env
    assert env["NEO4J_URI"].startswith("bolt://neo4j:")
    neo4j = _compose()["services"]["neo4j"]
    assert "healthcheck" in neo4j and neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/")
    assert any(str(v).startswith("neo4j-data:") for v in neo4j["volumes"])


def test_the_image_installs_the_pinned_lock_file() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile
    for pkg in PACKAGES:
        assert f"COPY {pkg} ./{pkg}" in dockerfile
