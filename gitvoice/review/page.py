"""The review page: a series as view models (numbered, highlighted diff rows with their comments) rendered by the
package's Jinja2 template, with autoescaping on for everything (commit messages and diffs are untrusted)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from gitvoice.git.diff_text import FileDiff
from gitvoice.review.anchors import hunk_header, numbered_lines
from gitvoice.review.comments import Comment
from gitvoice.review.highlight import highlight_line, language_suffix
from gitvoice.review.series import Entry, Series

OPEN_FILE_MAX_ROWS = 600  # longer files start collapsed: a click opens them
OPEN_PAGE_MAX_ROWS = 4_000  # beyond this many rows on the page, later files start collapsed too
PRELOAD_AUDIO_MAX_ENTRIES = 20  # larger series load a voice note's audio only when it is played
STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted", "R": "renamed", "C": "copied"}


@dataclass
class Row:
    kind: str  # "+", "-", " " or "@" (a hunk header)
    old_line: int | None
    new_line: int | None
    html: Markup  # the line, highlighted and escaped
    hunk: int  # index of its hunk in the file
    comments: list[Comment] = field(default_factory=list)


@dataclass
class FileView:
    index: int
    path: str
    old_path: str | None
    status: str
    added: int
    removed: int
    binary: bool
    is_open: bool
    rows: list[Row]
    unplaced: list[Comment]  # comments whose lines the diff no longer shows

    @property
    def status_word(self) -> str:
        return STATUS_WORDS.get(self.status, "changed")


@dataclass
class EntryView:
    index: int
    label: str  # short commit id, or the patch's file name
    subject: str
    author: str
    body: str
    note: str | None
    has_audio: bool
    files: list[FileView]
    comments: list[Comment]  # on the commit as a whole

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def comment_count(self) -> int:
        return len(self.comments) + sum(len(f.unplaced) + sum(len(r.comments) for r in f.rows) for f in self.files)

    @property
    def removed(self) -> int:
        return sum(f.removed for f in self.files)


def file_rows(file: FileDiff) -> list[Row]:
    suffix = language_suffix(file.path)
    rows: list[Row] = []
    for number, hunk in enumerate(file.hunks):
        rows.append(Row("@", None, None, Markup.escape(hunk_header(hunk)), number))
        rows.extend(Row(line.kind, line.old_line, line.new_line, highlight_line(line.text, suffix), number)
                    for line in numbered_lines(hunk))
    return rows


def place_comments(rows: list[Row], comments: Sequence[Comment]) -> list[Comment]:
    """Attach each comment to the row of its last line; returns those no row shows."""
    unplaced = []
    for comment in comments:
        row = next((r for r in rows if r.kind != "@" and comment.end_line is not None
                    and (r.old_line if comment.side == "old" else r.new_line) == comment.end_line), None)
        if row is None:
            unplaced.append(comment)
        else:
            row.comments.append(comment)
    return unplaced


def entry_view(index: int, entry: Entry, comments: Sequence[Comment], has_audio: bool, rows_before: int) -> EntryView:
    files = []
    shown = rows_before
    for number, file in enumerate(entry.files):
        rows = file_rows(file)
        own = [c for c in comments if c.file == file.path]
        unplaced = place_comments(rows, own)
        is_open = len(rows) <= OPEN_FILE_MAX_ROWS and shown + len(rows) <= OPEN_PAGE_MAX_ROWS
        shown += len(rows) if is_open else 0
        files.append(FileView(number, file.path, file.old_path, file.status, file.added, file.removed, file.binary,
                              is_open, rows, unplaced))
    paths = {f.path for f in entry.files}
    loose = [c for c in comments if c.file is None or c.file not in paths]
    record = entry.record
    label = entry.key[:7] if entry.patch_path is None else entry.patch_path.name
    return EntryView(index, label, record.subject or record.source, record.author or "", record.body, record.note,
                     has_audio, files, loose)


def environment() -> Environment:
    # Autoescape everything the template renders, whatever the file's name: nothing from the repository is markup.
    return Environment(loader=PackageLoader("gitvoice.review", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_page(series: Series, views: Sequence[EntryView], *, token: str, can_comment: bool,
                comment_hint: str = "") -> str:
    template = environment().get_template("review.html.j2")
    return template.render(series=series, entries=views, token=token, can_comment=can_comment,
                           comment_hint=comment_hint, preload="metadata" if len(views) <= PRELOAD_AUDIO_MAX_ENTRIES
                           else "none")
