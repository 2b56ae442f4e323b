"""The review server's rules, over real HTTP: loopback only, the token, no cross-site writes, no paths from requests,
capped uploads, escaped repository text; and a large series renders quickly."""

from __future__ import annotations

import http.client
import io
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import soundfile
from review_helpers import HOSTILE_SUBJECT, running_review, three_commit_series
from support import Clip, git

from gitvoice.review.page import environment
from gitvoice.review.server import MAX_UPLOAD_BYTES, TOKEN_HEADER, ReviewServer


@pytest.fixture
def series_repo(repo: Path, human_clips: list[Clip]) -> Path:
    three_commit_series(repo, human_clips[2:4])
    return repo


def request(server: ReviewServer, method: str, path: str, *, headers: dict[str, str] | None = None,
            body: bytes | None = None) -> tuple[int, bytes, dict[str, str]]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def token_of(server: ReviewServer) -> str:
    return server.app.token


def test_binds_to_loopback_with_a_random_token(series_repo: Path) -> None:
    with running_review(["HEAD~3..HEAD"], series_repo) as first, \
            running_review(["HEAD~3..HEAD"], series_repo) as second:
        assert first.server_address[0] == "127.0.0.1"
        assert urlsplit(first.url).hostname == "127.0.0.1"
        assert token_of(first) != token_of(second) and len(token_of(first)) >= 32
        assert first.url.endswith(f"/?t={token_of(first)}")


def test_every_request_needs_the_token(series_repo: Path) -> None:
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        assert request(server, "GET", "/")[0] == 403
        assert request(server, "GET", "/?t=wrong")[0] == 403
        assert request(server, "GET", "/static/review.js")[0] == 403
        assert request(server, "GET", "/audio/note/0")[0] == 403
        status, body, headers = request(server, "GET", f"/?t={token_of(server)}")
        assert status == 200 and b"answer payment deliveries" in body
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "no-referrer"


