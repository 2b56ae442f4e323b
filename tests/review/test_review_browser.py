"""The review page in a real browser: Debian's chromium, headless, driven by Selenium through the system's
chromedriver (nothing is downloaded). Its microphone is a shared speech clip (Chromium's fake capture device), so a
spoken comment goes through MediaRecorder, the upload, ffmpeg, Whisper and git exactly as a reviewer's would.

Screenshots go to tests/output/review/ (GITVOICE_TEST_OUTPUT overrides tests/output)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from review_helpers import running_review, three_commit_series
from support import REPO_ROOT, Clip, git

from gitvoice.review.comments import comments_from_json

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
COMMENT_CLIP = "dev07_handle_webhook"  # "Guard against a None response in handle_webhook and log the request_id."
# Chromium's fake microphone loops its file from wherever it stands when the recording starts: a bare clip cut a few
# milliseconds in decodes differently ("lock" for "log", "risk on-scene" for "response"). Silence around the clip
# puts that start, and the stop, in silence.
LEAD_S, TAIL_S = 0.8, 1.5

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                       reason="chromium and chromium-driver are not installed (scripts/setup.sh --dev installs them)"),
]


def output_dir() -> Path:
    folder = Path(os.environ.get("GITVOICE_TEST_OUTPUT", REPO_ROOT / "tests" / "output")) / "review"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def comment_clip(clips: list[Clip]) -> Clip:
    return next(clip for clip in clips if clip.id == COMMENT_CLIP)


def padded_microphone(clip: Clip, folder: Path) -> Path:
    """The clip with LEAD_S of silence before it and TAIL_S after, as the 16-bit WAV Chromium's fake device reads."""
    import numpy as np
    import soundfile

    samples, rate = soundfile.read(clip.path, dtype="float32")
    silence = np.zeros((int(LEAD_S * rate), *samples.shape[1:]), dtype="float32")
    tail = np.zeros((int(TAIL_S * rate), *samples.shape[1:]), dtype="float32")
    path = folder / "microphone.wav"
    soundfile.write(path, np.concatenate([silence, samples, tail]), rate, subtype="PCM_16")
    return path


@pytest.fixture(scope="module")
def browser(comment_clip: Clip) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for a browser or driver to download
    profile = tempfile.mkdtemp(prefix="gitvoice-chromium-")
    microphone = padded_microphone(comment_clip, Path(profile))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1360,1000", "--autoplay-policy=no-user-gesture-required",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                 f"--use-file-for-fake-audio-capture={microphone}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def series_repo(repo: Path, human_clips: list[Clip]) -> Path:
    three_commit_series(repo, human_clips[2:4])  # "go forward ten meters", "one two three"
    return repo


