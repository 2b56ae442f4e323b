"""Transcription as a service on the OpenAI audio API: `git voice serve` keeps a model loaded (server.py), and every
command that transcribes can send its audio to it or to any OpenAI-compatible server (client.py).

The client side (wire.py, client.py, runtime.py) imports no torch and no whisper: a command that uses a server
stays as light as the base install plus numpy. Only server.py loads the engine.
"""
