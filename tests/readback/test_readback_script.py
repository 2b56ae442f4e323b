"""The readback script for real commits in temporary repositories, compared as text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import git

from gitvoice.git.commits import CommitRecord, read_commits
from gitvoice.git.diff_text import FileDiff, Hunk, HunkLine, parse_diff
from gitvoice.git.notes import VOICE_NOTES_REF, write_voice_note
from gitvoice.git.patch_files import read_patch_file
from gitvoice.readback.script import build_script, definition_name, speech_units, touched_functions

CONFIG_BEFORE = '''\
import json


def parse_config(path):
    with open(path) as handle:
        return json.load(handle)


def default_port():
    return 8080
'''

CONFIG_AFTER = '''\
import json


def parse_config(path):
    with open(path) as handle:
        data = json.load(handle)
    return data or {}


def default_port():
    return 8000
'''


@pytest.fixture
def review_repo(repo: Path) -> Path:
    """`repo` plus a commit that modifies, renames, deletes and adds (a binary, a lock file, a script)."""
    (repo / "config.py").write_text(CONFIG_BEFORE)
    (repo / "notes.md").write_text("# Notes\n\nFirst line.\nSecond line.\nThird line.\n")
    (repo / "legacy.txt").write_text("old\nstuff\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "chore: add config")
    (repo / "config.py").write_text(CONFIG_AFTER)
    (repo / "docs").mkdir()
    git(repo, "mv", "notes.md", "docs/notes.md")
    git(repo, "rm", "-q", "legacy.txt")
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (repo / "poetry.lock").write_text('[[package]]\nname = "click"\nversion = "8.1.7"\n')
    (repo / "run.sh").write_text("#!/bin/sh\nexec git voice \"$@\"\n")
    (repo / "run.sh").chmod(0o755)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "fix(config): fall back to an empty `parse_config` result",
        "-m", "An empty file made getUserById crash.\n\n- default_port is now 8000\n\n"
        "Signed-off-by: Ada Tester <a@b.c>")
    return repo


SUMMARY = """\
Fix in config: fall back to an empty parse config result.
By Ada Tester.
Message: An empty file made get user by id crash.
default port is now 8000.
6 files changed: 3 added, 1 modified, 1 renamed and 1 deleted. 8 lines added, 4 removed.

Modified config dot py, 3 lines added, 2 removed, in parse config and default port.

Renamed notes dot md to docs slash notes dot md, unchanged.

Deleted legacy dot txt, 2 lines.

Added binary file logo dot png.

Added lock file poetry dot lock, 3 lines.

Added run dot sh, 2 lines. Now executable.
"""


def test_summary_of_a_commit_with_renames_binaries_deletions_and_a_lock_file(review_repo: Path) -> None:
    script = build_script(list(read_commits("HEAD", review_repo)))
    assert script.text() == SUMMARY
    assert [p.title for p in script.passages] == [
        "fix(config): fall back to an empty `parse_config` result",
        "config.py", "docs/notes.md", "legacy.txt", "logo.png", "poetry.lock", "run.sh"]


FULL_FILES = """\
Modified config dot py, 3 lines added, 2 removed, in parse config and default port.
At line 6, in parse config and default port.
Removed: return json dot load open paren handle close paren.
Added: data equals json dot load open paren handle close paren.
Added: return data or open brace close brace.
Removed: return 8080.
Added: return 8000.

Renamed notes dot md to docs slash notes dot md, unchanged.

Deleted legacy dot txt, 2 lines.
At line 1.
Removed: old.
Removed: stuff.

Added binary file logo dot png.
Its contents are not read.

Added lock file poetry dot lock, 3 lines.
Its contents are not read.

