"""`git voice history`: the recordings of this repository, newest first, and what became of them."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from gitvoice.store.history import RecordingEntry, Store

TRANSCRIPT_WIDTH = 48  # characters of the transcript shown in the table


def _start(text: str | None, width: int = TRANSCRIPT_WIDTH) -> str:
    if not text:
        return "-"
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def _row(entry: RecordingEntry) -> str:
    when = entry.created_at.replace("T", " ")[:16]
    commit = entry.commit[:10] if entry.commit else "-"
    return (f"{entry.id:>4}  {when}  {entry.duration_s:6.1f}s  {entry.status:<9}  {commit:<10}  "
            f"{_start(entry.transcript)}")


def _as_json(entry: RecordingEntry) -> dict[str, object]:
    """The entry, its paths as strings, and whether each file is still there: a committed recording lives on
    in refs/notes/voice-audio, and its file is removed."""
    data = asdict(entry)
    data["path"] = str(entry.path)
    data["path_exists"] = entry.path.is_file()
    data["draft_path"] = str(entry.draft_path) if entry.draft_path else None
    data["draft_exists"] = bool(entry.draft_path and entry.draft_path.is_file())
    return data


@click.command()
@click.option("-n", "--max-count", "limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many recordings to list.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the entries, with paths and full transcripts.")
def history(limit: int, as_json: bool) -> None:
    """List past recordings: when, how long, the start of the transcript, status and commit.

    Status: committed (the commit exists), aborted (the commit failed or the message was left empty; the draft
    is kept for `git voice commit --reuse`), pending (recorded, not committed yet), noted or drafted.
    """
    with Store.open() as store:
        entries = store.history(limit)
    if as_json:
        click.echo(json.dumps([_as_json(e) for e in entries], indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo("no recordings yet; `git voice commit` makes one", err=True)
        return
    click.echo(f"{'id':>4}  {'when (UTC)':<16}  {'length':>7}  {'status':<9}  {'commit':<10}  transcript")
    for entry in entries:
        click.echo(_row(entry))
