"""The house rules that imports can show, checked on the code itself (no database).

- The floors (`[tool.importlinter]` in pyproject.toml, run by `lint-imports`): an app
  imports only apps below it. Tested here too, to show that a deliberate break is caught.
- Other apps import only an app's public surface: `services`, `selectors`, `models`,
  `signals`, `errors` (for cases also its subpackages' `services` and `selectors`), and the
  few other modules named in `PUBLIC_EXTRAS` with the reason.
- No import circle between modules anywhere in `src/samvirke`.
- No import inside a function, except in `AppConfig.ready` or with a comment on that line
  or the line above saying why.

`make lint` runs this module.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "samvirke"
PACKAGE = "samvirke"

# The modules other apps may import, by their last part (`samvirke.<app>.<part>`).
SURFACE = frozenset({"services", "selectors", "models", "signals", "errors"})

# Modules outside the surface that other apps may import, each with why.
PUBLIC_EXTRAS = {
    # grants: who may act for which organisation. Every app scopes what a user sees by them
    "samvirke.accounts.access": "the grants every app's reads are scoped by",
    "samvirke.accounts.rules": "rules predicates, combined into other apps' permissions",
    "samvirke.accounts.national_id": "the national identity number's format, a value rule",
    "samvirke.accounts.oidc.decorators": "the decorator that asks a citizen to log in by eID",
    "samvirke.accounts.oidc.levels": "the eID assurance levels, a value list",
    "samvirke.eservices.definition": "the form definition format and its JSON Schema",
    "samvirke.eservices.engine": "the form engine: rendering and checking a form's answers",
}

# Importers allowed to reach past the surface, by what they are (the last part of the
# importer's name, or a part of it), each with why.
TEST_PART = "tests"  # tests build data with other apps' test helpers (factories, fixtures)
WIRING_PART = "apps"  # AppConfig.ready plugs an app into another's extension points
DEMO_PREFIX = "demo"  # demo loaders use the demo of the apps below them
SEED_COMMAND = "samvirke.web.management.commands.seed_demo"  # loads every app's demo
API_PART = "api"  # each app's endpoints are built on the API framework

# The API framework that every app's `api` package builds on.
API_FRAMEWORK = frozenset({"samvirke.api.views", "samvirke.api.fields", "samvirke.api.schema"})

# Non-surface modules that other apps' tests may use, each with why.
TEST_EXTRAS = {
    "samvirke.accounts.devidp.persons": "tests log citizens in through the development eID",
    "samvirke.accounts.oidc.flow": "tests log citizens in through the development eID",
    "samvirke.organisations.document_pdf": "tests upload a real agreement PDF",
}

# The assembly around the apps: the root URLconf, the command line, WSGI, settings.
ASSEMBLY = frozenset({"urls", "openapi_urls", "cli", "wsgi", "conf"})


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, cache_dir=None)


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_public(imported: str) -> bool:
    parts = imported.split(".")
    if parts[1] == "core":  # the ground floor is there to be used
        return True
    rest = parts[2:]
    if not rest or rest[0] in SURFACE:
        return True
    # cases: its subpackages' services and selectors (`samvirke.cases.offerings.services`)
    if parts[1] == "cases" and len(rest) == 2 and rest[1] in {"services", "selectors"}:
        return True
    return any(_within(imported, extra) for extra in PUBLIC_EXTRAS)


def _is_demo(parts: list[str]) -> bool:
    return any(part.startswith(DEMO_PREFIX) for part in parts[2:])


def _may_reach_past_surface(importer: str, imported: str) -> bool:
    importer_parts = importer.split(".")
    imported_parts = imported.split(".")
    if TEST_PART in importer_parts:
        # tests build data with other apps' test helpers and demo loaders
        return TEST_PART in imported_parts or _is_demo(imported_parts) or imported in TEST_EXTRAS
    if importer_parts[-1] == WIRING_PART:
        return True
    if _is_demo(imported_parts) and (importer == SEED_COMMAND or _is_demo(importer_parts)):
        return True
    if API_PART in importer_parts[2:]:
        if imported in API_FRAMEWORK:
            return True
        # one object looks the same in every endpoint: serializers nest each other's
        return importer_parts[-1] == imported_parts[-1] == "serializers" and (
            API_PART in imported_parts[2:]
        )
    return False


def surface_breaks() -> list[tuple[str, str]]:
    g = graph()
    breaks = []
    for importer in sorted(g.modules):
        importer_app = _app(importer)
        if importer_app is None or importer_app in ASSEMBLY:
            continue
        for imported in sorted(g.find_modules_directly_imported_by(importer)):
            imported_app = _app(imported)
            if imported_app in (None, importer_app) or imported_app in ASSEMBLY:
                continue
            if _is_public(imported) or _may_reach_past_surface(importer, imported):
                continue
            breaks.append((importer, imported))
    return breaks


def test_other_apps_import_only_the_public_surface():
    breaks = surface_breaks()
    assert not breaks, "Import another app's services, selectors, models, signals or errors:\n" + (
        "\n".join(f"  {importer} -> {imported}" for importer, imported in breaks)
    )


def test_the_public_surface_rule_catches_a_reach_inside():
    assert ("samvirke.portal.feeds", "samvirke.cases.numbering") not in surface_breaks()
    assert not _is_public("samvirke.cases.numbering")
    assert not _may_reach_past_surface("samvirke.portal.feeds", "samvirke.cases.numbering")
    assert _is_public("samvirke.cases.offerings.services")
    assert _is_public("samvirke.organisations.signals")


# --- circles ------------------------------------------------------------------------------


def import_circles(edges: dict[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def _edges() -> dict[str, set[str]]:
    g = graph()
    return {module: set(g.find_modules_directly_imported_by(module)) for module in g.modules}


def test_no_import_circle_between_modules():
    circles = import_circles(_edges())
    assert not circles, "Modules that import each other:\n" + "\n".join(
        "  " + " <-> ".join(circle) for circle in circles
    )


def test_the_circle_check_finds_a_circle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_circles(edges) == [["a", "b", "c"]]
    assert import_circles({"a": {"b"}, "b": set()}) == []


# --- imports inside functions -------------------------------------------------------------


def _has_reason(lines: list[str], lineno: int) -> bool:
    """A comment on the import's line or on the line above that says something beyond
    a linter directive (`# noqa: F401` names no reason)."""
    for text in (lines[lineno - 1], lines[lineno - 2] if lineno >= 2 else ""):
        if "#" not in text:
            continue
        comment = text.split("#", 1)[1].strip()
        if comment and not comment.startswith(("noqa", "type:")):
            return True
        if "#" in comment.split(":", 1)[-1]:  # `# noqa: F401  # why`
            return True
    return False


def inner_imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) of each import inside a function without a stated reason,
    outside `AppConfig.ready`."""
    text = path.read_text()
    lines = text.splitlines()
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, functions: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, (*functions, child.name))
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if not functions:
                    continue
                if path.name == "apps.py" and functions[-1] == "ready":
                    continue
                if _has_reason(lines, child.lineno):
                    continue
                if isinstance(child, ast.ImportFrom):
                    name = "." * child.level + (child.module or "")
                else:
                    name = child.names[0].name
                found.append((child.lineno, name))
            else:
                visit(child, functions)

    visit(ast.parse(text), ())
    return found


