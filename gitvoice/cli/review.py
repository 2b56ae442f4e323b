"""`git voice review [RANGE | PATCH-DIR | PATCH-FILE...]`: a local page to read a series and comment on it aloud."""

from __future__ import annotations

import time
import webbrowser
from pathlib import Path

import click

from gitvoice.core.atomic import write_text_atomically


@click.command()
@click.argument("targets", nargs=-1, metavar="[RANGE | PATCH-DIR | PATCH-FILE]...")
@click.option("--no-open", is_flag=True, help="Print the page's URL instead of opening the browser.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free one).")
@click.option("--no-readback", is_flag=True, help="Do not offer the spoken readback of each commit.")
@click.option("--export-reply", "reply_to", type=click.Path(dir_okay=False, path_type=Path), metavar="PATCH",
              help="Write the mailing-list reply to PATCH (quoted, with the review comments) and exit.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="With --export-reply: write the reply to FILE instead of standard output.")
def review(targets: tuple[str, ...], no_open: bool, port: int, no_readback: bool, reply_to: Path | None,
           output: Path | None) -> int:
    """Review commits or patches in the browser, and comment on lines aloud.

    Give a range (main..topic; default HEAD), a folder written by `git format-patch -o`, or patch files. The
    page shows each commit's message, diff, spoken note and its audio, and reads a commit aloud on request.
    Click a line number (shift-click for a range) or a hunk header to record a comment; it is transcribed
    locally and kept in refs/notes/voice-review. The server listens on 127.0.0.1 only; Ctrl-C stops it.
    """
    if reply_to is not None:
        return _export(reply_to, output, targets)
    from gitvoice.review.series import load_series
    from gitvoice.review.server import ReviewServer, review_app

    series = load_series(targets)
    server = ReviewServer(review_app(series, readback=not no_readback), port)
    server.start()
    click.echo(f"reviewing {len(series.entries)} commit{'s' if len(series.entries) != 1 else ''} at", err=True)
    click.echo(server.url)
    if not server.app.can_comment:
        click.echo(f"gitvoice: {server.app.comment_hint}", err=True)
    if not no_open and not webbrowser.open(server.url):
        click.echo("gitvoice: no browser could be opened; open the URL above", err=True)
    click.echo("Ctrl-C stops the server", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("\nstopped", err=True)
    finally:
        server.shutdown()
        server.server_close()
    return 0


def _export(patch: Path, output: Path | None, targets: tuple[str, ...]) -> int:
    from gitvoice.core.errors import UsageError
    from gitvoice.git.repo import require_repo_root
    from gitvoice.review.comments import CommentStore
    from gitvoice.review.export import export_reply

    if targets:
        raise UsageError("--export-reply takes one patch file and no other targets",
                         hint="git voice review --export-reply outgoing/0001-fix.patch")
    text, count = export_reply(patch, CommentStore(require_repo_root()))
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomically(output, text)
        click.echo(f"wrote {output} ({count} comment{'s' if count != 1 else ''}); "
                   f"send it with `git send-email {output}`", err=True)
    return 0
