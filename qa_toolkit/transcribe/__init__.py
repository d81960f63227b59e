"""Transcribe: turn recorded calls into speaker-labelled turns.

Whisper backends (faster-whisper by default, openai-whisper as an extra) behind one small
interface, model resolution (local directory, model name, packaged offline models), audio
decoding and truncation checks, stereo calls' speech of both channels packed into Whisper windows (crosstalk
left out; or each channel on its own) merged into agent/customer turns by word timestamps, recording metadata, the
nightly batch (local or distributed with procrastinate on PostgreSQL) and WER evaluation with jiwer.
"""

DEFAULT_BEAM_SIZE = 5  # mono calls, each channel on its own (--no-pack-channels) and a channel decoded directly
PACKED_BEAM_SIZE = 2  # stereo calls packed (the default): 1.34-1.45x less CPU than naive decoding over the labelled test calls, WER far better; beam 1: 1.57x (README, Speed)
