"""`git voice check`: the commit-msg rules for a message file (pre-commit's commit-msg stage), a range of
commits (CI) or a message given on the command line."""

from __future__ import annotations

from pathlib import Path

import click

from gitvoice.core.errors import UsageError
from gitvoice.hooks.check import Rules, check_commit_msg_file, message_violations, rejection_report, repository_rules


@click.command()
@click.option("--commit-msg-file", "message_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A message file as git hands it to commit-msg (comments and the scissors part are ignored).")
@click.option("--rev-range", metavar="RANGE",
              help="Check every commit `git log RANGE` lists, e.g. origin/main..HEAD (Merge, Revert, fixup!, "
                   "squash! and amend! commits pass).")
@click.option("-m", "--message", metavar="MSG", help="Check this message.")
def check(message_file: Path | None, rev_range: str | None, message: str | None) -> int:
    """Check commit messages against Conventional Commits 1.0.0 with this repository's commit types.

    Exits 1 when a message breaks a rule, naming the rule, the line and the fix.
    """
    given = [name for name, value in (("--commit-msg-file", message_file), ("--rev-range", rev_range),
                                      ("-m", message)) if value is not None]
    if len(given) != 1:
        raise UsageError("give exactly one of --commit-msg-file, --rev-range or -m",
                         hint="e.g. `git voice check --rev-range origin/main..HEAD`")
    if message_file is not None:
        report = check_commit_msg_file(message_file)
        if report:
            click.echo("\n".join(report), err=True)
        return 1 if report else 0
    rules = repository_rules()
    if message is not None:
        # Exactly the text given: nothing is a comment in a message that never went through an editor.
        violations = message_violations(message, rules, comment_char="")
        if violations:
            click.echo("\n".join(rejection_report(violations, rules, None)), err=True)
        return 1 if violations else 0
    assert rev_range is not None
    return _check_range(rev_range, rules)


def _check_range(rev_range: str, rules: Rules) -> int:
    from gitvoice.git.messages import commit_messages

    commits = commit_messages(rev_range)
    rejected = 0
    for commit in commits:
        violations = message_violations(commit.message, rules, comment_char="")
        if not violations:
            continue
        rejected += 1
        click.echo(f"{commit.sha[:12]} {commit.header}", err=True)
        for violation in violations:
            click.echo(f"  line {violation.line_number}: {violation.line!r}", err=True)
            click.echo(f"    rule {violation.rule}: {violation.fix}", err=True)
    noun = "commit" if len(commits) == 1 else "commits"
    if rejected:
        click.echo(f"gitvoice: {rejected} of {len(commits)} {noun} in {rev_range} break Conventional Commits "
                   f"(allowed types: {', '.join(rules.types)})", err=True)
        return 1
    verb = "follows" if len(commits) == 1 else "follow"
    click.echo(f"{len(commits)} {noun} in {rev_range} {verb} Conventional Commits")
    return 0
