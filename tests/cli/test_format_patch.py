"""`git voice format-patch` in real repositories: the patches still apply with `git am`, the spoken notes sit below
`---`, the cover letter is filled (or, without speech, visibly left alone) and passes `git mailinfo`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile
from cli_helpers import Result, run_git_voice, run_main
from support import Clip, git

from gitvoice.git.patches import (
    BLURB_PLACEHOLDER,
    SPOKEN_NOTES_HEADER,
    SUBJECT_PLACEHOLDER,
    mark_spoken_notes,
    parse_format_patch_args,
    split_mbox,
)

# Three commits whose diffs hold the identifiers of the three synthetic clips, in the clips' order.
SERIES = [
    ({"api/users.py": "def fetch_user(user_id):\n    return db.get(user_id)\n\n\ndef show(user_id):\n"
                      "    return fetch_user(user_id)\n"},
     "refactor(api): rename getUserById to fetch_user"),
    ({"settings.toml": "database_url = \"sqlite:///app.db\"\n",
      "app/config.py": "from app.settings import load_settings\n\nDATABASE_URL = load_settings()[\"database_url\"]\n"},
     "refactor(config): read the database URL from settings.toml"),
    ({"app/webhooks.py": "def handle_webhook(request):\n    if request.response is None:\n"
                         "        log.warning(\"empty response\", request_id=request.request_id)\n"
                         "        return None\n    return request.response\n"},
     "fix(webhooks): guard against a None response"),
]
BASE_FILES = {"api/users.py": "def getUserById(user_id):\n    return db.get(user_id)\n\n\ndef show(user_id):\n"
                              "    return getUserById(user_id)\n",
              "app/config.py": "import os\n\nDATABASE_URL = os.environ[\"DATABASE_URL\"]\n"}

NOTE_TEXTS = [
    "Rename getUserById to fetch_user and update the callers in api/users.py.",
    "Move the database URL into settings.toml and read it with load_settings instead of os.environ, so that "
    "tests can point the application at a throwaway database without touching the environment.",
    "Guard against a None response in handle_webhook and log the request_id.",
]


def _write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
        git(repo, "add", name)


@pytest.fixture
def series(repo: Path) -> tuple[Path, str, str]:
    """(repository, base commit, tip commit): three commits on top of a base, no notes yet."""
    _write(repo, BASE_FILES)
    git(repo, "commit", "-q", "-m", "chore: add the application")
    base = git(repo, "rev-parse", "HEAD").strip()
    for files, message in SERIES:
        _write(repo, files)
        git(repo, "commit", "-q", "-m", message, "-m", "See the voice note.")
    return repo, base, git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def noted_series(series: tuple[Path, str, str]) -> tuple[Path, str, str]:
    """The series with a typed voice note on each commit (the slow tests use notes spoken by the clips)."""
    repo, _base, _tip = series
    for index, text in enumerate(NOTE_TEXTS):
        git(repo, "notes", "--ref=voice", "add", "-m", text, f"HEAD~{2 - index}")
    return series


def _voice(repo: Path, args: list[str], capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(repo)
    return run_main(args, capsys)


def _messages_in(repo: Path, base: str, tip: str) -> list[str]:
    return git(repo, "log", "--reverse", "--format=%B%x00", f"{base}..{tip}").split("\0")[:-1]


def _apply_in_fresh_clone(repo: Path, base: str, patches: list[Path], tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "checkout", "-q", "--detach", base)
    git(clone, "am", "-q", *[str(p) for p in patches])
    return clone


def _mailinfo_subject(letter: Path, tmp_path: Path) -> str:
    done = subprocess.run(["git", "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch")],
                          stdin=letter.open("rb"), capture_output=True, check=True)
    info = dict(line.split(": ", 1) for line in done.stdout.decode().splitlines() if ": " in line)
    return info["Subject"]


def _after_separator(patch_text: str) -> str:
    """What follows the `---` line that ends a patch's commit message (what `git am` never reads)."""
    return patch_text.split("\n---\n", 1)[1]