Added run dot sh, 2 lines. Now executable.
At line 1.
Added: shebang bin slash sh.
Added: exec git voice string dollar at.
"""


def test_full_reads_added_and_removed_lines_but_not_lock_files_or_binaries(review_repo: Path) -> None:
    text = build_script(list(read_commits("HEAD", review_repo)), full=True).text()
    header, _, files = text.partition("\n\n")
    assert header + "\n" == SUMMARY.split("\n\n")[0] + "\n"
    assert files == FULL_FILES


def test_a_patch_file_reads_like_the_commit_it_came_from(review_repo: Path, tmp_path: Path) -> None:
    patch = tmp_path / "0001-fix.patch"
    patch.write_text(git(review_repo, "format-patch", "-1", "--stdout", "HEAD"))
    from_patch = build_script(read_patch_file(patch), full=True).text()
    from_commit = build_script(list(read_commits("HEAD", review_repo)), full=True).text()
    # A patch file carries no .gitattributes and no modes beyond the diff: everything else is the same.
    assert from_patch == from_commit


def test_the_voice_note_is_the_explanation_when_there_is_one(review_repo: Path, tmp_path: Path) -> None:
    write_voice_note("HEAD", "The parser crashed on empty files, so parse_config now returns an empty dict.",
                     None, review_repo)
    lines = build_script(list(read_commits("HEAD", review_repo))).passages[0].lines
    assert lines[2] == "Voice note: The parser crashed on empty files, so parse config now returns an empty dict."
    assert not any(line.startswith("Message:") for line in lines)

    patch = tmp_path / "noted.patch"
    patch.write_text(git(review_repo, "format-patch", "-1", "--stdout", f"--notes={VOICE_NOTES_REF}", "HEAD"))
    assert build_script(read_patch_file(patch)).passages[0].lines[2] == lines[2]


def test_a_range_is_read_oldest_first_and_numbered(review_repo: Path) -> None:
    script = build_script(list(read_commits("HEAD~2..HEAD", review_repo)))
    headers = [p.lines[:2] for p in script.passages if p.lines[0].startswith("Commit ")]
    assert headers == [
        ("Commit 1 of 2.", "Chore: add config."),
        ("Commit 2 of 2.", "Fix in config: fall back to an empty parse config result."),
    ]


def test_the_first_commit_and_generated_files(repo: Path) -> None:
    (repo / ".gitattributes").write_text("schema_out.py linguist-generated\n")
    (repo / "schema_out.py").write_text("X = 1\n")
    (repo / "api_pb2.py").write_text("# Generated by the protocol buffer compiler.\nDESCRIPTOR = 1\n")
    (repo / "vendor.js").write_text("// @generated by bundler\nvar a=1;\n")
    (repo / "app.min.js").write_text("var a=1;\n")
    (repo / "Cargo.lock").write_text("version = 3\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "build: add generated code")
    files = build_script(list(read_commits("HEAD", repo)), full=True).text().split("\n\n")[1:]
    assert files == [
        "Added dot gitattributes, 1 line.\nAt line 1.\nAdded: schema out dot py linguist-generated.",
        "Added lock file cargo dot lock, 1 line.\nIts contents are not read.",
        "Added generated file api pb 2 dot py, 2 lines.\nIts contents are not read.",
        "Added generated file app dot min dot js, 1 line.\nIts contents are not read.",
        "Added generated file schema out dot py, 1 line.\nIts contents are not read.",
        "Added generated file vendor dot js, 2 lines.\nIts contents are not read.\n",
    ]
    root = build_script(list(read_commits("HEAD~1", repo))).text()
    assert root == "Chore: start.\nBy Ada Tester.\n1 file changed: 1 added. 1 line added.\n\n" \
                   "Added readme dot md, 1 line.\n"


def test_a_plain_diff_file_without_a_message(repo: Path, tmp_path: Path) -> None:
    (repo / "README.md").write_text("# demo\n\nNow with `git voice readback`.\n")
    patch = tmp_path / "change.diff"
    patch.write_text(git(repo, "diff"))
    assert build_script(read_patch_file(patch), full=True).text() == (
        "Patch change dot diff, without a commit message.\n"
        "1 file changed: 1 modified. 2 lines added.\n\n"
        "Modified readme dot md, 2 lines added.\n"
        "At line 2.\n"
        "Added: Now with git voice readback.\n")


def test_paths_with_spaces_and_unicode_survive_renames(repo: Path) -> None:
    (repo / "my notes.txt").write_text("one\ntwo\nthree\nfour\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "docs: notes")
    git(repo, "mv", "my notes.txt", "café notes.txt")
    git(repo, "commit", "-q", "-m", "docs: rename")
    (record,) = read_commits("HEAD", repo)
    files = record.files
    assert files == (FileDiff(path="café notes.txt", status="R", old_path="my notes.txt"),)


def test_the_functions_touched_come_from_definitions_and_hunk_headers() -> None:
    hunk = Hunk(10, 10, "class Store:", (
        HunkLine(" ", "    def open(self):"),
        HunkLine("-", "        return 1"),
        HunkLine("+", "        return 2"),
        HunkLine(" ", ""),
        HunkLine(" ", "    def close(self):"),
        HunkLine(" ", "        pass"),
    ))
    assert touched_functions(hunk) == ["open"]
    header_only = Hunk(40, 40, "static int parse_args(int argc, char **argv)", (HunkLine("+", "    argc--;"),))
    assert touched_functions(header_only) == ["parse_args"]
    assert definition_name("export async function getUserById(id) {") == "getUserById"
    assert definition_name("func (s *Server) ServeHTTP(w http.ResponseWriter) {") == "ServeHTTP"
    assert definition_name("pub(crate) fn read_config() -> Config {") == "read_config"
    assert definition_name("    if (ready) {") is None


def test_a_format_patch_signature_is_not_a_removed_line() -> None:
    text = ("diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a = 1\n+a = 2\n"
            "-- \n2.39.5\n")
    assert [(f.added, f.removed) for f in parse_diff(text)] == [(1, 1)]


def test_speech_units_are_sentences_tagged_with_their_passage() -> None:
    record = CommitRecord("commit 1234567", "fix: a. b", "Ada", "", None,
                          (FileDiff("a.py", "M", added=1, removed=1),))
    assert speech_units(build_script([record])) == [
        (0, "Fix: a."), (0, "b."), (0, "By Ada."), (0, "1 file changed: 1 modified."), (0, "1 line added, 1 removed."),
        (1, "Modified a dot py, 1 line added, 1 removed."),
    ]


def test_git_is_asked_without_the_users_diff_settings(review_repo: Path) -> None:
    for key, value in [("diff.noprefix", "true"), ("color.ui", "always"), ("diff.renames", "false"),
                       ("core.quotePath", "true"), ("diff.mnemonicPrefix", "true")]:
        subprocess.run(["git", "config", key, value], cwd=review_repo, check=True)
    assert build_script(list(read_commits("HEAD", review_repo))).text() == SUMMARY
