"""Jinja2 templates for what gitvoice writes: the built-in default, or the repository's own override.

A repository's templates come with the code the user just cloned, so they are untrusted input: they are rendered in
jinja2's immutable sandbox (no attributes starting with `_`, no calls to unsafe methods, no mutating of the values
we pass), and every variable must exist (StrictUndefined), so a typo fails instead of leaving a gap in a letter.
Any error names the file and the line: `.gitvoice/templates/cover-letter.j2:3: ...`.
"""

from __future__ import annotations

import textwrap
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
        """The rendered text; TemplateError naming the file and line for any failure inside the template."""
        try:
            text: str = self.template.render(**context)
        except Exception as exc:  # anything a template can raise: undefined, SecurityError, TypeError, ...
            raise self._error(exc, _template_line(exc, self.name)) from exc
        return text

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


def _environment(name: str, source: str) -> Any:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # The loader hands jinja2 our display name as the file name, so tracebacks (and our errors) point at it.
    loader = jinja2.FunctionLoader(lambda _name: (source, name, lambda: True))
    env = ImmutableSandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined, autoescape=False,
                                        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["wrap"] = wrap_filter
    return env


def load_template(path: Path, name: str, builtin: bool = False) -> LoadedTemplate:
    """Parse the template at `path`; TemplateError (file:line) when it does not parse."""
    import jinja2

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{name}: cannot read the template: {exc}",
                            hint="it must be a UTF-8 text file") from exc
    try:
        template = _environment(name, source).get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(name, exc.lineno, exc, builtin) from exc
    return LoadedTemplate(name=name, builtin=builtin, template=template)


def cover_letter_template(repo_root: Path | None) -> LoadedTemplate:
    """The repository's `.gitvoice/templates/cover-letter.j2` when it has one, else the built-in default."""
    if repo_root is not None:
        candidate = repo_root / TEMPLATES_DIR / COVER_LETTER
        if candidate.is_file():
            return load_template(candidate, (TEMPLATES_DIR / COVER_LETTER).as_posix())
    return load_template(BUILTIN_DIR / COVER_LETTER, f"built-in {COVER_LETTER}", builtin=True)
