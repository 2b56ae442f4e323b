"""Error types that the CLI turns into one line, a hint and an exit code."""

from __future__ import annotations


class GitVoiceError(Exception):
    """A problem the user can fix: shown as `gitvoice: error: ...` plus `hint: ...`, no traceback."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


def error_lines(error: GitVoiceError) -> list[str]:
    """How every entry point shows an error: `gitvoice: error: WHAT` and, when there is one, `hint: HOW`."""
    return [f"gitvoice: error: {error.message}", *([f"hint: {error.hint}"] if error.hint else [])]


class DecodeCancelled(Exception):
    """A decode given up because its result is no longer wanted: a live chunk that later speech made stale, still
    being decoded when the recording stopped. Never shown to the user."""


class UsageError(GitVoiceError):
    """Bad flags or values (click's own usage errors also exit 2)."""

    exit_code = 2


class AudioError(GitVoiceError):
    """A recording that cannot be read, decoded, captured or played."""


class NoSpeechError(AudioError):
    """Audio that holds no speech."""


class ModelError(GitVoiceError):
    """A model that cannot be found, verified, converted or loaded."""


class DeviceError(GitVoiceError):
    """A compute device that was asked for but cannot be used."""


class GitError(GitVoiceError):
    """Git refused or the repository is in a state gitvoice cannot work in."""


class MessageError(GitVoiceError):
    """A commit message that breaks the configured convention."""