def _source_files() -> list[Path]:
    return sorted(
        path
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.relative_to(SOURCE).parts
        and "migrations" not in path.relative_to(SOURCE).parts
    )


def test_no_import_inside_a_function_without_a_reason():
    found = []
    for path in _source_files():
        relative = path.relative_to(SOURCE).as_posix()
        for lineno, name in inner_imports(path):
            found.append(f"  src/samvirke/{relative}:{lineno} imports {name}")
    assert not found, (
        "Import at the top of the module, or say on the line (or the line above) why it "
        "cannot be:\n" + "\n".join(found)
    )


def test_the_inner_import_check_reads_reasons(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "def a():\n"
        "    import json\n"
        "def b():\n"
        "    # imported late: Pango loads with it\n"
        "    import weasyprint\n"
        "def c():\n"
        "    import os  # noqa: F401\n"
        "class C:\n"
        "    def ready(self):\n"
        "        import sys\n"
    )
    assert inner_imports(module) == [(2, "json"), (7, "os"), (10, "sys")]


# --- the floors ---------------------------------------------------------------------------


def _floors_contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "floors"]
    return contract


def floor_breaks(extra_imports: Iterable[tuple[str, str]] = ()) -> set:
    """The floors contract, checked with grimp as `lint-imports` does, on the graph with
    `extra_imports` added."""
    g = grimp.build_graph(PACKAGE, cache_dir=None)  # a graph of its own, to change
    for importer, imported in extra_imports:
        g.add_import(importer=importer, imported=imported)
    contract = _floors_contract()
    for line in contract.get("ignore_imports", []):
        importer, imported = (part.strip() for part in line.split("->"))
        g.remove_import(importer=importer, imported=imported)
    layers = []
    for layer in contract["layers"]:
        names = [name.strip() for name in layer.split("|")]
        names = [
            name.strip("()")
            for name in names
            if not name.startswith("(") or name.strip("()") in g.modules
        ]
        if names:
            layers.append(grimp.Layer(*names, independent=True))
    return g.find_illegal_dependencies_for_layers(layers=layers, containers=set())


