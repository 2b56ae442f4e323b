"""gitvoice's own client against a real `git voice serve`: transcribe, commit and note as real `git voice`
subprocesses that import no torch and no whisper; `auto` starting the service on demand; a down, slow or wrong
server falling back or failing in one line, with the recording kept; streaming chunks to the server; live capture
through the sound server without torch."""

from __future__ import annotations

import http.server
import json
import os
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_helpers import run_git_voice
from service_fixtures import TOKEN, VENV_BIN, RunningService, imported_modules, without_import_lines
from sound_server import SoundServer
from support import git

from gitvoice.service.server import ServiceServer

pytestmark = pytest.mark.slow
HEAVY = ("torch", "whisper", "silero_vad", "tiktoken", "numba")
PHRASE = "ask not what your country can do for you"


def client_env(service: RunningService, **extra: str) -> dict[str, str]:
    return {"GITVOICE_SERVER": service.url, "GITVOICE_SERVER_API_KEY": service.token,
            "GITVOICE_SERVER_FALLBACK": "error", "PYTHONPROFILEIMPORTTIME": "1", **extra}


def assert_light(stderr: str) -> None:
    modules = imported_modules(stderr)
    assert "gitvoice.service.client" in modules and "numpy" in modules  # the import log is complete
    assert not {name for name in modules if name.split(".")[0] in HEAVY}


def test_transcribe_on_the_server_imports_no_torch(git_voice_serve: RunningService, jfk: Path,
                                                   tmp_path: Path) -> None:
    done = run_git_voice(["transcribe", "--json", "--hotword", "Americans", str(jfk)], tmp_path,
                         env=client_env(git_voice_serve))
    assert done.exit_code == 0, without_import_lines(done.stderr)
    result = json.loads(done.stdout)
    assert PHRASE in result["text"].lower()
    assert result["server"] == git_voice_serve.url and result["model"] == "tiny.en"
    assert_light(done.stderr)


def test_commit_and_note_on_the_server(git_voice_serve: RunningService, jfk: Path, repo: Path) -> None:
    (repo / "country.py").write_text("def ask_not():\n    return 'what you can do'\n")
    git(repo, "add", "country.py")
    done = run_git_voice(["commit", "--audio", str(jfk), "--no-edit"], repo, env=client_env(git_voice_serve))
    assert done.exit_code == 0, without_import_lines(done.stderr)
    assert_light(done.stderr)
    assert PHRASE in git(repo, "notes", "--ref=voice", "show", "HEAD").lower()
    assert "country" in git(repo, "log", "-1", "--format=%B").lower()

    noted = run_git_voice(["note", "HEAD", "--audio", str(jfk)], repo, env=client_env(git_voice_serve))
    assert noted.exit_code == 0, without_import_lines(noted.stderr)
    assert_light(noted.stderr)
    assert PHRASE in git(repo, "notes", "--ref=voice", "show", "HEAD").lower()


