"""What gitvoice's hook scripts run: `python -c ... HOOK ARGS` (see gitvoice.git.hooks), `git voice hooks run`
and the pre-commit framework's entries.

Every commit passes through here, from terminals, IDEs, GUI clients and CI alike, so the path where there is
nothing to do imports only the standard library and gitvoice's git helpers (never torch, click or GitPython);
benchmarks/hook_cost.py measures it. This module is an entry point like gitvoice/cli/: it may print (one line
per problem, on stderr), but it never uses click.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# prepare-commit-msg's second argument (githooks(5)): "message" (-m/-F), "template" (-t, commit.template),
# "merge", "squash", or "commit" (-c/-C/--amend). Only a plain `git commit` leaves it empty.
PRE_COMMIT_SOURCE_ENV = "PRE_COMMIT_COMMIT_MSG_SOURCE"  # how the pre-commit framework passes that argument


def _say(line: str) -> None:
    sys.stderr.write(f"gitvoice: {line}\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Run the hook named by argv[0] with git's arguments; the exit status git sees."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        _say("usage: python -m gitvoice.hooks.entry prepare-commit-msg|commit-msg ARGS...")
        return 2
    hook, hook_args = args[0], args[1:]
    from gitvoice.core.notices import show_notices_on_stderr

    show_notices_on_stderr()
    if hook == "prepare-commit-msg":
        return prepare_commit_msg(hook_args)
    if hook == "commit-msg":
        return commit_msg(hook_args)
    if hook == "post-commit":
        return post_commit()
    _say(f"unknown hook {hook!r}; nothing done")
    return 0


# --- prepare-commit-msg ----------------------------------------------------------------------------------------

def prepare_commit_msg(args: list[str]) -> int:
    """Fill the message of a plain `git commit` from speech; never blocks the commit (always 0)."""
    if not args:
        return 0
    message_file = Path(args[0])
    source = args[1] if len(args) > 1 else os.environ.get(PRE_COMMIT_SOURCE_ENV, "")
    if source:
        return 0  # git (or the user, with -m/-F/-c/-C/--amend/a template) already has the message
    try:
        _prepare(message_file)
    except KeyboardInterrupt:
        _say("voice message skipped (interrupted); the commit message is left as git prepared it")
    except Exception as exc:  # nothing inside this hook may cost the user their commit
        detail = str(getattr(exc, "message", "") or exc).splitlines()
        _say(f"voice message skipped: {detail[0] if detail else exc.__class__.__name__}; "
             "the commit message is left as git prepared it")
    return 0


def _prepare(message_file: Path) -> None:
    pending = _pending_recording()
    if pending is not None:
        from gitvoice.hooks.voice import fill_from_recording

        fill_from_recording(message_file, pending)
        return
    terminal = _open_terminal()
    if terminal is None:
        return  # IDE, GUI client, CI: nobody can answer
    try:
        from gitvoice.config import settings

        if not settings.resolve_bool(settings.PROMPT):
            return
        from gitvoice.hooks.voice import fill_from_speech

        fill_from_speech(message_file, terminal)
    finally:
        os.close(terminal)


def _pending_recording() -> int | None:
    """The id of the newest recording `git voice record` left for the next commit, if any.

    The store is opened only when it exists, so a repository that never used gitvoice pays for one
    `git rev-parse` and a stat. (Recordings made with `record -o FILE` live outside the recordings folder, so
    that folder's contents say nothing.)
    """
    from gitvoice.store.history import STORE_FILE, Store
    from gitvoice.store.recordings import gitvoice_dir

    if not (gitvoice_dir() / STORE_FILE).is_file():
        return None

    with Store.open() as store:
        entry = store.latest_pending(origin="record")
    return entry.id if entry is not None else None


def _open_terminal() -> int | None:
    """A read-write descriptor on the controlling terminal, or None when there is none (IDE, CI, a daemon)."""
    try:
        return os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None


# --- post-commit ------------------------------------------------------------------------------------------------

def post_commit() -> int:
    """Attach the voice note to the commit just made when prepare-commit-msg drafted its message; git ignores
    post-commit's status, and nothing here may disturb the commit (always 0)."""
    try:
        from gitvoice.store.history import STORE_FILE
        from gitvoice.store.recordings import gitvoice_dir

        if not (gitvoice_dir() / STORE_FILE).is_file():
            return 0  # a repository that never used gitvoice: one `git rev-parse` and a stat
        from gitvoice.hooks.voice import attach_to_head

        attach_to_head()
    except Exception as exc:  # the commit exists; say why its note is missing, never fail it
        detail = str(getattr(exc, "message", "") or exc).splitlines()
        _say(f"the voice note was not attached: {detail[0] if detail else exc.__class__.__name__}; "
             "`git voice history` lists the recording, `git voice note --audio PATH` attaches it")
    return 0


# --- commit-msg ------------------------------------------------------------------------------------------------

def commit_msg(args: list[str]) -> int:
    """0 when the message follows Conventional Commits (or is exempt); 1 with the reasons when it does not."""
    if not args:
        _say("commit-msg: no message file given")
        return 1
    from gitvoice.core.errors import GitVoiceError, error_lines
    from gitvoice.hooks.check import check_commit_msg_file

    try:
        checked = check_commit_msg_file(Path(args[0]))
    except GitVoiceError as error:  # git expects 1 from a commit-msg hook that refuses, whatever the cause
        sys.stderr.write("\n".join(error_lines(error)) + "\n")
        return 1
    if checked.lines:
        sys.stderr.write("\n".join(checked.lines) + "\n")
    return 0 if checked.passed else 1


if __name__ == "__main__":
    sys.exit(main())
