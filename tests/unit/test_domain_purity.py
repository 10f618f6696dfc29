"""The domain is pure Python: no web framework, no database toolkit, nothing else of the project."""
import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "server" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "flask_smorest", "marshmallow", "werkzeug")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def test_domain_modules_exist():
    assert len(list(DOMAIN.rglob("*.py"))) >= 3


def test_domain_imports_neither_flask_nor_sqlalchemy():
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        for module in imported_modules(path):
            root = module.lstrip(".").split(".")[0]
            if root in FORBIDDEN or (root == "server" and not module.startswith("server.domain")):
                offenders.append(f"{path.relative_to(DOMAIN)} imports {module}")
    assert offenders == []
