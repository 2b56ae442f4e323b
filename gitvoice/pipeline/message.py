"""A transcript becomes the commit message: one composer for `git voice commit` and the prepare-commit-msg hook,
so a hook-made message and a `git voice commit` message never differ.

Beside the message, `compose_commit_draft` gathers what the user should see before committing (DraftNotes):
other subjects, what was said against what changed (composition/consistency.py), and the reference a branch
name offers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitvoice.pipeline.vocabulary import CodeVocabulary

if TYPE_CHECKING:
    from gitvoice.composition.compose import ComposeOptions
    from gitvoice.composition.conventional import CommitMessage, Footer
    from gitvoice.composition.editor_notes import DraftNotes
    from gitvoice.config.conventions import Conventions

# Changed lines above which the repository is not searched for the names said (each is a `git grep`): a diff
# this large is a vendored tree or a generated file, and the check must stay instant.
HUGE_DIFF_LINES = 20_000


@dataclass(frozen=True)
class ComposeFlags:
    """What the user fixed by hand, whatever was said."""

    commit_type: str | None = None  # --type
    scope: str | None = None  # --scope
    breaking: bool = False  # --breaking
    signoff: bool = False  # -s: a Signed-off-by trailer


@dataclass(frozen=True)
class ComposedDraft:
    text: str  # the message as it is committed (and kept in the store): never a comment line in it
    notes: DraftNotes  # for the editor's comment lines, or warnings with --no-edit


def compose_commit_message(transcript: str, vocabulary: CodeVocabulary, flags: ComposeFlags = ComposeFlags(),
                           cwd: Path | None = None) -> str:
    """The draft text: the composed Conventional Commit in the repository's conventions, its footers (and
    sign-off) added by `git interpret-trailers` so they sit where git puts trailers."""
    return compose_commit_draft(transcript, vocabulary, flags, cwd, with_notes=False).text


def compose_commit_draft(transcript: str, vocabulary: CodeVocabulary, flags: ComposeFlags = ComposeFlags(),
                         cwd: Path | None = None, *, with_notes: bool = True) -> ComposedDraft:
    """The message and, with `with_notes`, the notes for the user (alternatives, consistency, branch reference)."""
    from gitvoice.composition.alternatives import alternative_headers
    from gitvoice.composition.compose import compose_message, subject_in_case
    from gitvoice.composition.conventional import render_message
    from gitvoice.composition.editor_notes import DraftNotes
    from gitvoice.config.conventions import repository_conventions
    from gitvoice.git.commit import add_trailers, signoff_footer

    conventions = repository_conventions(cwd)
    options = _options(conventions, flags, vocabulary, cwd)
    message = compose_message(transcript, vocabulary.context, options)
    if conventions.rules.commitizen is None:
        message = subject_in_case(message, conventions.rules.lint_rules, vocabulary.words)
    # The branch's reference goes into the message when the repository requires one, notes or not, so the
    # prepare-commit-msg hook's message is this one too.
    footers, warnings, suggestions = _branch_reference(message.footers, conventions, options, cwd)
    notes = DraftNotes()
    if with_notes:
        alternatives = tuple(_in_case(header, message, conventions, vocabulary)
                             for header in alternative_headers(transcript, vocabulary.context, options, message))
        notes = DraftNotes(alternatives, (*consistency_warnings(transcript, vocabulary, cwd), *warnings),
                           suggestions)
    message = replace(message, footers=footers)
    trailers = [*message.footers, *([signoff_footer(cwd)] if flags.signoff else [])]
    return ComposedDraft(add_trailers(render_message(replace(message, footers=())), trailers, cwd), notes)


def draft_notes_for_reuse(transcript: str, vocabulary: CodeVocabulary, message_text: str,
                          cwd: Path | None = None) -> DraftNotes:
    """The notes for a kept draft (`--reuse`): the consistency check and the branch's reference; no alternatives,
    the draft may have been edited since."""
    from gitvoice.composition.conventional import parse_footers
    from gitvoice.composition.editor_notes import DraftNotes
    from gitvoice.config.conventions import repository_conventions

    conventions = repository_conventions(cwd)
    options = _options(conventions, ComposeFlags(), vocabulary, cwd)
    footers = parse_footers(message_text.rstrip("\n").splitlines())
    _, warnings, suggestions = _branch_reference(footers, conventions, options, cwd, may_add=False)
    return DraftNotes((), (*consistency_warnings(transcript, vocabulary, cwd), *warnings), suggestions)


def consistency_warnings(transcript: str, vocabulary: CodeVocabulary, cwd: Path | None = None) -> tuple[str, ...]:
    """What was said against what changed, one line each; () when `voice.consistency` is off."""
    from gitvoice.composition.consistency import check_consistency, names_to_look_up
    from gitvoice.config import settings
    from gitvoice.git.repo import names_in_repository

    if not settings.resolve_bool(settings.CONSISTENCY, cwd=cwd):
        return ()
    context = vocabulary.context
    terms = names_to_look_up(transcript, context)
    huge = context.diff_text.count("\n") > HUGE_DIFF_LINES
    known = None if huge else (names_in_repository(terms, cwd) if terms else frozenset())
    return tuple(finding.message for finding in check_consistency(transcript, context, known))


def _options(conventions: Conventions, flags: ComposeFlags, vocabulary: CodeVocabulary,
             cwd: Path | None) -> ComposeOptions:
    from gitvoice.composition.compose import ComposeOptions

    return ComposeOptions(commit_type=flags.commit_type, scope=flags.scope, breaking=flags.breaking,
                          types=conventions.types, scopes=conventions.scopes, scope_map=conventions.scope_map,
                          subject_width=conventions.subject_width, backticks=conventions.backticks,
                          identifiers=vocabulary.words, reference_style=reference_style(cwd))


def reference_style(cwd: Path | None = None) -> str:
    """`voice.referenceStyle`: github (`Fixes #42`, the default) or trailer (`Fixes: #42`)."""
    from gitvoice.composition.references import REFERENCE_STYLES
    from gitvoice.config import settings
    from gitvoice.core.errors import UsageError

    style = settings.resolve(settings.REFERENCE_STYLE, cwd=cwd).strip().lower()
    if style not in REFERENCE_STYLES:
        raise UsageError(f"git config voice.referenceStyle: {style!r} is not one of {', '.join(REFERENCE_STYLES)}",
                         hint="git config voice.referenceStyle github (Fixes #42) or trailer (Fixes: #42)")
    return style


def _branch_reference(footers: tuple[Footer, ...], conventions: Conventions, options: ComposeOptions,
                      cwd: Path | None, *, may_add: bool = True
                      ) -> tuple[tuple[Footer, ...], tuple[str, ...], tuple[str, ...]]:
    """(footers, warnings, suggestions) with the branch name's reference: offered when none was said, added when
    the repository's commitlint requires one (references-empty: never), a warning when another one was said."""
    from gitvoice.composition.references import branch_reference, is_reference, same_reference
    from gitvoice.git.repo import current_branch

    offered = branch_reference(current_branch(cwd), options.reference_style)
    if offered is None:
        return footers, (), ()
    said = [footer for footer in footers if is_reference(footer)]
    if said:
        if any(same_reference(footer, offered.footer) for footer in said):
            return footers, (), ()
        spoken = ", ".join(footer.render() for footer in said)
        return footers, (f"you referenced {spoken}, but the branch `{offered.branch}` names "
                         f"{offered.footer.render()}",), ()
    rule = conventions.rules.rule("references-empty")
    required = rule is not None and rule.level > 0 and rule.when == "never" and conventions.rules.commitizen is None
    if required and may_add:
        return (offered.footer, *footers), (), ()
    return footers, (), (offered.footer.render(),)


def _in_case(header: str, message: CommitMessage, conventions: Conventions, vocabulary: CodeVocabulary) -> str:
    """An alternative header in the subject case the repository's rules want, as the message's subject is."""
    from gitvoice.composition.compose import subject_in_case

    subject = header[len(message.header) - len(message.subject):]
    if conventions.rules.commitizen is not None:
        return header
    return subject_in_case(replace(message, subject=subject), conventions.rules.lint_rules, vocabulary.words).header
