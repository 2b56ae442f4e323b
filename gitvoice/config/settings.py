"""Settings resolved in one order everywhere: flag, then environment variable, then git config, then default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gitvoice.git.repo import config_get


@dataclass(frozen=True)
class Setting:
    env: str  # environment variable
    git_key: str  # git config key
    default: str


DEVICE = Setting("GITVOICE_DEVICE", "voice.device", "auto")
MODEL = Setting("GITVOICE_MODEL", "voice.model", "tiny.en")
LANGUAGE = Setting("GITVOICE_LANGUAGE", "voice.language", "")


def resolve(setting: Setting, flag_value: str | None, cwd: Path | None = None) -> str:
    if flag_value:
        return flag_value
    env_value = os.environ.get(setting.env)
    if env_value:
        return env_value
    configured = config_get(setting.git_key, cwd)
    if configured:
        return configured
    return setting.default
