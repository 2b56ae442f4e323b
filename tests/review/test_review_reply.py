"""`git voice review --export-reply PATCH`: the patch quoted with "> ", each comment below the lines it is about."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_main
from support import git

from gitvoice.review.comments import CommentStore, new_comment
from gitvoice.review.series import load_series

OLD = "def fetch(url):\n    return get(url)\n\n\ndef parse(text):\n    return text.split()\n"
NEW = ("def fetch(url, timeout=10):\n    return get(url, timeout=timeout)\n\n\n"
       "def parse(text):\n    return text.split()\n")


@pytest.fixture
def patch(repo: Path) -> Path:
    (repo / "fetch.py").write_text(OLD)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "feat: fetch")
    (repo / "fetch.py").write_text(NEW)
    git(repo, "commit", "-q", "-am", "fix: time out fetches", "-m", "A stuck server hung the whole sync.")
    out = repo / "outgoing"
    git(repo, "format-patch", "-q", "--cover-letter", "--thread", "-2", "-o", str(out))
    return out / "0002-fix-time-out-fetches.patch"


def comment(transcript: str, file: str | None = None, lines: tuple[int, int] | None = None, side: str = "new"):
    return new_comment(file=file, start_line=lines[0] if lines else None, end_line=lines[1] if lines else None,
                       side=side, transcript=transcript, author="Rae Viewer <rae@example.com>")


def test_reply_quotes_the_patch_with_comments_under_their_lines(repo: Path, patch: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    store = CommentStore(repo)
    commit = git(repo, "rev-parse", "HEAD").strip()
    store.add(commit, comment("Ten seconds is a guess; make the timeout a setting.", "fetch.py", (1, 2)))
    store.add(commit, comment("Good riddance to the unbounded call.", "fetch.py", (2, 2), side="old"))
    store.add(commit, comment("Thanks, this matches what we saw in production."))
    store.add(commit, comment("This line is gone now.", "fetch.py", (40, 40)))

    result = run_main(["review", "--export-reply", str(patch)], capsys)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("From 0000000000000000000000000000000000000000 ")
    assert "Subject: Re: [PATCH 2/2] fix: time out fetches" in lines
    assert "To: Ada Tester <ada@example.com>" in lines
    assert any(line.startswith("In-Reply-To: <") for line in lines)  # format-patch --thread gave it a Message-ID
    assert lines[lines.index("") + 1].endswith("Ada Tester <ada@example.com> wrote:")

    def below(quoted: str) -> list[str]:
        at = lines.index(quoted)
        return lines[at + 1:at + 4]

    assert below("> A stuck server hung the whole sync.") == [
        "", "Thanks, this matches what we saw in production.", ""]
    assert below("> -    return get(url)")[:2] == ["", "Good riddance to the unbounded call."]
    assert below("> +    return get(url, timeout=timeout)")[:2] == [
        "", "Ten seconds is a guess; make the timeout a setting."]
    assert "On fetch.py line 40: This line is gone now." in lines[-2:]
    quoted = [line for line in lines if line.startswith(">")]
    assert "> diff --git a/fetch.py b/fetch.py" in quoted and ">" in quoted  # blank lines quoted as a bare ">"


def test_reply_to_a_file_and_an_unknown_commit(repo: Path, patch: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A patch whose commit is not here: comments are kept under the id on its From line all the same."""
    mailed = tmp_path / "mailed.patch"
    mailed.write_text(patch.read_text().replace(git(repo, "rev-parse", "HEAD").strip(), "ab" * 20))
    monkeypatch.chdir(repo)
    series = load_series([str(mailed)])
    assert series.entries[0].key == "ab" * 20 and series.entries[0].commit is None
    CommentStore(repo).add("ab" * 20, comment("Please add a test.", "fetch.py", (1, 1)))
    out = tmp_path / "reply.eml"
    result = run_main(["review", "--export-reply", str(mailed), "-o", str(out)], capsys)
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr and "1 comment" in result.stderr
    text = out.read_text()
    assert "> +def fetch(url, timeout=10):\n\nPlease add a test.\n" in text


def test_a_folder_shows_its_cover_letter(repo: Path, patch: Path) -> None:
    series = load_series([str(patch.parent)], repo)
    assert [e.record.subject for e in series.entries] == ["feat: fetch", "fix: time out fetches"]
    assert series.cover_letter is not None and series.cover_letter.subject == "*** SUBJECT HERE ***"
    assert series.entries[1].commit == git(repo, "rev-parse", "HEAD").strip()


def test_a_bare_diff_is_named_by_its_patch_id(repo: Path, tmp_path: Path) -> None:
    (repo / "fetch.py").write_text(OLD)
    diff = tmp_path / "change.diff"
    diff.write_text(git(repo, "diff", "--no-index", "/dev/null", "fetch.py", check=False))
    series = load_series([str(diff)], repo)
    patch_id = subprocess.run(["git", "patch-id", "--stable"], input=diff.read_text(), capture_output=True,
                              text=True, cwd=repo, check=True).stdout.split()[0]
    assert series.entries[0].key == patch_id and series.entries[0].commit is None


def test_export_reply_needs_a_patch_file(repo: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = run_main(["review", "--export-reply", "missing.patch"], capsys)
    assert result.exit_code == 1 and "not a patch file" in result.stderr
    result = run_main(["review", "--export-reply", "missing.patch", "HEAD"], capsys)
    assert result.exit_code == 2
