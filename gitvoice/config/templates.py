"""Jinja2 templates for what gitvoice writes: the built-in default, or the repository's own override.

A repository's templates come with the code the user just cloned, so they are untrusted input: they are rendered in
jinja2's immutable sandbox (no attributes starting with `_`, no calls to unsafe methods, no mutating of the values
we pass), and every variable must exist (StrictUndefined), so a typo fails instead of leaving a gap in a letter.
Any error names the file and the line: `.gitvoice/templates/cover-letter.j2:3: ...`.
"""

from __future__ import annotations

import textwrap
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitvoice.config.repo_files import RepositoryFileError, read_repository_file
from gitvoice.core.errors import GitVoiceError

TEMPLATES_DIR = Path(".gitvoice") / "templates"  # in the repository, beside .gitvoice/hotwords.txt
BUILTIN_DIR = Path(__file__).parent.parent / "composition" / "templates"
COVER_LETTER = "cover-letter.j2"


class TemplateError(GitVoiceError):
    """A template that does not parse, uses a missing variable, or touches what the sandbox forbids."""


@dataclass(frozen=True)
class LoadedTemplate:
    name: str  # what errors call it: the repository-relative path, or "built-in cover-letter.j2"
    builtin: bool
    template: Any  # jinja2.Template (jinja2 is imported only when a template is used)

    def render(self, context: Mapping[str, object]) -> str:
        """The rendered text; TemplateError naming the file and line for any failure inside the template,
        including one that runs longer than MAX_RENDER_S or writes more than MAX_OUTPUT_CHARS."""
        budget = _Budget()
        self.template.globals["range"] = budget.range
        parts: list[str] = []
        written = 0
        try:
            for part in self.template.generate(**context):
                written += len(part)
                if written > MAX_OUTPUT_CHARS:
                    raise TemplateLimit(f"output longer than {MAX_OUTPUT_CHARS:,} characters")
                budget.check_time()
                parts.append(part)
        except Exception as exc:  # anything a template can raise: undefined, SecurityError, TypeError, ...
            raise self._error(exc, _template_line(exc, self.name)) from exc
        return "".join(parts)

    def _error(self, exc: Exception, line: int | None) -> TemplateError:
        return template_error(self.name, line, exc, self.builtin)


def template_error(name: str, line: int | None, exc: Exception, builtin: bool) -> TemplateError:
    where = f"{name}:{line}" if line is not None else name
    detail = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    hint = ("this is a bug in gitvoice; please report it" if builtin
            else f"fix {name}, or delete it to use gitvoice's built-in template (docs/format-patch.md lists the "
                 "variables)")
    return TemplateError(f"{where}: {detail}", hint=hint)


def _template_line(exc: BaseException, name: str) -> int | None:
    """The template line being rendered: jinja2 rewrites tracebacks so template frames carry its file name."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == name]
    return lines[-1] if lines else None


def wrap_filter(text: str, width: int = 72, indent: str = "") -> str:
    """`{{ text | wrap(72, "  ") }}`: wrap each paragraph at `width` columns; identifiers are never split."""
    paragraphs = str(text).split("\n\n")
    wrapped = [
        "\n".join(textwrap.wrap(" ".join(p.split()), width, initial_indent=indent, subsequent_indent=indent,
                                break_long_words=False, break_on_hyphens=False))
        for p in paragraphs
    ]
    return "\n\n".join(wrapped)


MAX_OUTPUT_CHARS = 256 * 1024  # a cover letter is a few kB; a template must not write hundreds of MB
MAX_RENDER_S = 2.0  # wall time for one render
MAX_ITERATIONS = 100_000  # range() items over the whole render: nested loops cannot run for hours


class _Budget:
    """What one render may still spend: range() items, and time (checked as range() is called and as output
    is produced)."""

    def __init__(self) -> None:
        self.iterations = 0
        self.deadline = time.monotonic() + MAX_RENDER_S

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"rendering took longer than {MAX_RENDER_S:g} s")

    def range(self, *args: int) -> range:
        items = range(*args)
        self.iterations += len(items)
        self.check_time()
        if self.iterations > MAX_ITERATIONS:
            raise TemplateLimit(f"more than {MAX_ITERATIONS:,} loop iterations")
        return items


class TemplateLimit(Exception):
    """A template that would run too long or write too much."""


def _environment(name: str, source: str, budget: _Budget) -> Any:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            # 'x' * 300000000 or 9 ** 999999: refuse before building the value.
            sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int)]
            if operator == "*" and sizes and counts and sizes[0] * max(counts) > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"a value longer than {MAX_OUTPUT_CHARS:,} characters")
            if operator == "**" and counts and abs(right) > 64:
                raise TemplateLimit("a power larger than 64")
            return super().call_binop(context, operator, left, right)

    def load(template_name: str) -> tuple[str, str, Any]:
        if template_name != name:  # include, import and extends: a template is one file
            raise jinja2.TemplateNotFound(f"{template_name} (templates cannot include, import or extend other "
                                          "templates)")
        # jinja2 takes our display name as the file name, so tracebacks (and our errors) point at it.
        return source, name, lambda: True

    env = BoundedEnvironment(loader=jinja2.FunctionLoader(load), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["wrap"] = wrap_filter
    env.globals["range"] = budget.range
    return env


def load_template(path: Path, name: str, builtin: bool = False, root_file: bytes | None = None) -> LoadedTemplate:
    """Parse the template at `path` (or its bytes, `root_file`, read safely from the repository); TemplateError
    (file:line) when it does not parse."""
    import jinja2

    try:
        source = (root_file if root_file is not None else path.read_bytes()).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{name}: cannot read the template: {exc}",
                            hint="it must be a UTF-8 text file") from exc
    try:
        template = _environment(name, source, _Budget()).get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(name, exc.lineno, exc, builtin) from exc
    return LoadedTemplate(name=name, builtin=builtin, template=template)


def cover_letter_template(repo_root: Path | None) -> LoadedTemplate:
    """The repository's `.gitvoice/templates/cover-letter.j2` when it has one, else the built-in default."""
    if repo_root is not None:
        relative = TEMPLATES_DIR / COVER_LETTER
        try:
            data = read_repository_file(repo_root, relative)
        except RepositoryFileError as error:
            raise TemplateError(error.message, hint=error.hint) from error
        if data is not None:
            return load_template(repo_root / relative, relative.as_posix(), root_file=data)
    return load_template(BUILTIN_DIR / COVER_LETTER, f"built-in {COVER_LETTER}", builtin=True)
