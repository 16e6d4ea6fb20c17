"""requirements.lock installs on any machine and agrees with pyproject.toml.

A lock line that points at a local wheel passed CI once (the file was on that machine) and broke every
fresh install. Every line must be `name==version` from the package index, with its hashes.
"""

import ast
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!_-]+)$")
HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


def lock_entries(text: str) -> dict[str, list[str]]:
    """Requirement lines of a pip-compile lock (continuations joined) -> their hash options."""
    entries: dict[str, list[str]] = {}
    logical = ""
    lines = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        logical += " " + line.rstrip("\\").strip()
        if not line.endswith("\\"):
            lines.append(logical.strip())
            logical = ""
    if logical:
        lines.append(logical.strip())
    for line in lines:
        requirement, *options = line.split()
        entries[requirement] = options
    return entries


def lock_problems(text: str) -> list[str]:
    problems = []
    for requirement, options in lock_entries(text).items():
        if not PIN.match(requirement):
            problems.append(f"not a name==version pin from the index: {requirement}")
        hashes = [o for o in options if o.startswith("--hash")]
        if not hashes:
            problems.append(f"no hash: {requirement}")
        problems += [f"bad option on {requirement}: {o}" for o in options if not HASH.match(o)]
    return problems


def locked_names(text: str) -> set[str]:
    return {
        canonicalize_name(match["name"])
        for requirement in lock_entries(text)
        if (match := PIN.match(requirement))
    }


def declared_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    return [Requirement(line) for line in declared]


def test_every_lock_line_is_a_hashed_pin_from_the_index():
    assert lock_problems((ROOT / "requirements.lock").read_text()) == []


def test_every_declared_dependency_is_locked_at_a_version_it_allows():
    text = (ROOT / "requirements.lock").read_text()
    versions = {
        canonicalize_name(m["name"]): m["version"]
        for requirement in lock_entries(text)
        if (m := PIN.match(requirement))
    }
    missing = [str(r) for r in declared_requirements() if canonicalize_name(r.name) not in versions]
    assert missing == []
    outside = [
        f"{r} (locked {versions[canonicalize_name(r.name)]})"
        for r in declared_requirements()
        if not r.specifier.contains(versions[canonicalize_name(r.name)], prereleases=True)
    ]
    assert outside == []


def test_the_checks_catch_a_local_wheel_a_url_and_a_missing_hash():
    good = "django==5.2.19 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via rescue-station\n"
    assert lock_problems(good) == []
    assert locked_names(good) == {"django"}
    local = "django-axes @ file:///tmp/axes/django_axes-8.3.1-py3-none-any.whl#sha256=" + "f" * 64
    assert lock_problems(local)
    url = (
        "django-axes @ https://example.org/django_axes-8.3.1.whl \\\n    --hash=sha256:" + "b" * 64
    )
    assert lock_problems(url)
    assert lock_problems("openpyxl==3.1.5\n")
    assert lock_problems("./vendor/openpyxl-3.1.5.whl \\\n    --hash=sha256:" + "c" * 64)


def test_code_and_tests_import_only_declared_or_locked_packages():
    """Every third-party top-level import of the tree is provided by a locked distribution."""
    from importlib.metadata import packages_distributions

    provided = packages_distributions()
    locked = locked_names((ROOT / "requirements.lock").read_text())
    first_party = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    stdlib = set(__import__("sys").stdlib_module_names)
    imported: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if any(part in {".venv", "var", "node_modules"} for part in path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    unlocked = sorted(
        module
        for module in imported - stdlib - first_party - {"__future__"}
        if not any(canonicalize_name(d) in locked for d in provided.get(module, []))
    )
    assert unlocked == []