SPOKEN = ("This series renames getUserById to fetch_user, reads the database URL from settings.toml, and "
          "guards handle_webhook against a None response. Um, it keeps every caller working.")


def test_cover_letter_is_filled_and_patches_apply_with_git_am(noted_series: tuple[Path, str, str], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    result = _voice(repo, ["format-patch", "--text", SPOKEN, "--", "-o", "outgoing", f"{base}..{tip}"],
                    capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert written[0].name == "0000-cover-letter.patch" and len(written) == 4
    assert all(p.is_file() for p in written)

    letter = written[0].read_text()
    assert SUBJECT_PLACEHOLDER not in letter and BLURB_PLACEHOLDER not in letter
    assert "Subject: [PATCH 0/3] This series renames getUserById to fetch_user\n" in letter
    body = letter.split("\n\n", 1)[1]
    assert "`getUserById`" in body and "`settings.toml`" in body and "Um" not in body
    assert all(len(line) <= 72 for line in body.split("\n\n")[0].splitlines())
    assert "Ada Tester (3):" in letter and "4 files changed" in letter  # git's shortlog and diffstat stay
    assert _mailinfo_subject(written[0], tmp_path) == "This series renames getUserById to fetch_user"

    for patch, note in zip(written[1:], NOTE_TEXTS, strict=True):
        text = patch.read_text()
        below = _after_separator(text)
        assert below.index(SPOKEN_NOTES_HEADER) < below.index("diff --git")
        assert " ".join(note.split()[:6]) in " ".join(below.split())
        assert all(len(line) <= 72 for line in below.split("diff --git")[0].splitlines())
        assert SPOKEN_NOTES_HEADER not in text.split("\n---\n", 1)[0]

    clone = _apply_in_fresh_clone(repo, base, written[1:], tmp_path)
    assert git(clone, "rev-parse", "HEAD^{tree}") == git(repo, "rev-parse", f"{tip}^{{tree}}")
    applied = _messages_in(clone, base, "HEAD")
    assert applied == _messages_in(repo, base, tip)
    assert not any("Notes (voice" in message or note.split()[0] in message  # notes start "Rename", "Move", "Guard"
                   for message in applied for note in NOTE_TEXTS)


def test_stdout_stream_starts_with_the_filled_letter_and_applies(noted_series: tuple[Path, str, str],
                                                                 tmp_path: Path) -> None:
    repo, base, tip = noted_series
    # A real `git voice` subprocess, as a user types it; the stream goes where git's would.
    result = run_git_voice(["format-patch", "--text", SPOKEN, "--", "--stdout", "-3"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    messages = split_mbox(result.stdout)
    assert len(messages) == 4 and "".join(messages) == result.stdout
    assert "Subject: [PATCH 0/3] This series renames" in messages[0]
    assert SUBJECT_PLACEHOLDER not in result.stdout and BLURB_PLACEHOLDER not in result.stdout
    assert all(SPOKEN_NOTES_HEADER in _after_separator(m) for m in messages[1:])
    assert not list(repo.glob("*.patch"))  # --stdout writes no files

    mbox = tmp_path / "series.mbox"
    mbox.write_text("".join(messages[1:]))
    clone = _apply_in_fresh_clone(repo, base, [mbox], tmp_path)
    assert git(clone, "rev-parse", "HEAD^{tree}") == git(repo, "rev-parse", f"{tip}^{{tree}}")
    assert _messages_in(clone, base, "HEAD") == _messages_in(repo, base, tip)


def test_reroll_has_a_changes_section_from_the_spoken_cue(noted_series: tuple[Path, str, str],
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    spoken = (f"{SPOKEN} Changes since version one: the webhook now logs the request_id. "
              "And the settings loader has a test.")
    result = _voice(repo, ["format-patch", "--text", spoken, "--", "-v", "2", f"{base}..{tip}"], capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    letter = (repo / "v2-0000-cover-letter.patch").read_text()
    assert "Subject: [PATCH v2 0/3] This series renames getUserById to fetch_user\n" in letter
    blurb = letter.split("\n\n", 1)[1].split("Ada Tester (3):")[0]
    assert "Changes in v2:\n- The webhook now logs the `request_id`.\n- The settings loader has a test.\n" in blurb
    assert "since version one" not in blurb.lower()
    assert blurb.index("keeps every caller working") < blurb.index("Changes in v2:")


def test_reroll_changes_from_a_separate_text(noted_series: tuple[Path, str, str], capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    result = _voice(repo, ["format-patch", "--text", SPOKEN, "--changes-text", "Dropped the second patch's typo.",
                           "--", "-v3", "--stdout", f"{base}..{tip}"], capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert "Changes in v3:\n- Dropped the second patch's typo.\n" in split_mbox(result.stdout)[0]


def test_changes_without_a_reroll_is_refused_before_git_runs(noted_series: tuple[Path, str, str],
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _base, _tip = noted_series
    result = _voice(repo, ["format-patch", "--text", "x", "--changes-text", "y", "--", "-3"], capsys, monkeypatch)
    assert result.exit_code == 2
    assert "need -v N" in result.stderr
    assert not list(repo.glob("*.patch"))


def test_repository_template_overrides_the_default(noted_series: tuple[Path, str, str],
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    templates = repo / ".gitvoice" / "templates"
    templates.mkdir(parents=True)
    (templates / "cover-letter.j2").write_text(
        "Summary: {{ subject }}\n\n{{ body }}\n\nPatches ({{ patch_count }}):\n"
        "{% for p in patches %}* {{ p.subject }}{% if p.note %} -- {{ p.note | wrap(60) }}{% endif %}\n{% endfor %}")
    result = _voice(repo, ["format-patch", "--text", SPOKEN, "--", "--stdout", f"{base}..{tip}"], capsys,
                    monkeypatch)
    assert result.exit_code == 0, result.stderr
    letter = split_mbox(result.stdout)[0]
    assert "Summary: This series renames getUserById to fetch_user\n" in letter
    assert "Patches (3):\n* refactor(api): rename getUserById to fetch_user -- Rename getUserById" in letter
    assert BLURB_PLACEHOLDER not in letter


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ patches.append(1) }}",
])
def test_a_malicious_template_is_refused_before_anything_is_written(
        noted_series: tuple[Path, str, str], expression: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    templates = repo / ".gitvoice" / "templates"
    templates.mkdir(parents=True)
    (templates / "cover-letter.j2").write_text(f"{{{{ body }}}}\n\n{expression}\n")
    result = _voice(repo, ["format-patch", "--text", SPOKEN, "--", f"{base}..{tip}"], capsys, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.startswith("gitvoice: error: .gitvoice/templates/cover-letter.j2:3: ")
    assert "unsafe" in result.stderr.splitlines()[0]
    assert "hint: fix .gitvoice/templates/cover-letter.j2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(repo.glob("*.patch"))


def test_a_template_with_a_typo_names_file_and_line(noted_series: tuple[Path, str, str],
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    (repo / ".gitvoice" / "templates").mkdir(parents=True)
    (repo / ".gitvoice" / "templates" / "cover-letter.j2").write_text("{{ body }}\n{% if changes %}\n")
    result = _voice(repo, ["format-patch", "--text", SPOKEN, "--", f"{base}..{tip}"], capsys, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.startswith("gitvoice: error: .gitvoice/templates/cover-letter.j2:")
    assert "endif" in result.stderr


def test_a_single_patch_gets_no_cover_letter_but_its_spoken_note(noted_series: tuple[Path, str, str],
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _base, _tip = noted_series
    result = _voice(repo, ["format-patch", "--", "-1"], capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert [Path(line).name for line in result.stdout.splitlines()] == \
        ["0001-fix-webhooks-guard-against-a-None-response.patch"]
    text = (repo / "0001-fix-webhooks-guard-against-a-None-response.patch").read_text()
    assert f"---\n\n{SPOKEN_NOTES_HEADER}\n    Guard against a None response" in text


def test_cover_letter_flag_forces_one_for_a_single_patch(noted_series: tuple[Path, str, str],
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _base, _tip = noted_series
    result = _voice(repo, ["format-patch", "--cover-letter", "--text", "Guard the webhook.", "--", "-1", "-q"],
                    capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # -q: no list of files, as git
    assert "Subject: [PATCH 0/1] Guard the webhook\n" in (repo / "0000-cover-letter.patch").read_text()


def test_no_cover_letter_flag_and_user_no_notes(noted_series: tuple[Path, str, str],
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    result = _voice(repo, ["format-patch", "--no-cover-letter", "--", "--no-notes", "--stdout", f"{base}..{tip}"],
                    capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert len(split_mbox(result.stdout)) == 3
    assert "Notes (voice" not in result.stdout


def test_a_non_ascii_subject_survives_git_mailinfo(noted_series: tuple[Path, str, str], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    spoken = "Make the café menu’s fetch_user faster. It caches the rows."
    result = _voice(repo, ["format-patch", "--text", spoken, "--", "-o", "out", f"{base}..{tip}"], capsys,
                    monkeypatch)
    assert result.exit_code == 0, result.stderr
    letter = repo / "out" / "0000-cover-letter.patch"
    assert "Content-Type: text/plain; charset=UTF-8" in letter.read_text()
    assert _mailinfo_subject(letter, tmp_path) == "Make the café menu’s fetch_user faster"


def test_bad_git_arguments_fail_with_gits_reason(noted_series: tuple[Path, str, str],
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _base, _tip = noted_series
    result = _voice(repo, ["format-patch", "--text", "x", "--", "--stdout", "-o", "out", "-2"], capsys, monkeypatch)
    assert result.exit_code == 1
    assert "gitvoice: error: git format-patch failed: fatal: options '--stdout' and '--output-directory'" \
        in result.stderr


@pytest.mark.parametrize(("args", "stdout", "quiet", "reroll", "cover"), [
    (["-3"], False, False, None, None),
    (["--stdout", "-v", "2", "HEAD~3"], True, False, "2", None),
    (["-v3", "-q", "--cover-letter"], False, True, "3", True),
    (["--reroll-count=4", "--no-cover-letter"], False, False, "4", False),
    (["--reroll-count", "5", "--", "--stdout"], False, False, "5", None),  # after `--` it is a path
])
def test_parse_format_patch_args(args: list[str], stdout: bool, quiet: bool, reroll: str | None,
                                 cover: bool | None) -> None:
    parsed = parse_format_patch_args(args)
    assert (parsed.to_stdout, parsed.quiet, parsed.reroll_count, parsed.cover_letter) == \
        (stdout, quiet, reroll, cover)
    assert "-q" not in parsed.args and "--" in parsed.args if "--" in args else "-q" not in parsed.args


def test_mark_spoken_notes_touches_only_what_follows_the_separator() -> None:
    patch = ("From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\n"
             "Notes (voice):\n    in the message, not a note\n---\n\nNotes (voice):\n    short\n\n"
             " a | 1 +\n\ndiff --git a/a b/a\n")
    marked = mark_spoken_notes(patch)
    assert marked.count(SPOKEN_NOTES_HEADER) == 1
    assert marked.index(SPOKEN_NOTES_HEADER) > marked.index("\n---\n")
    assert mark_spoken_notes("no separator here\n") == "no separator here\n"


# --- with the real model -------------------------------------------------------------------------------------

def _transcribed_notes(engine: object, repo: Path, clips: list[Clip]) -> None:
    """Each commit's note spoken by its clip, transcribed with the commit's diff as vocabulary (as `git voice
    note` does)."""
    from gitvoice.audio.files import read_audio
    from gitvoice.composition.identifiers import diff_identifiers
    from gitvoice.composition.restore import restore_identifiers
    from gitvoice.git.notes import write_voice_note
    from gitvoice.git.patches import commit_change_context

    for index, clip in enumerate(clips):
        rev = git(repo, "rev-parse", f"HEAD~{2 - index}").strip()
        words = diff_identifiers(commit_change_context(rev, repo))
        text = engine.transcribe(read_audio(clip.path), vocabulary=words).text  # type: ignore[attr-defined]
        write_voice_note(rev, restore_identifiers(text, words), None, repo)


@pytest.mark.slow
def test_spoken_series_with_spoken_notes_end_to_end(series: tuple[Path, str, str], synthetic_clips: list[Clip],
                                                    engine: object, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = series
    by_id = {c.id: c for c in synthetic_clips}
    clips = [by_id["dev02_rename_fetch_user"], by_id["dev04_settings_toml"], by_id["dev07_handle_webhook"]]
    _transcribed_notes(engine, repo, clips)

    # The letter spoken by one clip, the changes by another; -v 2 makes it a re-roll.
    letter_clip, changes_clip = clips[1], clips[2]
    result = _voice(repo, ["format-patch", "--audio", str(letter_clip.path), "--changes-audio",
                           str(changes_clip.path), "--", "-v", "2", "-o", "out", f"{base}..{tip}"], capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    letter = written[0].read_text()
    assert SUBJECT_PLACEHOLDER not in letter and BLURB_PLACEHOLDER not in letter
    subject = _mailinfo_subject(written[0], tmp_path)
    assert subject.lower().startswith("move the") and not subject.endswith(".")
    body = letter.split("\n\n", 1)[1]
    # The series' diff is the vocabulary: at least two of the clip's identifiers come out spelled as code.
    assert sum(f"`{name}`" in body for name in letter_clip.identifiers) >= 2, body
    changes = body.split("Changes in v2:\n", 1)[1].split("\n\n")[0]
    assert changes.startswith("- Guard against") and "`handle_webhook`" in changes, changes

    for patch, clip in zip(written[1:], clips, strict=True):
        below = _after_separator(patch.read_text())
        assert SPOKEN_NOTES_HEADER in below.split("diff --git")[0]
        assert sum(name in below for name in clip.identifiers) >= 1
    clone = _apply_in_fresh_clone(repo, base, written[1:], tmp_path)
    assert git(clone, "rev-parse", "HEAD^{tree}") == git(repo, "rev-parse", f"{tip}^{{tree}}")
    assert _messages_in(clone, base, "HEAD") == _messages_in(repo, base, tip)

    from gitvoice.store.history import Store

    with Store.open(repo) as store:
        entries = [e for e in store.history() if e.origin == "format-patch"]
    assert len(entries) == 2 and all(e.status == "committed" and e.commit == tip for e in entries)
    assert all(e.path.is_file() for e in entries)  # the recordings stay in the history


@pytest.mark.slow
def test_silence_keeps_the_placeholders_and_fails_visibly(noted_series: tuple[Path, str, str], tmp_path: Path,
                                                          engine: object, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, tip = noted_series
    silence = tmp_path / "silence.wav"
    soundfile.write(silence, np.zeros(16000 * 2, dtype=np.float32), 16000)
    result = _voice(repo, ["format-patch", "--audio", str(silence), "--", "-o", "out", f"{base}..{tip}"], capsys,
                    monkeypatch)
    assert result.exit_code == 1
    assert "no speech" in result.stderr and "keeps git's *** SUBJECT HERE ***" in result.stderr
    assert "the recording is kept at" in result.stderr
    letter = (repo / "out" / "0000-cover-letter.patch").read_text()
    assert SUBJECT_PLACEHOLDER in letter and BLURB_PLACEHOLDER in letter  # untouched, never half filled
    assert len(list((repo / "out").glob("*.patch"))) == 4  # the patches themselves were written
