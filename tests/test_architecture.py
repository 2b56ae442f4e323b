"""The package boundaries of docs/architecture.md, checked on the source: every import statement counts, lazy ones
inside functions too, because a lazy import is still an arrow between packages."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gitvoice"


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. gitvoice.pipeline.live
    path: Path
    tree: ast.Module

    @property
    def package(self) -> str:
        """The top-level package under gitvoice ("pipeline"), or the module itself for a loose one."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else ""

    def imports(self) -> Iterator[str]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.level:  # relative: resolve against this module's package
                    base = self.name.split(".")[: -node.level]
                    yield ".".join([*base, node.module])
                else:
                    yield node.module
                    yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _modules() -> list[Module]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules.append(Module(".".join(parts), path, ast.parse(path.read_text(encoding="utf-8"))))
    return modules


MODULES = _modules()


def _in(module: Module, *packages: str) -> bool:
    return module.package in packages


def _imports_from(module: Module, *packages: str) -> list[str]:
    prefixes = tuple(f"gitvoice.{package}" for package in packages)
    return sorted({name for name in module.imports() if name in prefixes or name.startswith(tuple(
        f"{prefix}." for prefix in prefixes))})


def _violations(modules: list[Module], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {module.name: _imports_from(module, *forbidden) for module in modules}
    return {name: imports for name, imports in found.items() if imports}


def test_no_loose_modules_at_the_top() -> None:
    loose = [m.name for m in MODULES if m.path.parent == PACKAGE and m.path.name not in ("__init__.py", "__main__.py")]
    assert loose == [], "every module belongs to a package that names its part of the flow"


def test_composition_is_pure() -> None:
    composition = [m for m in MODULES if _in(m, "composition")]
    assert _violations(composition, ("git", "audio", "transcription", "pipeline", "store", "config", "cli",
                                     "hooks", "readback")) == {}


def test_audio_knows_nothing_of_transcription_or_git() -> None:
    audio = [m for m in MODULES if _in(m, "audio")]
    assert _violations(audio, ("git", "transcription", "pipeline", "store", "config", "cli", "hooks")) == {}


def test_transcription_knows_nothing_of_the_store_git_or_the_commands() -> None:
    transcription = [m for m in MODULES if _in(m, "transcription")]
    assert _violations(transcription, ("git", "store", "pipeline", "config", "cli", "hooks", "composition")) == {}


def test_the_service_knows_nothing_of_the_store_git_or_the_commands() -> None:
    service = [m for m in MODULES if _in(m, "service")]
    assert _violations(service, ("git", "store", "pipeline", "config", "cli", "hooks", "composition")) == {}


# A command that transcribes on a server loads these: they must not load the engine (torch, whisper).
SERVICE_CLIENT_MODULES = {"gitvoice.service.wire", "gitvoice.service.client", "gitvoice.service.runtime"}


def test_the_service_client_side_never_imports_transcription() -> None:
    client = [m for m in MODULES if m.name in SERVICE_CLIENT_MODULES]
    assert len(client) == len(SERVICE_CLIENT_MODULES)
    assert _violations(client, ("transcription",)) == {}
    assert not [m.name for m in client if any(n.split(".")[0] in ("torch", "whisper") for n in m.imports())]


def test_nothing_below_the_cli_imports_the_cli() -> None:
    below = [m for m in MODULES if not _in(m, "cli") and m.name != "gitvoice.__main__"]  # `python -m gitvoice`
    assert _violations(below, ("cli",)) == {}


# Entry points that talk to the user themselves: the hook entry and the hook's terminal dialogue, and the stderr
# sink the entry points install for library notices.
PRINTING_ALLOWED = {"gitvoice.hooks.entry", "gitvoice.hooks.voice", "gitvoice.core.notices"}


def _is_print(function: ast.expr) -> bool:
    """`print(...)`, `sys.stdout.write(...)` or `sys.stderr.write(...)`."""
    if isinstance(function, ast.Name):
        return function.id == "print"
    return (isinstance(function, ast.Attribute) and function.attr == "write"
            and isinstance(function.value, ast.Attribute) and function.value.attr in ("stdout", "stderr")
            and isinstance(function.value.value, ast.Name) and function.value.value.id == "sys")


def _prints(module: Module) -> list[int]:
    return [node.lineno for node in ast.walk(module.tree) if isinstance(node, ast.Call) and _is_print(node.func)]


def test_only_the_cli_and_the_hook_entry_print_or_use_click() -> None:
    below = [m for m in MODULES if not _in(m, "cli") and m.name not in PRINTING_ALLOWED]
    printing = {m.name: lines for m in below if (lines := _prints(m))}
    assert printing == {}
    clicking = {m.name: names for m in below if (names := [n for n in m.imports() if n.split(".")[0] == "click"])}
    assert clicking == {}


# The VAD runs silero (a torch model) on the audio side; everything else that needs torch is transcription.
TORCH_ALLOWED_PACKAGES = ("transcription",)
TORCH_ALLOWED_MODULES = {"gitvoice.audio.vad", "gitvoice.audio.vad_stream"}


def test_torch_is_imported_only_by_transcription_and_the_vad() -> None:
    offenders = {m.name for m in MODULES
                 if any(name.split(".")[0] in ("torch", "whisper") for name in m.imports())
                 and not _in(m, *TORCH_ALLOWED_PACKAGES) and m.name not in TORCH_ALLOWED_MODULES}
    assert offenders == set()


def _runs_git(module: Module) -> list[int]:
    """Lines with a list or tuple literal that starts with "git": an argument list for a git process."""
    return [node.lineno for node in ast.walk(module.tree)
            if isinstance(node, ast.List | ast.Tuple) and node.elts
            and isinstance(node.elts[0], ast.Constant) and node.elts[0].value == "git"]


def test_git_runs_only_inside_the_git_package() -> None:
    outside = {m.name: lines for m in MODULES if not _in(m, "git") and (lines := _runs_git(m))}
    assert outside == {}
    assert not [m.name for m in MODULES if not _in(m, "git") and any(n.split(".")[0] == "git" for n in m.imports())]


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        if not module.package:
            continue
        targets = graph.setdefault(module.package, set())
        for name in module.imports():
            parts = name.split(".")
            if parts[0] == "gitvoice" and len(parts) > 1 and parts[1] != module.package \
                    and (PACKAGE / parts[1]).is_dir():
                targets.add(parts[1])
    return graph


def test_packages_form_no_cycle() -> None:
    graph = _package_graph()
    visiting: list[str] = []
    done: set[str] = set()

    def visit(package: str) -> None:
        if package in done:
            return
        if package in visiting:
            pytest.fail("import cycle between packages: " + " -> ".join([*visiting[visiting.index(package):],
                                                                         package]))
        visiting.append(package)
        for target in sorted(graph.get(package, ())):
            visit(target)
        visiting.pop()
        done.add(package)

    for package in sorted(graph):
        visit(package)


def test_the_checks_themselves_catch_a_violation() -> None:
    """A fabricated module that breaks every rule is caught by every check (so none of them passes vacuously)."""
    source = ("import click\nimport torch\nfrom gitvoice.git.repo import repo_root\nfrom gitvoice.cli import main\n"
              "def f():\n    print('x')\n    return ['git', 'status']\n")
    fake = Module("gitvoice.composition.fake", PACKAGE / "composition" / "fake.py", ast.parse(source))
    assert _violations([fake], ("git",)) == {"gitvoice.composition.fake": ["gitvoice.git.repo",
                                                                           "gitvoice.git.repo.repo_root"]}
    assert _prints(fake) == [6]
    assert _runs_git(fake) == [7]
    assert any(name.split(".")[0] == "torch" for name in fake.imports())
