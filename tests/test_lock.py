"""The lock files match pyproject.toml: every pin at its version, every entry with a hash.

scripts/serve.sh, scripts/test.sh and the Dockerfile install from the locks with
--require-hashes; a pin changed in pyproject.toml without `bash scripts/lock.sh` fails here.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^;\s]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str) -> dict[str, tuple[str, int]]:
    """{normalised name: (version, number of hashes)} from a pip requirements file with hashes."""
    entries: dict[str, tuple[str, int]] = {}
    for block in text.replace("\\\n", " ").splitlines():
        match = ENTRY.match(block)
        if match:
            entries[_norm(match[1])] = (match[2], block.count("--hash=sha256:"))
    return entries


def lock_problems(pins: list[str], lock_text: str) -> list[str]:
    """What is wrong with a lock for these pyproject requirements (empty when it matches)."""
    entries = parse_lock(lock_text)
    problems = [f"{name}=={version} heeft geen hash" for name, (version, hashes) in entries.items() if hashes == 0]
    for requirement in pins:
        match = PIN.match(requirement)
        if not match:
            problems.append(f"'{requirement}' is niet vastgepind met ==")
            continue
        name, version = _norm(match[1]), match[2]
        if name not in entries:
            problems.append(f"{name} ontbreekt in de lock")
        elif entries[name][0] != version:
            problems.append(f"{name}: pyproject {version}, lock {entries[name][0]}")
    return problems


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_runtime_lock_matches_pyproject():
    assert lock_problems(_project()["dependencies"], (ROOT / "requirements.lock").read_text()) == []


def test_test_lock_matches_pyproject_runtime_and_test_extra():
    project = _project()
    pins = project["dependencies"] + project["optional-dependencies"]["test"]
    assert lock_problems(pins, (ROOT / "requirements-test.lock").read_text()) == []


def test_test_lock_runs_the_app_on_the_runtime_versions():
    runtime = parse_lock((ROOT / "requirements.lock").read_text())
    test = parse_lock((ROOT / "requirements-test.lock").read_text())
    assert {name: test.get(name, ("ontbreekt", 0))[0] for name in runtime} == {n: v for n, (v, _) in runtime.items()}


def test_build_backend_is_locked_for_the_no_build_isolation_install():
    for lock in ("requirements.lock", "requirements-test.lock"):
        assert "setuptools" in parse_lock((ROOT / lock).read_text()), lock


def test_lock_problems_finds_a_wrong_version_a_missing_pin_and_a_missing_hash():
    lock = ("dash==4.4.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via x\n"
            "plotly==7.0.0 \\\n    --hash=sha256:cc\n"
            "tqdm==4.70.1\n")
    pins = ["dash[testing]==4.4.1", "Plotly==7.1.0", "tqdm==4.70.1", "duckdb==2.0.1", "pandas>=3"]
    assert lock_problems(pins, lock) == [
        "tqdm==4.70.1 heeft geen hash",
        "plotly: pyproject 7.1.0, lock 7.0.0",
        "duckdb ontbreekt in de lock",
        "'pandas>=3' is niet vastgepind met ==",
    ]
