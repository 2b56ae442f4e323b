"""`git voice check`: the commit-msg rules for a message file (pre-commit's commit-msg stage), a range of
commits (CI) or a message given on the command line."""

from __future__ import annotations

from pathlib import Path

import click

from gitvoice.config.conventions import MessageRules
from gitvoice.core.errors import UsageError
from gitvoice.hooks.check import check_commit_msg_file, check_message, problem_lines, report, repository_rules


@click.command()
@click.option("--commit-msg-file", "message_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A message file as git hands it to commit-msg (comments and the scissors part are ignored).")
@click.option("--rev-range", metavar="RANGE",
              help="Check every commit `git log RANGE` lists, e.g. origin/main..HEAD.")
@click.option("-m", "--message", metavar="MSG", help="Check this message.")
def check(message_file: Path | None, rev_range: str | None, message: str | None) -> int:
    """Check commit messages with this repository's rules, as its own linter would.

    The rules are commitlint's (the repository's configuration; @commitlint/config-conventional when it has
    none) or, in a repository configured for commitizen, `cz check`'s. Exits 1 when a message breaks a rule
    (error level), naming each rule; warnings are shown and never fail. Release commits, merges, reverts and
    fixup!/squash!/amend! commits pass as commitlint's default ignores say.
    """
    given = [name for name, value in (("--commit-msg-file", message_file), ("--rev-range", rev_range),
                                      ("-m", message)) if value is not None]
    if len(given) != 1:
        raise UsageError("give exactly one of --commit-msg-file, --rev-range or -m",
                         hint="e.g. `git voice check --rev-range origin/main..HEAD`")
    if message_file is not None:
        checked = check_commit_msg_file(message_file)
        if checked.lines:
            click.echo("\n".join(checked.lines), err=True)
        return 0 if checked.passed else 1
    rules = repository_rules()
    if message is not None:
        # Exactly the text given, as commitlint reads stdin: nothing is a comment in it.
        verdict = check_message(message, rules)
        lines = report(verdict, rules, None)
        if lines:
            click.echo("\n".join(lines), err=True)
        return 0 if verdict.passed else 1
    assert rev_range is not None
    return _check_range(rev_range, rules)


def _check_range(rev_range: str, rules: MessageRules) -> int:
    from gitvoice.git.messages import commit_messages

    commits = commit_messages(rev_range)
    rejected = 0
    for commit in commits:
        verdict = check_message(commit.message, rules)
        if verdict.passed:
            continue
        rejected += 1
        click.echo(f"{commit.sha[:12]} {commit.header}", err=True)
        click.echo("\n".join(problem_lines(verdict)), err=True)
    noun = "commit" if len(commits) == 1 else "commits"
    if rejected:
        verb = "breaks" if rejected == 1 else "break"
        click.echo(f"gitvoice: {rejected} of {len(commits)} {noun} in {rev_range} {verb} the rules of {rules.source}",
                   err=True)
        return 1
    verb = "follows" if len(commits) == 1 else "follow"
    click.echo(f"{len(commits)} {noun} in {rev_range} {verb} the rules of {rules.source}")
    return 0
