"""gitvoice.composition.commitizen against the installed commitizen (requirements/dev.txt), message by message.

Every corpus message goes through commitizen's own `Check` command (what `cz check` runs) under each setting
below, as `--message` and as `--commit-msg-file`; the verdict must match.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from gitvoice.composition.commitizen import cz_check

commitizen = pytest.importorskip("commitizen", reason="commitizen is not installed (requirements/dev.txt)")

from commitizen.commands.check import Check  # noqa: E402
from commitizen.config import BaseConfig  # noqa: E402
from commitizen.exceptions import CommitizenException  # noqa: E402


@dataclass(frozen=True)
class Setting:
    id: str  # the test id
    name: str = "cz_conventional_commits"  # [tool.commitizen] name
    schema_pattern: str | None = None  # [tool.commitizen.customize] schema_pattern (cz_customize only)
    arguments: dict[str, Any] = field(default_factory=dict)  # cz check flags: allowed_prefixes, allow_abort, ...


SETTINGS = (
    Setting("conventional"),
    Setting("no-prefixes", arguments={"allowed_prefixes": []}),
    Setting("own-prefixes", arguments={"allowed_prefixes": ["WIP", "chore(release)", "v"]}),
    Setting("allow-abort", arguments={"allow_abort": True}),
    Setting("length-50", arguments={"message_length_limit": 50}),
    Setting("jira", name="cz_jira"),
    Setting("customize", name="cz_customize",
            schema_pattern=r"(feat|fix|docs)(\([a-z/-]+\))?!?: [a-z][^\n]{0,60}(\n\n[\s\S]*)?$"),
    Setting("customize-empty", name="cz_customize", schema_pattern=""),
)


def _commitizen_verdict(setting: Setting, message: str, path: Path | None) -> bool:
    config = BaseConfig()
    config.update({"name": setting.name})
    if setting.name == "cz_customize":
        config.update({"customize": {"schema_pattern": setting.schema_pattern}})
    arguments: dict[str, Any] = dict(setting.arguments)
    if path is None:
        arguments["message"] = message
    else:
        path.write_bytes(message.encode("utf-8"))
        arguments["commit_msg_file"] = str(path)
    try:
        Check(config, arguments)()  # type: ignore[arg-type]
    except CommitizenException:
        return False
    return True


def _ours(setting: Setting, message: str, from_file: bool) -> bool:
    arguments = setting.arguments
    return cz_check(message, name=setting.name, schema_pattern=setting.schema_pattern,
                    allowed_prefixes=arguments.get("allowed_prefixes"),
                    allow_abort=arguments.get("allow_abort", False),
                    message_length_limit=arguments.get("message_length_limit", 0), from_file=from_file).valid


def _messages(corpus: list[dict[str, str]]) -> Iterator[tuple[str, str]]:
    yield from ((entry["id"], entry["message"]) for entry in corpus)
    extra = ("", "   ", "# only comment", "bump: version 1.0.0 → 1.1.0", "WIP: x", "Pull request #3", "v1.2.3",
             "chore(release): 1.2.3", "PROJ-12 #comment fixed it", "fix PROJ-12 #time 1h", "feat: x\n\nbody\n\n",
             "feat: x\nbody", "feat: x\n \nbody", "feat(a b): x", "feat(): x", "feat(a)(b): x", "feat(a\tb): x")
    yield from ((f"extra-{i:02d}", text) for i, text in enumerate(extra))


@pytest.mark.parametrize("from_file", [False, True], ids=["message", "file"])
@pytest.mark.parametrize("setting", SETTINGS, ids=[s.id for s in SETTINGS])
def test_cz_check_agrees_with_commitizen(corpus: list[dict[str, str]], setting: Setting, from_file: bool,
                                         tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mismatches, compared = [], 0
    for message_id, message in _messages(corpus):
        expected = _commitizen_verdict(setting, message, tmp_path / "COMMIT_EDITMSG" if from_file else None)
        ours = _ours(setting, message, from_file)
        compared += 1
        if ours != expected:
            mismatches.append(f"{message_id} {message!r}: commitizen {expected}, gitvoice {ours}")
    capsys.readouterr()
    assert compared >= 400
    assert not mismatches, f"{len(mismatches)}/{compared} disagree:\n" + "\n".join(mismatches[:25])


@pytest.mark.parametrize("message", ["feat: add x", "Feat: add x", "fixup! x", "feat: x\n# c\n# --------"
                                     "---------------- >8 ------------------------\nnot: checked", ""])
def test_api_harness_matches_the_cz_command(message: str, tmp_path: Path) -> None:
    """Check() as the tests above drive it decides as the `cz check --message` command line does (run in an
    empty directory: no project configuration)."""
    completed = subprocess.run([sys.executable, "-m", "commitizen", "check", "--message", message],
                               capture_output=True, text=True, check=False, timeout=60, cwd=tmp_path)
    assert (completed.returncode == 0) == cz_check(message).valid, completed.stdout + completed.stderr