@pytest.mark.audio
def test_live_capture_on_the_server_imports_no_torch(git_voice_serve: RunningService, sound_server: SoundServer,
                                                     jfk: Path, repo: Path) -> None:
    """`git voice record` from the microphone (a clip played into the sound server): the pauses are found by the
    energy VAD, the chunks are decoded by the service, and the command never imports torch, whisper or silero."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", **client_env(git_voice_serve)}
    recorder = subprocess.Popen([str(VENV_BIN / "git-voice"), "record", "--silence-seconds", "1.5", "--max-seconds",
                                 "40"], cwd=repo, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)  # the recorder is listening before the "speaker" starts
    player = sound_server.play(jfk)
    stdout, stderr = recorder.communicate(timeout=120)
    assert player.wait(timeout=10) == 0
    assert recorder.returncode == 0, without_import_lines(stderr)
    recording, transcript = stdout.strip().split("\n", 1)
    assert Path(recording).is_file()
    assert PHRASE in transcript.lower()
    assert_light(stderr)
    assert "gitvoice.audio.vad_energy" in imported_modules(stderr)  # the live path ran, without silero


def test_the_service_runs_float32_on_the_cpu_like_the_commands(git_voice_serve: RunningService,
                                                               tmp_path: Path) -> None:
    status = run_git_voice(["serve", "--status"], tmp_path, env=git_voice_serve.env)
    assert status.exit_code == 0 and "on cpu, float32 at" in status.stdout, status.stdout


def test_auto_starts_the_service_with_the_commands_cpu_weights(jfk: Path, repo: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """voice.cpuWeights in the repository's git config: the service `auto` starts (in its own folder, where that
    config is not) loads the model as the command would have."""
    runtime_dir = repo.parent / "run"
    runtime_dir.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime_dir))
    git(repo, "config", "voice.cpuWeights", "int8")
    env = {"GITVOICE_SERVER": "auto", "GITVOICE_SERVER_FALLBACK": "error", "GITVOICE_SERVER_IDLE_SECONDS": "30"}
    try:
        done = run_git_voice(["transcribe", str(jfk)], repo, env=env)
        assert done.exit_code == 0 and PHRASE in done.stdout.lower(), done.stderr
        status = run_git_voice(["serve", "--status"], repo)
        assert status.exit_code == 0 and "on cpu, int8 at" in status.stdout, status.stdout
    finally:
        run_git_voice(["serve", "--stop"], repo)


def test_a_down_server_falls_back_to_local_with_one_notice(jfk: Path, tmp_path: Path) -> None:
    port = _free_port()
    done = run_git_voice(["transcribe", str(jfk)], tmp_path,
                         env={"GITVOICE_SERVER": f"http://127.0.0.1:{port}"})
    assert done.exit_code == 0 and PHRASE in done.stdout.lower()
    assert done.stderr.count(f"http://127.0.0.1:{port}") == 1
    assert "transcribing here instead" in done.stderr


def test_a_down_server_with_fallback_error_fails_in_one_line_and_keeps_the_recording(jfk: Path, repo: Path) -> None:
    (repo / "a.py").write_text("x = 1\n")
    git(repo, "add", "a.py")
    url = f"http://127.0.0.1:{_free_port()}"
    done = run_git_voice(["commit", "--audio", str(jfk), "--no-edit"], repo,
                         env={"GITVOICE_SERVER": url, "GITVOICE_SERVER_FALLBACK": "error"})
    assert done.exit_code == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"gitvoice: error: the transcription server {url} cannot be reached")
    assert "the recording is kept at" in lines[0]
    assert lines[1].startswith("hint: ") and "voice.server" in lines[1]
    history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
    assert history[0]["status"] == "aborted" and Path(history[0]["path"]).is_file()


@pytest.fixture
def wrong_server(tmp_path: Path) -> Iterator[str]:
    """A web server that is not a transcription server: every POST gets an HTML 501 page."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_wrong_server_is_named_in_the_error(wrong_server: str, jfk: Path, tmp_path: Path) -> None:
    done = run_git_voice(["transcribe", str(jfk)], tmp_path,
                         env={"GITVOICE_SERVER": wrong_server, "GITVOICE_SERVER_FALLBACK": "error"})
    assert done.exit_code == 1
    assert done.stderr.startswith(f"gitvoice: error: the transcription server {wrong_server} answered 501")
    assert len(done.stderr.strip().splitlines()) == 2  # the error and its hint


def test_a_slow_server_counts_as_down() -> None:
    from gitvoice.service.client import ServiceClient, ServiceUnavailable
    from gitvoice.service.wire import wav_bytes

    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        client = ServiceClient(f"http://127.0.0.1:{silent.getsockname()[1]}", "key", timeout_s=0.5)
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match="did not answer within"):
            client.transcribe(wav_bytes(np.zeros(160, dtype=np.float32)), model="tiny.en", audio_s=0.01)
        assert time.monotonic() - started < 5


