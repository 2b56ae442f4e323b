"""`git voice serve`: keep the Whisper model loaded and transcribe for every command (OpenAI's audio API)."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import threading
from types import FrameType

import click

from gitvoice.core.errors import GitVoiceError


@click.command()
@click.option("--model", "models", multiple=True, metavar="NAME|PATH",
              help="A model to keep loaded (repeatable; the first also answers to OpenAI's `whisper-1`). "
              "[default: voice.model]")
@click.option("--device", metavar="auto|mps|cuda|cpu", help="Where Whisper runs. [default: voice.device]")
@click.option("--cpu-weights", metavar="int8|float32",
              help="Whisper's weights on the CPU: float32, or int8 (quantized after loading). "
              "[default: voice.cpuWeights]")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="The loopback port (0: any free one; the state file records it).")
@click.option("--idle-seconds", type=click.FloatRange(min=0), default=None,
              help="Exit after this long without a request (0: never). [default: never in the foreground; "
              "voice.serverIdleSeconds in the background]")
@click.option("--background", is_flag=True, help="Start detached (logging to the log file) and return once ready.")
@click.option("--status", is_flag=True, help="Say whether the service runs, where, and where its log is.")
@click.option("--stop", is_flag=True, help="Stop the running service.")
def serve(models: tuple[str, ...], device: str | None, cpu_weights: str | None, port: int, idle_seconds: float | None,
          background: bool, status: bool, stop: bool) -> int:
    """Serve gitvoice's Whisper engine on 127.0.0.1, on OpenAI's audio transcription API.

    Commands use it with `git config voice.server auto` (which also starts it on demand, in the background) or
    `git config voice.server http://127.0.0.1:PORT`. Every request but /health needs the token kept in the
    state file, readable only by you. See docs/service.md.
    """
    from gitvoice.config import settings
    from gitvoice.pipeline.engines import cpu_weights as resolved_weights
    from gitvoice.service import runtime

    if status:
        return _status()
    if stop:
        stopped = runtime.stop_server()
        click.echo(f"stopped the service at {stopped.url} (process {stopped.pid})" if stopped
                   else "no service is running")
        return 0
    chosen = list(models) or [settings.resolve(settings.MODEL)]
    where = settings.resolve(settings.DEVICE, device)
    weights = resolved_weights(None, cpu_weights)  # as every command resolves it: the service is no different
    if background:
        idle = idle_seconds if idle_seconds is not None else float(settings.resolve(settings.SERVER_IDLE_SECONDS))
        state = runtime.start_in_background(chosen, where, idle, weights=weights)
        click.echo(f"serving {', '.join(state.models)} at {state.url} (process {state.pid}); log: {state.log}")
        return 0
    return _serve_here(chosen, where, weights, port, idle_seconds or 0.0)


def _status() -> int:
    from gitvoice.service import runtime

    state = runtime.running_server()
    if state is None:
        click.echo(f"no service is running (log: {runtime.log_path()})")
        return 3  # like `systemctl status` for a unit that is not running
    idle = f"exits after {state.idle_s:g} s unused" if state.idle_s else "runs until stopped"
    click.echo(f"serving {', '.join(state.models)} on {state.device} at {state.url} (process {state.pid}); {idle}")
    click.echo(f"log: {state.log}")
    click.echo(f"state and token: {runtime.state_path()}")
    return 0


def _serve_here(models: list[str], device: str, weights: str, port: int, idle_s: float) -> int:
    from gitvoice.service import runtime
    from gitvoice.service.server import ServiceServer, load_service

    running = runtime.running_server()
    if running is not None:
        raise GitVoiceError(f"a service already runs at {running.url} (process {running.pid})",
                            hint="`git voice serve --stop` ends it")
    logging.getLogger("gitvoice").setLevel(logging.INFO)
    token = secrets.token_urlsafe(32)
    service = load_service(models, device, token, idle_s, weights=weights)
    try:
        server = ServiceServer(service, port)
    except OSError as exc:
        raise GitVoiceError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                            hint="choose another --port, or 0 for any free one") from exc
    engine = service.models[0].engine
    state = runtime.ServerState(server.url, os.getpid(), token, [m.spec for m in service.models],
                                f"{engine.choice.device}, {engine.choice.dtype}", str(runtime.log_path()), idle_s)
    path = runtime.write_state(state)

    def stop(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    click.echo(f"gitvoice: serving {', '.join(state.models)} ({state.device}) at {server.url}", err=True)
    click.echo(f"gitvoice: state and token in {path}; Ctrl-C or `git voice serve --stop` ends it", err=True)
    try:
        server.serve_until_idle()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        runtime.remove_state(os.getpid())
    click.echo("gitvoice: the service has stopped", err=True)
    return 0
