"""The layers of ARCHITECTURE.md, checked: what each may import, and that no module grows too long.

Every module under bot/, handlers/ and storage/ is parsed with ``ast``; its imports (at any depth,
including those under ``TYPE_CHECKING``) are checked against its layer's rule. A failure lists every
violation, one per line.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.domain.ids import ActionId, ViewId

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage")
FIRST_PARTY = frozenset(PACKAGES)
# What the tests put on the path (pyproject's pythonpath = ["tests"]) besides the tests package itself.
TEST_MODULES = frozenset({"tests", "conftest"} | {p.stem for p in (ROOT / "tests").glob("*.py")})
MAX_LINES = 400
# Modules allowed past MAX_LINES for now, with why; the test fails once one is back under the limit.
KNOWN_LONG: dict[str, str] = {}
SLACK = ("slack_bolt", "slack_sdk")


@dataclass(frozen=True)
class Layer:
    name: str
    first_party: tuple[str, ...] | None  # module prefixes it may import; None: any
    third_party: tuple[str, ...] | None  # None: any
    forbidden: tuple[str, ...] = ()  # never, whatever the above allow


ANYTHING = Layer("shell", None, None)
LAYERS: tuple[tuple[str, Layer], ...] = (
    # (module prefix, its layer), most specific first
    ("bot.domain", Layer("domain", ("bot.domain",), ())),
    ("bot.queries", Layer("read side", ("bot.domain", "storage", "bot.queries"), None, SLACK)),
    (
        "bot.services",
        Layer("services", ("bot.domain", "storage", "bot.queries", "bot.services"), None, SLACK),
    ),
    (
        "bot.blocks",
        # Block Kit through slack_sdk's models; calendar files through icalendar; the digest's chart
        # through matplotlib.
        Layer(
            "Block Kit",
            ("bot.domain", "bot.queries.models", "bot.blocks"),
            ("slack_sdk.models", "icalendar", "matplotlib"),
        ),
    ),
    ("bot.fakeslack", Layer("fake Slack", ("bot.fakeslack",), ("slack_sdk",))),
    ("bot.app", ANYTHING),
    ("bot.failures", ANYTHING),
    ("bot.shapes", ANYTHING),
    ("bot.listeners", ANYTHING),
    ("bot.cli", ANYTHING),
    ("bot.datarights_cli", ANYTHING),  # `infoint export` and `infoint forget`
    ("bot.config", ANYTHING),
    ("bot.sweep", ANYTHING),
    ("bot.digests", ANYTHING),
    ("bot.workspaces", ANYTHING),
    ("bot.oauth", ANYTHING),  # OAuth distribution: install pages, sealed tokens, installed workspaces
    ("bot.ack_first", ANYTHING),  # acks first; the work after an ack takes turns
    ("bot.logs", ANYTHING),  # log lines: text or JSON, the request line, the sweep's line per DM
    ("bot.health", ANYTHING),  # /healthz, /readyz
    ("bot.shutdown", ANYTHING),  # `infoint run` stopping gracefully
    ("bot.doctor", ANYTHING),  # `infoint doctor`
    ("bot.scopes", ANYTHING),  # the bot scopes of manifest.yml, shipped in the package
    ("bot.demo", ANYTHING),  # `infoint demo`: the app, the fake Slack and the page together
    ("storage", Layer("storage", ("bot.domain", "storage"), None, SLACK)),
    ("handlers", Layer("handlers", None, None, ("storage", "bot.fakeslack"))),
)


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(module: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import in the file; ``from a import b`` is ``a.b`` when b is
    a module of ours."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")
                parent = parent if is_package else parent[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield node.lineno, candidate if _is_module(candidate) else base


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _layer(module: str) -> Layer | None:
    if module == "bot":
        return ANYTHING
    return next((layer for prefix, layer in LAYERS if _under(module, (prefix,))), None)


def _violation(layer: Layer, imported: str) -> str | None:
    top = imported.split(".")[0]
    if top in TEST_MODULES:
        return "imports the tests"
    if _under(imported, layer.forbidden):
        return f"may not import {imported}"
    if top in FIRST_PARTY:
        if layer.first_party is not None and not _under(imported, layer.first_party):
            return (
                f"may not import {imported} ({layer.name}: only {', '.join(layer.first_party) or 'itself'})"
            )
        return None
    if top in sys.stdlib_module_names:
        return None
    if layer.third_party is not None and not _under(imported, layer.third_party):
        allowed = ", ".join(layer.third_party) or "nothing but the standard library"
        return f"may not import {imported} ({layer.name}: {allowed})"
    return None


def test_every_module_imports_only_what_its_layer_may() -> None:
    problems: list[str] = []
    for module, path in _modules():
        where = path.relative_to(ROOT)
        layer = _layer(module)
        if layer is None:
            problems.append(f"{where}: belongs to no layer of ARCHITECTURE.md")
            continue
        for line, imported in _imports(module, path):
            why = _violation(layer, imported)
            if why:
                problems.append(f"{where}:{line}: {module} ({layer.name}) {why}")
    assert not problems, "Imports across the layers' rules:\n" + "\n".join(problems)


def test_no_production_module_grows_past_the_limit() -> None:
    problems: list[str] = []
    for _, path in _modules():
        where = path.relative_to(ROOT).as_posix()
        if where.startswith("storage/migrations/versions/"):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and where not in KNOWN_LONG:
            problems.append(f"{where}: {lines} lines (at most {MAX_LINES}): split it by what it does")
        elif lines <= MAX_LINES and where in KNOWN_LONG:
            problems.append(f"{where}: {lines} lines now; take it off KNOWN_LONG")
    assert not problems, "Modules past the size limit:\n" + "\n".join(problems)


def test_the_checker_sees_a_violation() -> None:
    """The rules bite: a Block Kit module importing a service, or the domain importing SQLAlchemy."""
    blocks = _layer("bot.blocks.contacts")
    domain = _layer("bot.domain.pipeline")
    handlers = _layer("handlers.actions")
    assert blocks is not None and domain is not None and handlers is not None
    assert _violation(blocks, "bot.services.events")
    assert _violation(blocks, "slack_bolt")
    assert _violation(domain, "sqlalchemy")
    assert _violation(handlers, "storage.repository")
    assert _violation(handlers, "helpers")
    assert _violation(handlers, "bot.fakeslack")
    assert _violation(blocks, "bot.queries.models") is None
    assert _violation(domain, "datetime") is None


# Slack ids and listeners ---------------------------------------------------------------------------

ID_ENUMS = frozenset({"ActionId", "ViewId"})
# Where ids are written: Block Kit puts them on what it builds, the handlers listen for them.
ID_PACKAGES = ("handlers", "bot/blocks")


def _id_constant(node: ast.expr) -> str | None:
    """``ActionId.X`` or ``ViewId.X`` as "ActionId.X"; None for anything else."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ID_ENUMS:
        return f"{node.value.id}.{node.attr}"
    return None


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _registrations(tree: ast.AST) -> Iterator[tuple[int, str, ast.expr | None]]:
    """(line, "action" | "view", its id) for every ``app.action(…)`` and ``app.view(…)``."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("action", "view")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "app"
        ):
            yield node.lineno, node.func.attr, node.args[0] if node.args else None


def _literal_ids(node: ast.AST, in_input: bool = False) -> Iterator[tuple[int, str]]:
    """Ids written as text: a ``callback_id``, an ``action_id`` of an interactive element (a form
    field's, inside an ``InputBlock``, names the field), a button's or an overflow's id."""
    if isinstance(node, ast.Call):
        name = _called(node)
        for keyword in node.keywords:
            if keyword.arg == "callback_id" and _is_text(keyword.value):
                yield node.lineno, f"callback_id={ast.unparse(keyword.value)}"
            if keyword.arg == "action_id" and _is_text(keyword.value) and not in_input:
                yield node.lineno, f"action_id={ast.unparse(keyword.value)}"
        positional = {"button": 1, "_overflow": 0}.get(name)
        if positional is not None and len(node.args) > positional and _is_text(node.args[positional]):
            yield node.lineno, f"{name}(…{ast.unparse(node.args[positional])}…)"
        in_input = in_input or name == "InputBlock"
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and key.value in ("action_id", "callback_id")
                and _is_text(value)
            ):
                yield node.lineno, f"{key.value}: {ast.unparse(value)}"
    for child in ast.iter_child_nodes(node):
        yield from _literal_ids(child, in_input)