def test_the_floors_hold():
    assert floor_breaks() == set()


def test_an_organisation_calling_the_portal_breaks_the_floors():
    """Deliberately adding `import samvirke.portal.services` to organisations/services.py
    is caught: organisations sit below the portal."""
    breaks = floor_breaks([("samvirke.organisations.services", "samvirke.portal.services")])
    assert {(b.importer, b.imported) for b in breaks} == {
        ("samvirke.organisations", "samvirke.portal")
    }


# --- error codes --------------------------------------------------------------------------

# Helpers that take an error code positionally: function name -> the argument's index.
CODE_ARGUMENTS = {"_field_error": 2, "_error": 1, "_import_problem": 0, "add": 0}
# Calls whose `code=` is a model's `code` field (data, such as an area of work's), not an
# error code.
DATA_CALLS = frozenset({"filter", "exclude", "get", "create", "get_or_create", "area_create"})


def _literals(node: ast.expr) -> list[str]:
    """The string literals an expression can evaluate to (`x or "invalid"` gives one)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BoolOp):
        return [text for value in node.values for text in _literals(value)]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def literal_error_codes(path: Path) -> list[tuple[int, str]]:
    """(line, code) of each error code given as a string literal: `code="..."` in a call
    (ValidationError, DRF's errors, FieldError, DefinitionProblem, an exception of our
    own), or positionally to one of the helpers in CODE_ARGUMENTS or `self.error(...)`.
    A code is a member of its app's enum in `errors.py` instead."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in DATA_CALLS:
            for keyword in node.keywords:
                if keyword.arg == "code":
                    found += [(node.lineno, text) for text in _literals(keyword.value)]
        index = CODE_ARGUMENTS.get(name) if isinstance(func, ast.Name) else None
        if name == "error" and isinstance(func, ast.Attribute):
            index = 0 if isinstance(func.value, ast.Name) and func.value.id == "self" else None
        if index is not None and len(node.args) > index:
            found += [(node.lineno, text) for text in _literals(node.args[index])]
    return found


def test_no_error_code_is_a_string_literal():
    found = []
    for path in _source_files():
        relative = path.relative_to(SOURCE).as_posix()
        for lineno, code in literal_error_codes(path):
            found.append(f"  src/samvirke/{relative}:{lineno} {code!r}")
    assert not found, (
        "Give error codes as members of the app's enum in errors.py "
        "(`code=CasesErrorCode.CASE_CLOSED`), never as strings:\n" + "\n".join(found)
    )


def test_the_error_code_check_finds_literals(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "raise ValidationError('m', code='case_closed')\n"
        "raise ValidationError({'f': 'm'}, code=error.code or 'invalid')\n"
        "raise _field_error('f', 'm', 'too_long')\n"
        "self.error('required', 'm')\n"
        "logger.error('not a code %s', x)\n"
        "raise ValidationError('m', code=CasesErrorCode.CASE_CLOSED)\n"
        "AreaOfWork.objects.filter(code='ppt')\n"
    )
    assert literal_error_codes(module) == [
        (1, "case_closed"),
        (2, "invalid"),
        (3, "too_long"),
        (4, "required"),
    ]


# --- mail through the notification service ------------------------------------------------

MAIL_CALLS = frozenset({"send_mail", "send_mass_mail", "mail_admins", "mail_managers"})
MAIL_CLASSES = frozenset({"EmailMessage", "EmailMultiAlternatives"})
NOTIFICATIONS = SOURCE / "notifications"


