"""Sound in and out: files, voice activity, microphone capture and playback."""