def _id_modules() -> Iterator[tuple[str, ast.Module]]:
    for package in ID_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_ids_are_typed_constants() -> None:
    """Every listener registers an ``ActionId``/``ViewId``, and Block Kit writes no id as text."""
    problems: list[str] = []
    for where, tree in _id_modules():
        for line, kind, registered in _registrations(tree):
            if registered is None or _id_constant(registered) is None:
                shown = ast.unparse(registered) if registered is not None else "nothing"
                problems.append(f"{where}:{line}: app.{kind}({shown}): use ActionId/ViewId")
        for line, literal in _literal_ids(tree):
            problems.append(f"{where}:{line}: {literal}: use ActionId/ViewId from bot/domain/ids.py")
    assert not problems, "Ids written as text:\n" + "\n".join(problems)


def test_every_id_has_its_listener() -> None:
    """No button, menu or modal without a listener, and one listener per id."""
    registered: list[str] = []
    for where, tree in _id_modules():
        if where.startswith("handlers/"):
            registered += [_id_constant(node) or "" for _, _, node in _registrations(tree) if node]
    expected = [f"ActionId.{a.name}" for a in ActionId] + [f"ViewId.{v.name}" for v in ViewId]
    assert sorted(registered) == sorted(expected)


def test_the_checkers_see_a_text_id() -> None:
    bad = ast.parse(
        "app.action('request_sent')(f)\n"
        "View(callback_id='log_contact')\n"
        "button('Go', 'go')\n"
        "ActionsBlock(elements=[StaticSelectElement(action_id='pick')])\n"
        "x = {'type': 'button', 'action_id': 'go'}\n"
    )
    good = ast.parse(
        "app.action(ActionId.REQUEST_SENT)(f)\n"
        "View(callback_id=ViewId.LOG_CONTACT)\n"
        "InputBlock(block_id='name', element=PlainTextInputElement(action_id='name'))\n"
    )
    assert [kind for _, kind, node in _registrations(bad) if node and not _id_constant(node)] == ["action"]
    assert len(list(_literal_ids(bad))) == 4
    assert not list(_literal_ids(good))
    assert all(node and _id_constant(node) for _, _, node in _registrations(good))


def _nested_functions(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for outer in ast.walk(tree):
        if isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for node in ast.walk(outer):
                if node is not outer and isinstance(
                    node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                ):
                    name = getattr(node, "name", "lambda")
                    yield node.lineno, name


def test_listeners_are_module_level_functions() -> None:
    """A handler module defines its listeners at module level (a test can call them); ``register(app)``
    only wires ids to them: no function or lambda is defined inside a function."""
    problems: list[str] = []
    for path in sorted((ROOT / "handlers").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, name in _nested_functions(tree):
            problems.append(f"handlers/{path.name}:{line}: {name} is defined inside a function")
    assert not problems, "Listeners defined inside functions:\n" + "\n".join(problems)
