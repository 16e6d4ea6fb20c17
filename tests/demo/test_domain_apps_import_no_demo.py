"""No domain app imports the demo: production ships it in INSTALLED_APPS but never runs it."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings


def _domain_app_paths() -> list[Path]:
    base = Path(settings.BASE_DIR).resolve()
    paths = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if config.name != "demo" and path.is_relative_to(base):
            paths.append(path)
    return paths


def _demo_imports(source: Path) -> list[tuple[int, str]]:
    """(line, module) of each import of the demo package or one of its modules."""
    found = []
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            (node.lineno, name) for name in names if name == "demo" or name.startswith("demo.")
        ]
    return found


def test_the_domain_apps_are_the_projects_own_apps_but_the_demo():
    names = {path.name for path in _domain_app_paths()}
    assert {"rescue_station", "cases", "minors", "budget", "performance", "dashboards"} <= names
    assert "demo" not in names


def test_no_module_of_a_domain_app_imports_the_demo():
    found = []
    for app in _domain_app_paths():
        for source in sorted(app.rglob("*.py")):
            found += [f"{source}:{line} imports {name}" for line, name in _demo_imports(source)]
    assert found == []


def test_the_check_sees_an_import_of_the_demo(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        "import demo\nimport demo.cases as c\nfrom demo import stations\n"
        "from demo.seed_2024 import X\nfrom .demo import y\nimport demographics\n"
    )
    assert _demo_imports(source) == [
        (1, "demo"),
        (2, "demo.cases"),
        (3, "demo"),
        (4, "demo.seed_2024"),
    ]
