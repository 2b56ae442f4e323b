"""Speech to text: device choice, model weights and the Whisper engine. The only package that imports torch."""
