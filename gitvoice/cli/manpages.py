"""Man pages from the click definitions: git turns `git voice --help` into `man git-voice`, so `git-voice.1` and a
page per subcommand (`git-voice-commit.1`, ...) are written where man looks for this environment's commands:
`share/man/man1` beside its `bin/` (man-db derives its search path from PATH). The set-up script writes them, and
the CLI writes them on first use when they are missing or from another version."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import click

from gitvoice import __version__


def man_dir() -> Path:
    """`<environment>/share/man/man1` for the Python running gitvoice."""
    return Path(sys.prefix) / "share" / "man" / "man1"


def _escape(text: str) -> str:
    """roff-safe text: backslashes doubled, a leading dot or quote protected, dashes as minus signs in options."""
    text = text.replace("\\", "\\e")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.splitlines())


def _paragraphs(help_text: str) -> str:
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", help_text.strip()) if block.strip()]
    return "\n.PP\n".join(_escape(block) for block in blocks)


def render_page(command: click.Command, name: str, ctx: click.Context) -> str:
    """One man page in roff: NAME, SYNOPSIS, DESCRIPTION, OPTIONS (and COMMANDS for the group)."""
    short = command.get_short_help_str(limit=80)
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines = [f'.TH "{name.upper()}" "1" "" "gitvoice {__version__}" "gitvoice manual"', ".SH NAME",
             f"{name} \\- {_escape(short)}", ".SH SYNOPSIS", f".B {name.replace('-', ' ', 1)}", _escape(usage),
             ".SH DESCRIPTION", _paragraphs(command.help or short)]
    options = [param for param in command.get_params(ctx) if isinstance(param, click.Option) and not param.hidden]
    if options:
        lines.append(".SH OPTIONS")
        for option in options:
            record = option.get_help_record(ctx)
            if record is None:
                continue
            lines += [".TP", f".B {_escape(record[0])}", _escape(" ".join(record[1].split()))]
    if isinstance(command, click.Group):
        lines.append(".SH COMMANDS")
        for sub_name in command.list_commands(ctx):
            try:
                sub = command.get_command(ctx, sub_name)
            except ImportError:  # not installed here (the speech extra)
                continue
            if sub is not None and not sub.hidden:
                lines += [".TP", f".B {sub_name}", _escape(sub.get_short_help_str(limit=100)),
                          f"See \\fBgit-voice-{sub_name}\\fR(1)."]
    return "\n".join(lines) + "\n"


def write_man_pages(folder: Path | None = None) -> list[Path]:
    """Every page, written into `folder` (default: this environment's man1); the paths written."""
    from gitvoice.cli.main import cli

    folder = folder or man_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    root_ctx = click.Context(cli, info_name="git voice")
    pages: dict[str, tuple[click.Command, click.Context]] = {"git-voice": (cli, root_ctx)}
    for sub_name in cli.list_commands(root_ctx):
        try:
            sub = cli.get_command(root_ctx, sub_name)
        except ImportError:  # a check-only install has no speech stack: no page for what it cannot run
            continue
        if sub is not None and not sub.hidden:
            pages[f"git-voice-{sub_name}"] = (sub, click.Context(sub, info_name=f"git voice {sub_name}",
                                                                 parent=root_ctx))
    for name, (command, ctx) in pages.items():
        path = folder / f"{name}.1"
        path.write_text(render_page(command, name, ctx), encoding="utf-8")
        written.append(path)
    return written


def man_pages_current(folder: Path | None = None) -> bool:
    """Whether this version's pages are there (a cheap check: one small read)."""
    page = (folder or man_dir()) / "git-voice.1"
    try:
        with page.open(encoding="utf-8") as handle:
            return f'"gitvoice {__version__}"' in handle.readline()
    except OSError:
        return False


def ensure_man_pages() -> None:
    """Write the pages when this environment has none of this version. Never in the way of the command that
    runs: an unwritable prefix, or anything else that goes wrong, only means no page."""
    if not man_pages_current():
        with contextlib.suppress(Exception):
            write_man_pages()


@click.command("manpages", hidden=True)
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Write the pages here instead of this environment's share/man/man1.")
def manpages(folder: Path | None) -> None:
    """Write the man pages (git-voice.1 and one per command)."""
    for path in write_man_pages(folder):
        click.echo(str(path))
