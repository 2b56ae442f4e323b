"""The code vocabulary: the one place that decides which words a transcript must spell as the code does.

Every command that transcribes builds it here, from the user's hotwords (`--hotword`, `.gitvoice/hotwords.txt`)
and the identifiers of the change being described, and restores those spellings in the transcript here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gitvoice.composition.changes import EMPTY_CONTEXT, DiffContext


@dataclass(frozen=True)
class CodeVocabulary:
    """Words to spell as given, most important first (the user's own words, then the diff's identifiers)."""

    words: tuple[str, ...] = ()
    context: DiffContext = field(default=EMPTY_CONTEXT)  # the change the identifiers come from

    def restore(self, text: str) -> str:
        """`text` with every run of spoken words that spells one of the words replaced by it."""
        if not self.words:
            return text
        from gitvoice.composition.restore import restore_identifiers

        return restore_identifiers(text, self.words)


NO_VOCABULARY = CodeVocabulary()
# A vocabulary, or a function that builds one: called once the model loads, so building it costs no waiting.
VocabularySource = CodeVocabulary | Callable[[], CodeVocabulary]


def resolved_vocabulary(source: VocabularySource) -> CodeVocabulary:
    return source() if callable(source) else source


def code_vocabulary(context: DiffContext = EMPTY_CONTEXT, *, root: Path | None, hotwords: Sequence[str] = (),
                    use_context: bool = True) -> CodeVocabulary:
    """Hotwords from the flags, then `.gitvoice/hotwords.txt` at `root`, then (unless `use_context` is off)
    the identifiers of `context`, each once."""
    from gitvoice.composition.identifiers import diff_identifiers
    from gitvoice.config.hotwords import read_hotwords_file

    words = [*hotwords, *read_hotwords_file(root)]  # the user's own words first: asked for explicitly
    if use_context:
        words += diff_identifiers(context)
    return CodeVocabulary(tuple(dict.fromkeys(word.strip() for word in words if word.strip())), context)


def commit_vocabulary(*, hotwords: Sequence[str] = (), use_context: bool = True, all_tracked: bool = False,
                      amend: bool = False, cwd: Path | None = None) -> CodeVocabulary:
    """The vocabulary of the commit about to be made: with -a every tracked change (`git diff HEAD`), with
    --amend also HEAD's own changes, else the index (which honours a hook's GIT_INDEX_FILE)."""
    from gitvoice.git.diff import commit_context
    from gitvoice.git.repo import repo_root

    context = commit_context(all_tracked=all_tracked, amend=amend, cwd=cwd)
    return code_vocabulary(context, root=repo_root(cwd), hotwords=hotwords, use_context=use_context)


def staged_vocabulary(*, hotwords: Sequence[str] = (), use_context: bool = True,
                      cwd: Path | None = None) -> CodeVocabulary:
    """The vocabulary of whatever is staged, if this is a repository (hotwords only outside one)."""
    from gitvoice.git.repo import repo_root

    root = repo_root(cwd)
    if root is None or not use_context:
        return code_vocabulary(root=root, hotwords=hotwords, use_context=False)
    from gitvoice.git.diff import staged_context

    return code_vocabulary(staged_context(cwd), root=root, hotwords=hotwords)
