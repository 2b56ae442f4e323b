"""The review page's local web server: the standard library's ThreadingHTTPServer on the loopback interface.

Who may talk to it: whoever knows the per-run token in the URL. Every request needs it (a `t=` query parameter for
what the browser loads), and every request that changes something needs it in the X-GitVoice-Token header, which
a page of another site cannot set without a CORS preflight this server never grants. The Host header must name the
loopback address (a DNS-rebinding page would send its own name), and a cross-site Origin is refused.

What it reads: only the series loaded at start. Requests name an entry, a file and a comment by number or id, never
by path; static files come from a fixed list inside the package. Uploads are capped before they are read.
"""

from __future__ import annotations

import hmac
import io
import json
import re
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from gitvoice.core.errors import GitVoiceError
from gitvoice.git.notes import audio_note_blob, audio_suffix, read_audio_note
from gitvoice.git.repo import repo_root
from gitvoice.review.comments import MAX_TRANSCRIPT_CHARS, SIDES, Comment, CommentStore
from gitvoice.review.page import entry_view, environment, render_page
from gitvoice.review.series import Entry, Series
from gitvoice.review.spoken import Target, comment_from_recording

LOOPBACK = "127.0.0.1"
TOKEN_HEADER = "X-GitVoice-Token"
MAX_UPLOAD_BYTES = 16 * 1024 * 1024  # about an hour of browser Opus; a spoken comment is well below a megabyte
MAX_JSON_BYTES = 64 * 1024
UPLOAD_SUFFIXES = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/wav": ".wav", "audio/x-wav": ".wav",
                   "audio/mp4": ".m4a", "audio/mpeg": ".mp3", "audio/flac": ".flac"}
STATIC_FILES = {"/static/review.css": ("review.css", "text/css; charset=utf-8"),
                "/static/review.js": ("review.js", "text/javascript; charset=utf-8")}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token is in the URL
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_COMMENT_PATH = re.compile(r"^/api/comments/(\d{1,6})/([0-9a-f]{12})(/delete)?$")
_AUDIO_PATH = re.compile(r"^/audio/(note|readback)/(\d{1,6})$")
_COMMENT_AUDIO_PATH = re.compile(r"^/audio/comment/(\d{1,6})/([0-9a-f]{12})$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

Synthesize = Callable[[Entry], bytes]  # an entry's readback as WAV bytes


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ReviewApp:
    """What the server serves: the series, its comments, the readback, and the rules on who may ask."""

    series: Series
    store: CommentStore
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    synthesize: Synthesize | None = None  # None: readback is not offered
    can_comment: bool = True
    comment_hint: str = ""
    _readbacks: dict[int, bytes] = field(default_factory=dict)
    _speech_lock: threading.Lock = field(default_factory=threading.Lock)

    def entry(self, index: int) -> Entry:
        if not 0 <= index < len(self.series.entries):
            raise HttpError(HTTPStatus.NOT_FOUND, "no such commit in this review")
        return self.series.entries[index]

    def page(self) -> str:
        views = []
        rows = 0
        for index, entry in enumerate(self.series.entries):
            has_audio = entry.commit is not None and audio_note_blob(entry.commit, self.store.cwd) is not None
            view = entry_view(index, entry, self.store.comments(entry.key), has_audio, rows)
            rows += sum(len(f.rows) for f in view.files if f.is_open)
            views.append(view)
        return render_page(self.series, views, token=self.token, can_comment=self.can_comment,
                           comment_hint=self.comment_hint)

    def comment_html(self, index: int, comment: Comment) -> str:
        template = environment().get_template("comment.html.j2")
        return template.render(entry={"index": index}, comment=comment, token=self.token,
                               can_comment=self.can_comment)

    def note_audio(self, index: int) -> tuple[bytes, str]:
        entry = self.entry(index)
        data = read_audio_note(entry.commit, self.store.cwd) if entry.commit else None
        if data is None:
            raise HttpError(HTTPStatus.NOT_FOUND, "this commit has no recorded note")
        return data, "audio/flac" if audio_suffix(data) == ".flac" else "audio/ogg"

    def readback_audio(self, index: int) -> tuple[bytes, str]:
        entry = self.entry(index)
        if self.synthesize is None:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "readback is not available")
        with self._speech_lock:
            if index not in self._readbacks:
                self._readbacks[index] = self.synthesize(entry)
        return self._readbacks[index], "audio/wav"

    def add_spoken_comment(self, query: dict[str, str], content_type: str, body: bytes) -> dict[str, Any]:
        index = _int(query, "entry")
        entry = self.entry(index)
        files = entry.files
        file_index = _int(query, "file")
        if not 0 <= file_index < len(files):
            raise HttpError(HTTPStatus.NOT_FOUND, "no such file in this commit")
        start, end, side = _int(query, "start"), _int(query, "end"), query.get("side", "new")
        if side not in SIDES or not 0 < start <= end:
            raise HttpError(HTTPStatus.BAD_REQUEST, "a comment needs lines start <= end on side new or old")
        suffix = UPLOAD_SUFFIXES.get(content_type.split(";")[0].strip().lower())
        if suffix is None:
            raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the recording as audio/webm, ogg, wav or mp4")
        target = Target(entry.key, files[file_index], start, end, side)
        with tempfile.TemporaryDirectory(prefix="gitvoice-review-") as folder:
            recording = Path(folder) / f"comment{suffix}"  # our own name: nothing of the request becomes a path
            recording.write_bytes(body)
            with self._speech_lock:  # one transcription at a time: the model is large and the CPU small
                comment = comment_from_recording(recording, target, self.store)
        return {"id": comment.id, "transcript": comment.transcript, "html": self.comment_html(index, comment)}

    def change_comment(self, index: int, comment_id: str, delete: bool, body: bytes) -> dict[str, Any]:
        entry = self.entry(index)
        if delete:
            if not self.store.remove(entry.key, comment_id):
                raise HttpError(HTTPStatus.NOT_FOUND, "no such comment")
            return {"deleted": comment_id}
        try:
            transcript = json.loads(body.decode("utf-8")).get("transcript")
        except (ValueError, AttributeError, UnicodeDecodeError):
            transcript = None
        if not isinstance(transcript, str) or not transcript.strip() or len(transcript) > MAX_TRANSCRIPT_CHARS:
            raise HttpError(HTTPStatus.BAD_REQUEST, "send {\"transcript\": \"...\"} with the corrected text")
        updated = self.store.update_transcript(entry.key, comment_id, transcript.strip())
        if updated is None:
            raise HttpError(HTTPStatus.NOT_FOUND, "no such comment")
        return {"id": updated.id, "transcript": updated.transcript}

    def comment_audio(self, index: int, comment_id: str) -> tuple[bytes, str]:
        found = self.store.audio(self.entry(index).key, comment_id)
        if found is None:
            raise HttpError(HTTPStatus.NOT_FOUND, "this comment has no recording")
        return found


