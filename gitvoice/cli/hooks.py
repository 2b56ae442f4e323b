"""`git voice hooks install [--force] | uninstall | status`: gitvoice inside a plain `git commit`."""

from __future__ import annotations

import click

from gitvoice.config import settings
from gitvoice.git.hooks import HooksLocation, hooks_status, install_hooks, uninstall_hooks
from gitvoice.git.repo import require_repo_root


def _describe_location(location: HooksLocation) -> None:
    if location.is_redirected:
        click.echo(f"core.hooksPath is set ({location.hooks_path}): git runs hooks from {location.directory}")


def _prompt_line() -> str:
    if settings.resolve_bool(settings.PROMPT):
        return "voice on a plain `git commit` in a terminal: on (git config voice.prompt false turns it off)"
    return ("voice on a plain `git commit` in a terminal: off (git config voice.prompt true turns it on; "
            "a recording from `git voice record` is used either way)")


@click.group()
def hooks() -> None:
    """Install gitvoice's prepare-commit-msg, commit-msg and post-commit hooks.

    prepare-commit-msg fills the message of a plain `git commit` from a `git voice record` recording (or asks
    you to speak, with voice.prompt=true); commit-msg checks the repository's commit rules; post-commit attaches
    the voice note to a commit drafted from speech. Hooks already there keep running first.
    """


@hooks.command()
@click.option("--force", is_flag=True,
              help="Install even into a core.hooksPath folder, and set aside a foreign hook that cannot be chained.")
def install(force: bool) -> None:
    """Install the hooks where git runs them (shared by all worktrees)."""
    require_repo_root()
    location, actions = install_hooks(force=force)
    _describe_location(location)
    for action in actions:
        verb = {"installed": "installed", "updated": "updated", "chained": "installed"}[action.action]
        click.echo(f"{verb} {action.hook} hook: {action.path}")
        if action.action == "chained" and action.chained is not None:
            click.echo(f"  your existing {action.hook} hook now runs first, from {action.chained}; "
                       "`git voice hooks uninstall` puts it back")
        elif action.chained is not None:
            click.echo(f"  still chained: {action.chained} runs first")
        if action.backup is not None:
            click.echo(f"  a foreign {action.hook} hook was set aside (it no longer runs): {action.backup}")
    click.echo(_prompt_line())


@hooks.command()
def uninstall() -> None:
    """Remove gitvoice's hooks and put back the hooks they replaced."""
    require_repo_root()
    location, actions = uninstall_hooks()
    _describe_location(location)
    for action in actions:
        if action.action == "restored":
            click.echo(f"removed the {action.hook} hook; your earlier hook is back at {action.path}")
        elif action.action == "removed":
            click.echo(f"removed the {action.hook} hook: {action.path}")
        elif action.action == "foreign":
            click.echo(f"left {action.path} alone: it is not gitvoice's")
        else:
            click.echo(f"no {action.hook} hook to remove")


@hooks.command()
def status() -> None:
    """Show which hooks are installed, what they run and what they chain."""
    require_repo_root()
    location, statuses = hooks_status()
    click.echo(f"hooks folder: {location.directory}")
    _describe_location(location)
    for item in statuses:
        if item.state in ("installed", "outdated"):
            state = "installed" if item.state == "installed" else "outdated (run `git voice hooks install`)"
            runs = (f"runs {item.python}" + ("" if item.python_exists else " (missing!)")) if item.python \
                else "runs git-voice from PATH"
            chained = f"; runs {item.chained.name} first" if item.chained else ""
            click.echo(f"{item.hook}: {state}, version {item.version}, {runs}{chained}")
        elif item.state == "foreign":
            click.echo(f"{item.hook}: another tool's hook (not gitvoice's): {item.path}")
        else:
            click.echo(f"{item.hook}: not installed")
    click.echo(_prompt_line())


@hooks.command("run", hidden=True, context_settings={"ignore_unknown_options": True})
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def run(arguments: tuple[str, ...]) -> int:
    """What a hook script runs when its recorded Python is gone: HOOK ARGS..."""
    from gitvoice.hooks.entry import main

    return main(list(arguments))