def wait_for(condition: Any, timeout_s: float = 60.0, what: str = "the page") -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_page_lists_the_series_with_notes_and_plays_a_note(browser: Any, series_repo: Path,
                                                               human_clips: list[Clip]) -> None:
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        browser.get(server.url)
        commits = browser.find_elements("css selector", "section.commit")
        assert len(commits) == 3
        titles = [c.find_element("css selector", "h2").text for c in commits]
        assert titles[0] == "feat(webhook): answer payment deliveries"
        assert "<script>alert('subject')</script>" in titles[2]  # shown as text, never run
        notes = [n.text for n in browser.find_elements("css selector", "figure.note blockquote")]
        assert notes == [human_clips[2].text, human_clips[3].text]
        assert browser.find_elements("css selector", "tr.line .tok-keyword")  # highlighted
        browser.save_screenshot(str(output_dir() / "series.png"))

        played = browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const audio = document.querySelector("section.commit[data-entry='0'] audio.note-audio");
            audio.addEventListener("error", () => done({error: String(audio.error && audio.error.code)}));
            // Playing is time moving: poll for it (an audio sink can take a moment to start), 5 s at most.
            const report = () => done({duration: audio.duration, time: audio.currentTime, paused: audio.paused});
            const started = Date.now();
            const poll = () => (audio.currentTime > 0.2 || Date.now() - started > 5000) ? report()
                                                                                        : setTimeout(poll, 100);
            audio.play().then(() => setTimeout(poll, 100), (error) => done({error: String(error)}));
        """)
    assert "error" not in played, played
    assert played["duration"] == pytest.approx(human_clips[2].duration_s, abs=0.1)
    assert played["time"] > 0.2 and not played["paused"]


def test_a_spoken_comment_from_the_microphone_is_kept_and_shown_again(
        browser: Any, series_repo: Path, comment_clip: Clip, engine: object) -> None:
    """Click a line of the second commit, record the clip through MediaRecorder, get it transcribed with the hunk's
    identifiers, correct nothing, and find it in refs/notes/voice-review and on the reloaded page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    commit = git(series_repo, "rev-parse", "HEAD~1").strip()
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        browser.get(server.url)
        section = browser.find_element(By.CSS_SELECTOR, "section.commit[data-entry='1']")
        target = next(row for row in section.find_elements(By.CSS_SELECTOR, "tr.line.add")
                      if "log.warning" in row.text)
        new_line = int(target.get_attribute("data-new"))
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", target)
        target.find_elements(By.CSS_SELECTOR, "td.num")[1].click()
        record = section.find_element(By.CSS_SELECTOR, ".composer button.record")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", record)
        record.click()
        wait_for(lambda: "Recording" in section.find_element(By.CSS_SELECTOR, ".composer .status").text,
                 10, "the recording to start")
        browser.save_screenshot(str(output_dir() / "recording.png"))
        time.sleep(LEAD_S + comment_clip.duration_s + TAIL_S / 2)
        section.find_element(By.CSS_SELECTOR, ".composer button.stop").click()
        text = wait_for(lambda: [t.get_attribute("value") for t in
                                 section.find_elements(By.CSS_SELECTOR, "tr.comment-row textarea.transcript")],
                        90, "the transcript")[0]
        browser.save_screenshot(str(output_dir() / "comment.png"))

        words = set(re.findall(r"[\w']+", text.lower()))
        assert {"against", "log"} <= words, text  # "Guard" is "Grant" and "response" "risk on-scene" at times
        assert "request_id" in text and "webhook" in text, text  # spelled as in the hunk: its identifiers
        stored = comments_from_json(git(series_repo, "notes", "--ref=voice-review", "show", commit))
        assert [c.transcript for c in stored] == [text]
        assert (stored[0].file, stored[0].start_line, stored[0].end_line, stored[0].side) == (
            "webhook.py", new_line, new_line, "new")
        assert stored[0].duration_s and stored[0].duration_s > 1.0
        assert git(series_repo, "notes", "--ref=voice-review-audio", "show", commit).startswith("{")

        # Correct the transcript on the page and save it.
        box = section.find_element(By.CSS_SELECTOR, "tr.comment-row textarea.transcript")
        box.send_keys(Keys.CONTROL, Keys.END)
        box.send_keys(" Please.")
        section.find_element(By.CSS_SELECTOR, "tr.comment-row button.save").click()
        wait_for(lambda: section.find_element(By.CSS_SELECTOR, "tr.comment-row .status").text == "Saved", 10,
                 "the correction to be saved")
        corrected = comments_from_json(git(series_repo, "notes", "--ref=voice-review", "show", commit))
        assert corrected[0].transcript.endswith("Please.")

        browser.refresh()
        shown = browser.find_elements(By.CSS_SELECTOR, "section.commit[data-entry='1'] tr.comment-row")
        assert len(shown) == 1
        assert shown[0].find_element(By.CSS_SELECTOR, "textarea").get_attribute("value") == corrected[0].transcript
        previous = shown[0].find_element(By.XPATH, "preceding-sibling::tr[1]")
        assert previous.get_attribute("data-new") == str(new_line)  # under the line it is about
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", shown[0])
        browser.save_screenshot(str(output_dir() / "reloaded.png"))

    patch = series_repo / "0001-fix.patch"
    patch.write_text(git(series_repo, "format-patch", "-1", "--stdout", commit))
    from gitvoice.review.comments import CommentStore
    from gitvoice.review.export import export_reply

    reply, count = export_reply(patch, CommentStore(series_repo))
    assert count == 1
    quoted = reply.splitlines()
    at = quoted.index('> +        log.warning("no response for %s", request.request_id)')
    assert quoted[at + 1] == "" and quoted[at + 2].startswith(corrected[0].transcript.split()[0])


def test_fifty_commits_and_a_five_thousand_line_diff_stay_responsive(browser: Any, repo: Path) -> None:
    for number in range(49):
        (repo / f"module_{number}.py").write_text(f"def function_{number}():\n    return {number}\n")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", f"feat: add module {number}")
    (repo / "big.py").write_text("".join(f"value_{i} = compute({i}, 'text')  # line {i}\n" for i in range(5000)))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "feat: a large generated table")
    with running_review(["HEAD~50..HEAD"], repo) as server:
        started = time.monotonic()
        browser.get(server.url)
        loaded_s = time.monotonic() - started
        assert len(browser.find_elements("css selector", "section.commit")) == 50
        # Open the big file and scroll to its end: the page must answer a script at once afterwards.
        took_ms = browser.execute_script("""
            const started = performance.now();
            const big = document.querySelector("section.commit[data-entry='49'] details.file");
            big.open = true;
            big.querySelector("tr.line:last-child").scrollIntoView({behavior: "instant"});
            document.body.getBoundingClientRect();
            return performance.now() - started;
        """)
        browser.save_screenshot(str(output_dir() / "large.png"))
    print(f"50 commits, 5,000 lines: loaded in {loaded_s:.2f} s, the big file opened in {took_ms:.0f} ms")
    assert loaded_s < 10 and took_ms < 3000
