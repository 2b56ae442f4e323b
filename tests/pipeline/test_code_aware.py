"""Code-aware transcription on the shared synthetic clips: a real repository whose staged diff holds each
clip's identifiers, the real `git diff --cached`, the real tiny.en model, then restoration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import Clip, git

from gitvoice.composition.identifiers import diff_identifiers
from gitvoice.composition.restore import restore_identifiers
from gitvoice.git.diff import staged_context

# For each clip, a plausible change a developer would describe that way: (files before, files staged).
# The code is ordinary code; the identifiers occur in it as they would in a real project.
SCENARIOS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "dev02_rename_fetch_user": (
        {"api/__init__.py": "",
         "api/users.py": (
             "from api.db import query\n\n\n"
             "def getUserById(user_id):\n"
             "    return query(\"SELECT * FROM users WHERE id = ?\", user_id)\n\n\n"
             "def user_profile(request):\n"
             "    user = getUserById(request.user_id)\n"
             "    return {\"name\": user.name, \"email\": user.email}\n\n\n"
             "def user_exists(user_id):\n"
             "    return getUserById(user_id) is not None\n")},
        {"api/users.py": (
            "from api.db import query\n\n\n"
            "def fetch_user(user_id):\n"
            "    return query(\"SELECT * FROM users WHERE id = ?\", user_id)\n\n\n"
            "def user_profile(request):\n"
            "    user = fetch_user(request.user_id)\n"
            "    return {\"name\": user.name, \"email\": user.email}\n\n\n"
            "def user_exists(user_id):\n"
            "    return fetch_user(user_id) is not None\n")},
    ),
    "dev04_settings_toml": (
        {"app/config.py": "import os\n\n\ndef database_url():\n    return os.environ[\"DATABASE_URL\"]\n"},
        {"settings.toml": "[database]\nurl = \"postgresql://localhost/app\"\n",
         "app/config.py": (
             "import tomllib\nfrom pathlib import Path\n\n\n"
             "def load_settings(path=Path(\"settings.toml\")):\n"
             "    with path.open(\"rb\") as handle:\n"
             "        return tomllib.load(handle)\n\n\n"
             "def database_url():\n"
             "    return load_settings()[\"database\"][\"url\"]\n")},
    ),
    "dev07_handle_webhook": (
        {"hooks/webhooks.py": (
            "import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
            "def handle_webhook(request):\n"
            "    request_id = request.headers.get(\"X-Request-Id\")\n"
            "    response = forward(request.payload)\n"
            "    return response.json()\n")},
        {"hooks/webhooks.py": (
            "import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
            "def handle_webhook(request):\n"
            "    request_id = request.headers.get(\"X-Request-Id\")\n"
            "    response = forward(request.payload)\n"
            "    if response is None:\n"
            "        log.warning(\"empty response for request %s\", request_id)\n"
            "        return None\n"
            "    return response.json()\n")},
    ),
}


def _write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def staged_repository(root: Path, clip_id: str) -> Path:
    """A repository with the scenario's old files committed and its new files staged."""
    before, after = SCENARIOS[clip_id]
    repo = root / clip_id
    repo.mkdir()
    git(repo, "init", "-q")
    _write(repo, before)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "chore: start")
    _write(repo, after)
    git(repo, "add", "-A")
    return repo


def carried(text: str, identifiers: list[str]) -> list[str]:
    """The identifiers written verbatim in `text` as whole names (`None` in "Nonetheless" does not count)."""
    return [i for i in identifiers if re.search(r"(?<![\w/.])" + re.escape(i) + r"(?![\w/]|\.\w)", text)]


def test_every_synthetic_clip_has_a_scenario(synthetic_clips: list[Clip]) -> None:
    assert {clip.id for clip in synthetic_clips} <= set(SCENARIOS)


def test_scenario_diffs_give_the_clip_identifiers_to_the_prompt(synthetic_clips: list[Clip], tmp_path: Path) -> None:
    from gitvoice.transcription.prompt import build_prompt

    for clip in synthetic_clips:
        repo = staged_repository(tmp_path, clip.id)
        words = diff_identifiers(staged_context(repo))
        prompt = build_prompt(words)
        assert prompt is not None
        assert set(clip.identifiers) <= set(prompt.rstrip(".").split()), (clip.id, prompt)


@pytest.mark.slow
def test_diff_context_carries_identifiers_that_plain_transcription_loses(
        engine: object, synthetic_clips: list[Clip], tmp_path: Path) -> None:
    from gitvoice.audio.files import read_audio
    from gitvoice.transcription.engine import WhisperEngine

    assert isinstance(engine, WhisperEngine)
    with_context: dict[str, list[str]] = {}
    without_context: dict[str, list[str]] = {}
    report = []
    for clip in synthetic_clips:
        samples = read_audio(clip.path)
        words = diff_identifiers(staged_context(staged_repository(tmp_path, clip.id)))
        plain = engine.transcribe(samples).text
        primed = engine.transcribe(samples, vocabulary=words).text
        restored = restore_identifiers(primed, words)
        with_context[clip.id] = carried(restored, clip.identifiers)
        without_context[clip.id] = carried(plain, clip.identifiers)
        report.append(f"{clip.id}: plain={plain!r} primed={primed!r} restored={restored!r}")
    complete = [cid for cid, found in with_context.items()
                if set(found) == set(next(c for c in synthetic_clips if c.id == cid).identifiers)]
    assert len(complete) >= 2, "\n".join(report)
    assert sum(map(len, without_context.values())) < sum(map(len, with_context.values())), "\n".join(report)


def test_issues_the_diff_names_are_kept_out_of_whisper_s_prompt() -> None:
    """Primed with "#10001", tiny.en wrote the spoken digits "one zero zero zero one" as "#10001"; rescoring tries
    an issue where it may have been said instead. A remote server gets the same prompt."""
    from gitvoice.service.wire import prompt_text
    from gitvoice.transcription.prompt import build_prompt

    words = ["shop/checkout.py", "#42", "checkout", "#10001"]
    assert build_prompt(words) == prompt_text(words) == "shop/checkout.py checkout."