def test_another_host_name_is_refused(series_repo: Path) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: the Host header gives it away."""
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        status, _, _ = request(server, "GET", f"/?t={token_of(server)}", headers={"Host": "evil.example:80"})
        assert status == 421


def test_writes_need_the_token_header_and_the_same_origin(series_repo: Path) -> None:
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        token = token_of(server)
        path = f"/api/comments?entry=0&file=0&start=1&end=1&side=new&t={token}"
        audio = {"Content-Type": "audio/webm"}
        # The token in the URL is not enough for a write: a cross-site form could send that.
        assert request(server, "POST", path, headers=audio, body=b"x")[0] == 403
        assert request(server, "POST", path, headers={**audio, TOKEN_HEADER: "wrong"}, body=b"x")[0] == 403
        cross = {**audio, TOKEN_HEADER: token, "Origin": "https://evil.example"}
        assert request(server, "POST", path, headers=cross, body=b"x")[0] == 403
        cross_site = {**audio, TOKEN_HEADER: token, "Sec-Fetch-Site": "cross-site"}
        assert request(server, "POST", path, headers=cross_site, body=b"x")[0] == 403
        assert git(series_repo, "notes", "--ref=voice-review", "list", check=False) == ""


def test_uploads_are_capped_before_they_are_read(series_repo: Path) -> None:
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        host, port = server.server_address[:2]
        connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
        connection.putrequest("POST", "/api/comments?entry=0&file=0&start=1&end=1&side=new")
        connection.putheader(TOKEN_HEADER, token_of(server))
        connection.putheader("Content-Type", "audio/webm")
        connection.putheader("Content-Length", str(MAX_UPLOAD_BYTES + 1))
        connection.endheaders()  # no body is sent: the answer must come without it
        response = connection.getresponse()
        assert response.status == 413
        assert "limited" in json.loads(response.read())["error"]
        connection.close()


def test_paths_never_come_from_requests(series_repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve")
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        token = token_of(server)
        for path in ("/static/../../../../../../etc/passwd", "/static/%2e%2e/server.py", f"/{secret}",
                     "/static/review.py", "/audio/note/../../secret.txt", "/audio/note/99", "/audio/note/-1",
                     "/audio/comment/0/../../x"):
            status, body, _ = request(server, "GET", f"{path}?t={token}")
            assert status == 404, path
            assert b"do not serve" not in body and b"root:" not in body
        bad_file = "/api/comments?entry=0&file=7&start=1&end=1&side=new"
        status, _, _ = request(server, "POST", bad_file, headers={TOKEN_HEADER: token, "Content-Type": "audio/webm"},
                               body=b"x")
        assert status == 404


def test_repository_text_is_escaped(series_repo: Path) -> None:
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        _, body, _ = request(server, "GET", f"/?t={token_of(server)}")
    page = body.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<iframe>" not in page
    assert "&lt;script&gt;alert(&#39;subject&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(&#39;readme&#39;)&gt;" in page
    assert "&lt;b&gt;markup&lt;/b&gt; &amp; an &lt;iframe&gt;" in page
    assert HOSTILE_SUBJECT not in page


def test_the_templates_autoescape_whatever_their_name() -> None:
    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert callable(env.autoescape) and env.autoescape("review.html.j2") and env.autoescape("anything.txt")


def test_the_voice_note_audio_is_served_with_ranges(series_repo: Path, human_clips: list[Clip]) -> None:
    with running_review(["HEAD~3..HEAD"], series_repo) as server:
        token = token_of(server)
        status, whole, headers = request(server, "GET", f"/audio/note/0?t={token}")
        assert status == 200 and whole.startswith(b"OggS") and headers["content-type"] == "audio/ogg"
        status, part, headers = request(server, "GET", f"/audio/note/0?t={token}", headers={"Range": "bytes=4-9"})
        assert status == 206 and part == whole[4:10]
        assert headers["content-range"] == f"bytes 4-9/{len(whole)}"
        assert request(server, "GET", f"/audio/note/2?t={token}")[0] == 404  # the third commit has no recording


def test_fifty_commits_and_a_five_thousand_line_diff(repo: Path) -> None:
    for number in range(49):
        (repo / f"module_{number}.py").write_text(f"def function_{number}():\n    return {number}\n")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", f"feat: add module {number}")
    (repo / "big.py").write_text("".join(f"value_{i} = compute({i}, 'text')  # line {i}\n" for i in range(5000)))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "feat: a large generated table")
    with running_review(["HEAD~50..HEAD"], repo) as server:
        started = time.perf_counter()
        status, body, _ = request(server, "GET", f"/?t={token_of(server)}")
        elapsed = time.perf_counter() - started
    page = body.decode()
    assert status == 200 and page.count('<section class="commit"') == 50
    assert page.count('class="line add"') == 5000 + 49 * 2
    print(f"page of 50 commits and 5,000 lines: {elapsed:.2f} s, {len(body) // 1000} kB")
    assert elapsed < 10, f"the page took {elapsed:.1f} s"
    # The big file starts collapsed, so the browser lays out only what is open.
    big_file = page[page.rindex("<details", 0, page.index("big.py")):]
    assert big_file.startswith('<details class="file" data-file="0">')
    assert "value_4999" in big_file


def test_readback_audio_is_made_on_demand(series_repo: Path) -> None:
    if shutil.which("espeak-ng") is None and shutil.which("espeak") is None:
        pytest.skip("espeak-ng is not installed")
    with running_review(["HEAD~3..HEAD"], series_repo, readback=True) as server:
        status, wav, headers = request(server, "GET", f"/audio/readback/1?t={token_of(server)}")
    assert status == 200 and headers["content-type"] == "audio/wav" and wav.startswith(b"RIFF")
    samples, rate_hz = soundfile.read(io.BytesIO(wav))
    assert len(samples) / rate_hz > 2.0  # subject, author, note and the file: several seconds of speech


def test_the_command_prints_the_url_and_serves_until_interrupted(series_repo: Path) -> None:
    # git-voice itself: Ctrl-C in a terminal reaches git and git-voice alike, and git then dies of the signal.
    command = [str(Path(sys.executable).parent / "git-voice"), "review", "--no-open", "HEAD~3..HEAD"]
    process = subprocess.Popen(command, cwd=series_repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?t=[\w-]{32}", url), url
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(str(parts.hostname), int(parts.port or 0), timeout=10)
        connection.request("GET", f"/?{parts.query}")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "reviewing 3 commits" in stderr and "stopped" in stderr