def _int(query: dict[str, str], name: str) -> int:
    value = query.get(name, "")
    if not value.isdigit() or len(value) > 9:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"{name} must be a number")
    return int(value)


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    protocol_version = "HTTP/1.1"
    server_version = "gitvoice-review"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows the URL and errors, not every request."""

    def do_GET(self) -> None:
        self._respond(self._get)

    def do_HEAD(self) -> None:
        self._respond(self._get, head=True)

    def do_POST(self) -> None:
        self._respond(self._post)

    def _respond(self, route: Callable[[str, dict[str, str]], tuple[HTTPStatus, bytes, str]],
                 head: bool = False) -> None:
        url = urlsplit(self.path)
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        try:
            self._check_host()
            status, body, kind = route(url.path, query)
        except HttpError as error:
            status, kind = error.status, "application/json"
            body = json.dumps({"error": error.message}).encode()
        except GitVoiceError as error:
            status, kind = HTTPStatus.UNPROCESSABLE_ENTITY, "application/json"
            body = json.dumps({"error": error.message, "hint": error.hint}).encode()
        self._send(status, body, kind, head)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool = False) -> None:
        start, end = 0, len(body)
        range_header = self.headers.get("Range")
        if status == HTTPStatus.OK and kind.startswith("audio/") and range_header:
            match = _RANGE.match(range_header.strip())
            if match and (match.group(1) or match.group(2)):
                if match.group(1):
                    start = int(match.group(1))
                    end = min(len(body), int(match.group(2)) + 1) if match.group(2) else len(body)
                else:
                    start = max(0, len(body) - int(match.group(2)))
                if start >= len(body) or start >= end:
                    self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = HTTPStatus.PARTIAL_CONTENT
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(end - start))
        if kind.startswith("audio/"):
            self.send_header("Accept-Ranges", "bytes")
            if status == HTTPStatus.PARTIAL_CONTENT:
                self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(body)}")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body[start:end])

    def _check_host(self) -> None:
        port = self.server.server_address[1]
        if self.headers.get("Host", "") not in (f"{LOOPBACK}:{port}", f"localhost:{port}"):
            raise HttpError(HTTPStatus.MISDIRECTED_REQUEST, "this server answers only on the loopback address")

    def _check_token(self, given: str | None) -> None:
        if not given or not hmac.compare_digest(given.encode(), self.server.app.token.encode()):
            raise HttpError(HTTPStatus.FORBIDDEN, "missing or wrong token; open the URL that git voice review printed")

    def _get(self, path: str, query: dict[str, str]) -> tuple[HTTPStatus, bytes, str]:
        self._check_token(query.get("t"))
        app = self.server.app
        if path == "/":
            return HTTPStatus.OK, app.page().encode(), "text/html; charset=utf-8"
        if path in STATIC_FILES:
            name, kind = STATIC_FILES[path]
            return HTTPStatus.OK, resources.files("gitvoice.review").joinpath("static", name).read_bytes(), kind
        if match := _AUDIO_PATH.match(path):
            which, index = match.group(1), int(match.group(2))
            data, kind = app.note_audio(index) if which == "note" else app.readback_audio(index)
            return HTTPStatus.OK, data, kind
        if match := _COMMENT_AUDIO_PATH.match(path):
            data, kind = app.comment_audio(int(match.group(1)), match.group(2))
            return HTTPStatus.OK, data, kind
        raise HttpError(HTTPStatus.NOT_FOUND, "not found")

    def _post(self, path: str, query: dict[str, str]) -> tuple[HTTPStatus, bytes, str]:
        # The token only counts in the header: a form or an <img> of another site can put it in no header.
        self._check_token(self.headers.get(TOKEN_HEADER))
        self._check_same_origin()
        app = self.server.app
        if not app.can_comment:
            raise HttpError(HTTPStatus.FORBIDDEN, app.comment_hint or "comments cannot be stored here")
        if path == "/api/comments":
            body = self._body(MAX_UPLOAD_BYTES)
            result = app.add_spoken_comment(query, self.headers.get("Content-Type", ""), body)
            return HTTPStatus.CREATED, json.dumps(result).encode(), "application/json"
        if match := _COMMENT_PATH.match(path):
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON")
            body = self._body(MAX_JSON_BYTES)
            result = app.change_comment(int(match.group(1)), match.group(2), bool(match.group(3)), body)
            return HTTPStatus.OK, json.dumps(result).encode(), "application/json"
        raise HttpError(HTTPStatus.NOT_FOUND, "not found")

    def _check_same_origin(self) -> None:
        port = self.server.server_address[1]
        origin = self.headers.get("Origin")
        if origin is not None and origin not in (f"http://{LOOPBACK}:{port}", f"http://localhost:{port}"):
            raise HttpError(HTTPStatus.FORBIDDEN, "cross-site requests are refused")
        if self.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
            raise HttpError(HTTPStatus.FORBIDDEN, "cross-site requests are refused")

    def _body(self, limit: int) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send Content-Length")
        if int(length) > limit:
            self.close_connection = True  # the body is never read: the connection cannot be reused
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"uploads are limited to {limit:,} bytes")
        return self.rfile.read(int(length))


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: ReviewApp, port: int = 0) -> None:
        super().__init__((LOOPBACK, port), ReviewHandler)
        self.app = app

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}/?t={self.app.token}"

    def start(self) -> threading.Thread:
        """Serve in a background thread (tests, and the command while it waits for Ctrl-C)."""
        thread = threading.Thread(target=self.serve_forever, name="gitvoice-review", daemon=True)
        thread.start()
        return thread


def readback_synthesizer(cwd: Path | None = None) -> Synthesize:
    """An entry's readback (the script `git voice readback` speaks) as a WAV, with the configured engine; the
    engine is looked up once, on the first request."""
    from gitvoice.config import settings
    from gitvoice.readback.engines import SpeechEngine, load_tts_engine

    engines: list[SpeechEngine] = []

    def synthesize(entry: Entry) -> bytes:
        import soundfile

        from gitvoice.audio.playback import Utterance, join_utterances
        from gitvoice.readback.script import build_script, speech_units

        if not engines:
            rate = settings.resolve(settings.TTS_RATE, None, cwd)
            engines.append(load_tts_engine(settings.resolve(settings.TTS_ENGINE, None, cwd),
                                           voice=settings.resolve(settings.TTS_VOICE, None, cwd) or None,
                                           piper_voice=settings.resolve(settings.PIPER_VOICE, None, cwd) or None,
                                           rate_wpm=int(rate) if rate.isdigit() else None))
        engine = engines[0]
        units = speech_units(build_script([entry.record]))
        samples, rate_hz = join_utterances([Utterance(p, *engine.synthesize(text)) for p, text in units])
        buffer = io.BytesIO()
        soundfile.write(buffer, samples, rate_hz, subtype="PCM_16", format="WAV")
        return buffer.getvalue()

    return synthesize


def review_app(series: Series, cwd: Path | None = None, *, readback: bool = True) -> ReviewApp:
    root = repo_root(cwd)
    hint = "" if root else "Comments are kept in a git repository: run git voice review inside one to add them."
    return ReviewApp(series, CommentStore(root), synthesize=readback_synthesizer(root) if readback else None,
                     can_comment=root is not None, comment_hint=hint)
