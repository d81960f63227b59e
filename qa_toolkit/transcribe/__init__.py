"""Transcribe: turn recorded calls into speaker-labelled turns.

Whisper backends (faster-whisper by default, openai-whisper as an extra) behind one small
interface, model resolution (local directory, model name, packaged offline models), audio
decoding and truncation checks, per-channel transcription of stereo calls (or, faster, both channels'
speech packed into Whisper windows, crosstalk left out) merged into agent/customer turns by word timestamps, recording metadata, the nightly batch (local or
distributed with procrastinate on PostgreSQL) and WER evaluation with jiwer.
"""

DEFAULT_BEAM_SIZE = 5  # 2: less CPU, not clearly as accurate per channel; the one for --pack-channels (README, Speed)
