"""Rules of the code base that a review would otherwise have to remember.

- no private internals of a library (names starting with `_` reached from outside);
- services take plain data: no aiogram and no Telegram markup under bot/services/;
- every runtime dependency in pyproject.toml is imported by the bot or its storage.

The rules read the source (ast); each allow-list below holds what is there today, with
the reason, and may only shrink.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The shipped code; tests may look into the project's own objects (white-box), not into
# a library's (test_tests_use_no_private_internals_of_libraries).
CHECKED = ("bot", "storage", "emulator", "benchmarks")
OURS = {"bot", "storage", "emulator", "benchmarks", "tests"}

# (file, the private name reached) that stay for now, each with its reason.
PRIVATE_ALLOWED: dict[tuple[str, str], str] = {
    # Writes xlsxwriter's row XML itself: a large export's time (benchmarks `reports`,
    # export_10k_seconds); see the module's docstring and the figure there.
    ("bot/infra/xlsx_rows.py", "_write_single_row"): "xlsxwriter rows",
    ("bot/infra/xlsx_rows.py", "_check_dimensions"): "xlsxwriter rows",
    ("bot/infra/xlsx_rows.py", "_get_xf_index"): "xlsxwriter rows",
    # Statements of the write-lock holder in the event loop's thread: the throughput on
    # SQLite (benchmarks `throughput`); see InlineConnection's docstring.
    ("storage/db.py", "_execute"): "aiosqlite connection",
    ("storage/db.py", "_thread"): "aiosqlite connection",
    # The echo bot of the benchmarks stops polling the way aiogram's own tests do.
    ("emulator/echo_bot.py", "_running_lock"): "aiogram dispatcher",
    # The emulator's own parts (one package) sharing its file store.
    ("emulator/scripted.py", "_store_file"): "emulator, same package",
    ("emulator/server.py", "_store_file"): "emulator, same package",
}

# Services that still build Telegram markup (plain dicts with `inline_keyboard`): none;
# they ask for buttons as data (bot/services/buttons.py) and the screens render them.
MARKUP_IN_SERVICES_ALLOWED: set[str] = set()


def python_files(*tops: str) -> Iterator[Path]:
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts and ".venv" not in path.parts:
                yield path


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(source: str) -> set[str]:
    """Private names reached from outside: `x._y` with x not `self` or `cls` (so
    `super()._y` counts) and `from m import _y`. A private method called on `self` of a
    library's subclass is not seen: that is left to review."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found |= {alias.name for alias in node.names if _private(alias.name)}
    return found


def test_the_rule_sees_private_internals() -> None:
    # The three ways in, each seen (or the test below would prove nothing).
    assert private_uses("router._parent_router = None") == {"_parent_router"}
    assert private_uses("from storage.fsm import SQLStorage, _key") == {"_key"}
    assert private_uses("for h in [observer._handler]: pass") == {"_handler"}
    assert private_uses("self._mine = 1\ncls._too = 2") == set()


def test_no_private_internals_of_libraries() -> None:
    found: dict[tuple[str, str], int] = {}
    for path in python_files(*CHECKED):
        relative = path.relative_to(ROOT).as_posix()
        for name in private_uses(path.read_text(encoding="utf-8")):
            found[(relative, name)] = 1
    unexpected = sorted(set(found) - set(PRIVATE_ALLOWED))
    assert not unexpected, f"private names reached from outside: {unexpected}"
    gone = sorted(set(PRIVATE_ALLOWED) - set(found))
    assert not gone, f"no longer used, take them off PRIVATE_ALLOWED: {gone}"


def test_tests_use_no_private_internals_of_libraries() -> None:
    found = []
    for path in python_files("tests"):
        if path == Path(__file__).resolve():
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] not in OURS:
                    private = [a.name for a in node.names if _private(a.name)]
                    found += [f"{path.name}: {node.module}.{name}" for name in private]
        # aiogram's routers: a dispatcher gets new ones (bot.handlers.routing)
        if "._parent_router" in source:
            found.append(f"{path.name}: _parent_router")
    assert not found, f"tests reach into libraries: {found}"


def _imports(source: str) -> set[str]:
    """Top-level package names a module imports (anywhere, functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_services_do_not_import_aiogram() -> None:
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in python_files("bot/services")
        if "aiogram" in _imports(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"services import aiogram: {offenders}"


def test_services_build_no_new_telegram_markup() -> None:
    found = {
        path.relative_to(ROOT).as_posix()
        for path in python_files("bot/services")
        if re.search(r"""["']inline_keyboard["']""", path.read_text(encoding="utf-8"))
    }
    assert found <= MARKUP_IN_SERVICES_ALLOWED, (
        f"services build Telegram markup: {sorted(found - MARKUP_IN_SERVICES_ALLOWED)}; "
        "let the screen (a handler's view) build it from the service's data"
    )
    gone = MARKUP_IN_SERVICES_ALLOWED - found
    assert not gone, f"take them off MARKUP_IN_SERVICES_ALLOWED: {sorted(gone)}"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        _normal(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in project["dependencies"]
    }


def imported_distributions(*tops: str) -> set[str]:
    by_module = importlib.metadata.packages_distributions()
    found: set[str] = set()
    for path in python_files(*tops):
        for module in _imports(path.read_text(encoding="utf-8")):
            found |= {_normal(name) for name in by_module.get(module, [])}
    return found


def test_every_runtime_dependency_is_imported_by_the_bot() -> None:
    declared = runtime_dependencies()
    assert {"aiogram", "sqlalchemy", "xlsxwriter"} <= declared  # the parsing works
    unused = sorted(declared - imported_distributions("bot", "storage"))
    assert not unused, (
        f"declared in pyproject.toml but imported by nothing under bot/ or storage/: {unused}"
        " (a test or benchmark tool belongs in an extra)"
    )


def test_the_emulator_does_not_import_the_bot() -> None:
    """The emulator is Telegram's stand-in for any bot; the fixtures that start this one
    are in tests/support/bot_fixtures.py."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in python_files("emulator")
        if _imports(path.read_text(encoding="utf-8")) & {"bot", "storage", "tests"}
    ]
    assert not offenders, f"the emulator imports the bot: {offenders}"


def test_handler_modules_build_no_aiogram_router_of_their_own() -> None:
    """aiogram attaches a router to one dispatcher; handler modules keep a `Handlers`
    (bot/handlers/routing.py), which builds new routers for each dispatcher."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in python_files("bot/handlers")
        if path.name != "routing.py" and re.search(r"\bRouter\(", path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"use `Handlers(__name__)` instead of aiogram's Router: {offenders}"


def test_one_clock_fixture() -> None:
    """The services' clock in tests is the `clock` fixture of tests/support/bot_fixtures.py;
    a test module says where it starts by overriding `clock_start`."""
    shared = ROOT / "tests" / "support" / "bot_fixtures.py"
    others = [
        path.relative_to(ROOT).as_posix()
        for path in python_files("tests")
        if path != shared and re.search(r"^def clock\(", path.read_text(encoding="utf-8"), re.M)
    ]
    assert not others, f"a clock fixture of its own (override `clock_start` instead): {others}"


def _imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_jobs_take_a_context_not_the_app() -> None:
    """A scheduled job gets a JobContext (db, bot, clock, settings); the running app
    (bot/app/) is not for jobs to reach into."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in python_files("bot/jobs")
        if any(
            m == "bot.app" or m.startswith("bot.app.")
            for m in _imported_modules(path.read_text(encoding="utf-8"))
        )
    ]
    assert not offenders, f"jobs import the app: {offenders}"
