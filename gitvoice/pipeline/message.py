"""A transcript becomes the commit message: one composer for `git voice commit` and the prepare-commit-msg hook,
so a hook-made message and a `git voice commit` message never differ."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from gitvoice.pipeline.vocabulary import CodeVocabulary


@dataclass(frozen=True)
class ComposeFlags:
    """What the user fixed by hand, whatever was said."""

    commit_type: str | None = None  # --type
    scope: str | None = None  # --scope
    breaking: bool = False  # --breaking
    signoff: bool = False  # -s: a Signed-off-by trailer


def compose_commit_message(transcript: str, vocabulary: CodeVocabulary, flags: ComposeFlags = ComposeFlags(),
                           cwd: Path | None = None) -> str:
    """The draft text: the composed Conventional Commit in the repository's conventions, its footers (and
    sign-off) added by `git interpret-trailers` so they sit where git puts trailers."""
    from gitvoice.composition.compose import ComposeOptions, compose_message, subject_in_case
    from gitvoice.composition.conventional import render_message
    from gitvoice.config.conventions import repository_conventions
    from gitvoice.git.commit import add_trailers, signoff_footer

    conventions = repository_conventions(cwd)
    options = ComposeOptions(commit_type=flags.commit_type, scope=flags.scope, breaking=flags.breaking,
                             types=conventions.types, scopes=conventions.scopes, scope_map=conventions.scope_map,
                             subject_width=conventions.subject_width, backticks=conventions.backticks,
                             identifiers=vocabulary.words)
    message = compose_message(transcript, vocabulary.context, options)
    if conventions.rules.commitizen is None:
        message = subject_in_case(message, conventions.rules.lint_rules, vocabulary.words)
    footers = [*message.footers, *([signoff_footer(cwd)] if flags.signoff else [])]
    return add_trailers(render_message(replace(message, footers=())), footers, cwd)
