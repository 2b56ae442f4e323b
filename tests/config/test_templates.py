"""Cover-letter templates: the built-in default, a repository's override, and the sandbox that keeps a hostile
repository template from reaching Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitvoice.composition.cover_letter import compose_cover_letter, template_context
from gitvoice.config.templates import TemplateError, cover_letter_template, load_template, wrap_filter

SPOKEN = "Read settings from settings.toml. Since v1, the loader has tests."


def _context(version: str | None = "2") -> dict[str, object]:
    letter = compose_cover_letter(SPOKEN, version=version, identifiers=["settings.toml"])
    return template_context(letter, transcript=SPOKEN, changes_transcript=None,
                            patches=[{"subject": "feat: read TOML", "note": "Spoken words."}])


def _repo_template(root: Path, text: str) -> Path:
    path = root / ".gitvoice" / "templates" / "cover-letter.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_builtin_template_renders_body_and_changes(tmp_path: Path) -> None:
    template = cover_letter_template(tmp_path)  # no repository template here
    assert template.builtin
    assert template.render(_context()) == ("Read settings from `settings.toml`.\n\n"
                                           "Changes in v2:\n- The loader has tests.\n")


def test_builtin_template_without_changes_has_no_section(tmp_path: Path) -> None:
    text = cover_letter_template(tmp_path).render(_context(version=None))
    assert "Changes in" not in text and "the loader has tests" in text


def test_repository_template_wins(tmp_path: Path) -> None:
    _repo_template(tmp_path, "v{{ version }} of {{ patch_count }}: {{ subject }}\n"
                             "{% for p in patches %}{{ p.subject }} ({{ p.note }})\n{% endfor %}")
    template = cover_letter_template(tmp_path)
    assert not template.builtin and template.name == ".gitvoice/templates/cover-letter.j2"
    assert template.render(_context()) == ("v2 of 1: Read settings from settings.toml\n"
                                           "feat: read TOML (Spoken words.)\n")


@pytest.mark.parametrize(("source", "line", "detail"), [
    ("{{ body }}\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 3, "unsafe"),
    ("{{ cycler.__init__.__globals__.os.system('true') }}\n", 1, "unsafe"),
    ("{{ joiner.__init__.__globals__ }}\n", 1, "unsafe"),
    ("{{ body.format.__globals__ }}\n", 1, "unsafe"),
    ("{% set x = patches.append(1) %}\n", 1, "unsafe"),  # the immutable sandbox refuses mutation
    ("{{ body }}\n{{ changez }}\n", 2, "'changez' is undefined"),  # a typo fails; no silent gap in the letter
    ("{{ body }}\n{{ patch_count / 0 }}\n", 2, "division by zero"),
])
def test_template_errors_name_the_file_and_the_line(tmp_path: Path, source: str, line: int, detail: str) -> None:
    _repo_template(tmp_path, source)
    template = cover_letter_template(tmp_path)
    with pytest.raises(TemplateError) as caught:
        template.render(_context())
    assert caught.value.message.startswith(f".gitvoice/templates/cover-letter.j2:{line}: ")
    assert detail in caught.value.message
    assert caught.value.hint is not None and ".gitvoice/templates/cover-letter.j2" in caught.value.hint


def test_syntax_error_is_reported_when_loading(tmp_path: Path) -> None:
    _repo_template(tmp_path, "{{ body }}\n{% for p in patches %}\n{{ p.subject }\n")
    with pytest.raises(TemplateError) as caught:
        cover_letter_template(tmp_path)
    assert caught.value.message.startswith(".gitvoice/templates/cover-letter.j2:3: ")


def test_unreadable_template_is_a_clear_error(tmp_path: Path) -> None:
    path = _repo_template(tmp_path, "")
    path.write_bytes(b"\xff\xfe not utf-8 \x80")
    with pytest.raises(TemplateError, match="cannot read the template"):
        load_template(path, "cover-letter.j2")


def test_wrap_filter_wraps_paragraphs_without_splitting_identifiers() -> None:
    text = "a_very_long_identifier_name " * 4 + "\n\nsecond paragraph"
    assert wrap_filter(text, 40, "  ") == ("  a_very_long_identifier_name\n  a_very_long_identifier_name\n"
                                           "  a_very_long_identifier_name\n  a_very_long_identifier_name\n\n"
                                           "  second paragraph")
