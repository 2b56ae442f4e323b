"""`git voice serve`'s HTTP side over real HTTP, in-process with the real model: the OpenAI API as the official
`openai` client sees it, the security rules (token, Host, size cap, malformed bodies), and the queue."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from service_fixtures import TOKEN

from gitvoice.service.server import MAX_UPLOAD_BYTES, ServiceServer
from gitvoice.service.wire import multipart_body

pytestmark = pytest.mark.slow


def post(server: ServiceServer, body: bytes, content_type: str, token: str | None = TOKEN,
         host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=120)
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if host:
        headers["Host"] = host
    try:
        connection.request("POST", "/v1/audio/transcriptions", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def form(audio: bytes, **fields: str) -> tuple[str, bytes]:
    return multipart_body(list(fields.items()), "speech.wav", audio)


def test_the_official_openai_client_transcribes_a_clip(served: ServiceServer, jfk: Path) -> None:
    openai = pytest.importorskip("openai")
    with openai.OpenAI(base_url=f"{served.url}/v1", api_key=TOKEN, max_retries=0) as client:
        transcribe_with_the_openai_client(client, jfk)


def transcribe_with_the_openai_client(client: Any, jfk: Path) -> None:
    assert [model.id for model in client.models.list()] == ["tiny.en"]
    with jfk.open("rb") as audio:
        result = client.audio.transcriptions.create(model="whisper-1", file=audio)
    assert "ask not what your country can do for you" in result.text.lower()
    with jfk.open("rb") as audio:
        verbose = client.audio.transcriptions.create(model="tiny.en", file=audio, response_format="verbose_json",
                                                     language="en", prompt="fetch_user")
    assert verbose.language == "en" and verbose.segments and verbose.segments[0].start >= 0.0
    with jfk.open("rb") as audio:
        srt = client.audio.transcriptions.create(model="whisper-1", file=audio, response_format="srt")
    assert str(srt).startswith("1\n00:00:0") and "-->" in str(srt)


def test_every_response_format(served: ServiceServer, jfk: Path) -> None:
    audio = jfk.read_bytes()
    answers = {}
    for response_format in ("json", "text", "verbose_json", "vtt"):
        status, body = post(served, *reversed(form(audio, model="whisper-1", response_format=response_format)))
        assert status == 200, body
        answers[response_format] = body.decode()
    assert "ask not" in json.loads(answers["json"])["text"].lower()
    assert answers["text"].strip() == json.loads(answers["json"])["text"]
    assert answers["vtt"].startswith("WEBVTT\n\n00:00:0")
    verbose = json.loads(answers["verbose_json"])
    assert verbose["x_gitvoice"]["model"] == "tiny.en" and verbose["duration"] == pytest.approx(11.0, abs=0.1)


def test_no_token_is_401_and_models_need_one_too(served: ServiceServer, jfk: Path) -> None:
    content_type, body = form(jfk.read_bytes())
    assert post(served, body, content_type, token=None)[0] == 401
    assert post(served, body, content_type, token="wrong")[0] == 401
    connection = http.client.HTTPConnection("127.0.0.1", served.server_address[1], timeout=10)
    connection.request("GET", "/v1/models")
    response = connection.getresponse()
    assert response.status == 401 and response.getheader("WWW-Authenticate")
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", served.server_address[1], timeout=10)
    connection.request("GET", "/health")  # the health check alone needs no token, and tells nothing else
    health = connection.getresponse()
    assert health.status == 200 and set(json.loads(health.read())) == {"status", "pid"}
    connection.close()


def test_a_foreign_host_header_is_refused(served: ServiceServer, jfk: Path) -> None:
    content_type, body = form(jfk.read_bytes())
    assert post(served, body, content_type, host="attacker.example:80")[0] == 403


def test_an_oversized_upload_is_413_before_it_is_read(served: ServiceServer) -> None:
    with socket.create_connection(("127.0.0.1", served.server_address[1]), timeout=10) as raw:
        raw.sendall(f"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1:{served.server_address[1]}\r\n"
                    f"Authorization: Bearer {TOKEN}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                    f"Content-Length: {MAX_UPLOAD_BYTES + 1}\r\n\r\n".encode())
        answer = raw.recv(4096).decode()  # nothing of the body was sent: the server did not wait for it
    assert answer.startswith("HTTP/1.1 413")


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data; boundary=abc", b"--abc\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nxyz"),
    ("multipart/form-data; boundary=abc", b"no boundary here at all"),
    ("application/json", b'{"file": "/etc/passwd"}'),
    ("multipart/form-data; boundary=abc", b"--abc\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
                                          b"whisper-1\r\n--abc--\r\n"),  # no file
])
def test_a_malformed_body_is_400(served: ServiceServer, content_type: str, body: bytes) -> None:
    status, answer = post(served, body, content_type)
    assert status == 400, answer
    assert json.loads(answer)["error"]["type"] == "invalid_request_error"


def test_bad_fields_and_unknown_models(served: ServiceServer, jfk: Path) -> None:
    audio = jfk.read_bytes()
    assert post(served, *reversed(form(audio, response_format="xml")))[0] == 400
    assert post(served, *reversed(form(audio, language="../../etc")))[0] == 400
    assert post(served, *reversed(form(audio, gitvoice_vocabulary="{not json")))[0] == 400
    assert post(served, *reversed(form(b"not audio at all")))[0] == 400
    status, answer = post(served, *reversed(form(audio, model="/etc/passwd")))  # never a path from a request
    assert status == 404 and "not served here" in json.loads(answer)["error"]["message"]


def test_requests_queue_for_the_one_model(served: ServiceServer, jfk: Path) -> None:
    """Three at once: one decode at a time, all three answered, all the same."""
    content_type, body = form(jfk.read_bytes(), response_format="text")
    answers: list[tuple[int, bytes]] = []
    threads = [threading.Thread(target=lambda: answers.append(post(served, body, content_type))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert [status for status, _ in answers] == [200, 200, 200]
    assert len({text for _, text in answers}) == 1
    assert served.service.models[0].waiting == 0 and not served.service.models[0].lock.locked()


def test_a_gitvoice_vocabulary_primes_the_engine(served: ServiceServer, jfk: Path) -> None:
    status, body = post(served, *reversed(form(jfk.read_bytes(), response_format="json",
                                               gitvoice_vocabulary=json.dumps(["Americans", "country"]))))
    assert status == 200 and "country" in json.loads(body)["text"]


def test_the_opening_chunk_of_a_live_recording_has_its_verb_rescored(served: ServiceServer) -> None:
    """The client marks a recording's first chunk (gitvoice_chunk=opening): the server rescores its first word
    against the opening verbs as the local streaming path does; any later chunk keeps its first word."""
    import io

    import soundfile

    from gitvoice.audio.files import read_audio

    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "understanding" / "audio"
    wav = io.BytesIO()
    soundfile.write(wav, read_audio(corpus / "pascal05_payment_declined.flac"), 16_000, format="WAV")
    vocabulary = json.dumps(["billing/charge.py", "charge_card", "ValueError", "PaymentDeclined"])
    texts = {}
    for chunk in ("opening", "1"):
        status, body = post(served, *reversed(form(wav.getvalue(), response_format="json",
                                                   gitvoice_vocabulary=vocabulary, gitvoice_chunk=chunk)))
        assert status == 200, body
        texts[chunk] = json.loads(body)["text"]
    assert texts["opening"].split()[0] == "Raise", texts  # the names are restored by the client, not here
    assert texts["1"].split()[0] != "Raise", texts
