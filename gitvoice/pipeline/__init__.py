"""Speech in, text out, for every command: recording, streaming transcription, the code vocabulary and the store."""