def test_auto_starts_the_service_in_the_background_and_it_exits_when_idle(jfk: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    runtime_dir = tmp_path / "run"
    runtime_dir.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime_dir))
    env = {"GITVOICE_SERVER": "auto", "GITVOICE_SERVER_FALLBACK": "error", "GITVOICE_SERVER_IDLE_SECONDS": "6"}
    first = run_git_voice(["transcribe", str(jfk)], tmp_path, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
    assert first.exit_code == 0, without_import_lines(first.stderr)
    assert PHRASE in first.stdout.lower()
    assert_light(first.stderr)

    state_file = runtime_dir / "gitvoice" / "server.json"
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600  # the token: the user's only
    assert stat.S_IMODE(state_file.parent.stat().st_mode) == 0o700
    state = json.loads(state_file.read_text())
    status = run_git_voice(["serve", "--status"], tmp_path)
    assert status.exit_code == 0 and state["url"] in status.stdout and "server.log" in status.stdout

    second = run_git_voice(["transcribe", str(jfk)], tmp_path, env=env)  # the same service, no second start
    assert second.exit_code == 0 and json.loads(state_file.read_text())["pid"] == state["pid"]

    deadline = time.monotonic() + 60
    while _alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _alive(state["pid"]), "the service exits after voice.serverIdleSeconds unused"
    assert run_git_voice(["serve", "--status"], tmp_path).exit_code == 3
    assert "idle for 6 s" in Path(state["log"]).read_text()


def test_serve_background_status_and_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    started = run_git_voice(["serve", "--background"], tmp_path)
    assert started.exit_code == 0, started.stderr
    assert "serving tiny.en at http://127.0.0.1:" in started.stdout and "log: " in started.stdout
    again = run_git_voice(["serve"], tmp_path)  # one service per user
    assert again.exit_code == 1 and "already runs" in again.stderr
    stopped = run_git_voice(["serve", "--stop"], tmp_path)
    assert stopped.exit_code == 0 and "stopped the service" in stopped.stdout
    assert run_git_voice(["serve", "--status"], tmp_path).exit_code == 3
    assert not (tmp_path / "gitvoice" / "server.json").exists()


def test_streaming_chunks_to_the_server_gives_the_whole_file_transcript(served: ServiceServer, engine: Any,
                                                                        human_clips: list[Any],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """ChunkTranscriber (live capture) with the server's engine: each chunk decoded there as it would be here."""
    from gitvoice.audio.files import read_audio
    from gitvoice.audio.vad import group_spans, speech_spans
    from gitvoice.audio.wavfile import quantize
    from gitvoice.pipeline.engines import ServedEngine, ServerChoice
    from gitvoice.pipeline.live import ChunkTranscriber
    from gitvoice.pipeline.vocabulary import NO_VOCABULARY
    from gitvoice.service.wire import RemoteTranscript

    by_id = {clip.id: clip for clip in human_clips}
    gap = np.zeros(32_000, dtype=np.float32)
    note = quantize(np.concatenate([read_audio(by_id["pocketsphinx_goforward"].path), gap,
                                    read_audio(by_id["sr_english_one_two_three"].path)]))
    monkeypatch.setenv("GITVOICE_SERVER_API_KEY", TOKEN)
    remote = ServedEngine(ServerChoice(served.url, False, 30.0, "tiny.en", 0.0), "tiny.en", "cpu")
    transcriber = ChunkTranscriber("tiny.en", "cpu", NO_VOCABULARY, None, engine=remote)
    chunks = group_spans(speech_spans(note))
    for chunk in chunks:  # as if each chunk had just been closed by the VAD while recording
        transcriber.submit(chunk, note)
    streamed = transcriber.finish(chunks, note, "note", time.perf_counter())
    whole = engine.transcribe(note)
    assert isinstance(streamed, RemoteTranscript)
    assert streamed.text == whole.text
    assert [(s.start_s, s.end_s, s.text) for s in streamed.segments] == \
        [(s.start_s, s.end_s, s.text) for s in whole.segments]
    assert streamed.extra["chunks"] == len(chunks) == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie that nobody has reaped yet has exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True