def mail_sent_directly(path: Path) -> list[tuple[int, str]]:
    """(line, name) of each use of Django's mail functions or message classes: imported
    from `django.core.mail`, or called by name or as an attribute (`mail.send_mail`)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
            for alias in node.names:
                if alias.name in MAIL_CALLS | MAIL_CLASSES:
                    found.append((node.lineno, alias.name))
        elif isinstance(node, ast.Call):
            function = node.func
            name = (
                function.id
                if isinstance(function, ast.Name)
                else function.attr
                if isinstance(function, ast.Attribute)
                # a method on something else named send_mail (Django's password reset
                # form overrides one) is a def, not a call on django.core.mail
                and isinstance(function.value, ast.Name)
                and function.value.id == "mail"
                else None
            )
            if name in MAIL_CALLS | MAIL_CLASSES:
                found.append((node.lineno, name))
    return found


def test_every_message_goes_through_the_notification_service():
    """A message to a person is a `notifications.services.notification_send`: it is
    queued after the commit, retried and logged, and its body checked (notifications.md).
    Only the e-mail channel itself speaks to Django's mail."""
    found = []
    for path in _source_files():
        if path.is_relative_to(NOTIFICATIONS):
            continue
        relative = path.relative_to(SOURCE).as_posix()
        for lineno, name in mail_sent_directly(path):
            found.append(f"  src/samvirke/{relative}:{lineno} uses {name}")
    assert not found, "Send with notification_send instead:\n" + "\n".join(found)


def test_the_mail_check_finds_a_direct_send(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "from django.core import mail\n"
        "from django.core.mail import EmailMessage, get_connection\n"
        "def a():\n"
        "    mail.send_mail('s', 'b', None, ['x@example.invalid'])\n"
        "    mail_admins('s', 'b')\n"
        "class Form:\n"
        "    def send_mail(self, *args):\n"
        "        return self.send_mail\n"
        "def b(form):\n"
        "    form.send_mail('s')\n"
    )
    assert mail_sent_directly(module) == [(2, "EmailMessage"), (4, "send_mail"), (5, "mail_admins")]


# --- tests import helpers, not other tests -------------------------------------------------


def _imported_names(tree: ast.AST, package: list[str]) -> list[tuple[int, str]]:
    """(line, dotted name) of everything a module imports, at any depth, relative imports
    resolved against its `package`; `from a import b` gives `a.b` as well as `a`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*parts, *([node.module] if node.module else [])])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return sorted(found)


def imports_of_test_modules(root: Path, files: Iterable[Path]) -> list[str]:
    """Each import of a `test_*` module, by the files under `root` (a folder on the
    import path)."""
    found = []
    for path in sorted(files):
        package = list(path.relative_to(root).parts[:-1])
        for lineno, name in _imported_names(ast.parse(path.read_text()), package):
            if name.rsplit(".", 1)[-1].startswith("test_"):
                found.append(f"  {path.relative_to(root)}:{lineno} imports {name}")
    return found


def test_no_test_module_imports_another():
    """Helpers that tests share live in a helper module (`tests/factories.py` of the app
    whose data it builds, `conftest.py`, ...), never in a `test_*` module: a test module
    can then be moved, renamed or run alone without pulling in another's tests."""
    found = imports_of_test_modules(ROOT / "src", (ROOT / "src").rglob("*.py"))
    found += imports_of_test_modules(ROOT, (ROOT / "tests").rglob("*.py"))
    assert not found, "Move what is shared into a helper module:\n" + "\n".join(found)


def test_the_test_import_check_finds_an_import_of_a_test_module(tmp_path):
    tests = tmp_path / "app" / "tests"
    tests.mkdir(parents=True)
    (tests / "test_a.py").write_text(
        "from app.tests.factories import thing\n"
        "from .conftest import fixture\n"
        "def f():\n"
        "    from .test_b import helper\n"
        "from app.tests import test_c\n"
        "import app.tests.test_d\n"
    )
    assert imports_of_test_modules(tmp_path, [tests / "test_a.py"]) == [
        "  app/tests/test_a.py:4 imports app.tests.test_b",
        "  app/tests/test_a.py:5 imports app.tests.test_c",
        "  app/tests/test_a.py:6 imports app.tests.test_d",
    ]
