"""The openai-whisper backend with real weights: the packaged tiny.en (CTranslate2) exported to a
checkpoint that ``whisper.load_model`` accepts, then real inference on the shared speech clips."""

from __future__ import annotations

import json
import re
import shutil
import struct
import sys
from pathlib import Path

import jiwer
import numpy as np
import pytest
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.errors import QAError
from qa_toolkit.transcribe import ct2_export
from qa_toolkit.transcribe.backend import TranscriptionOptions
from qa_toolkit.transcribe.ct2_export import ModelFormatError
from qa_toolkit.transcribe.models import resolve_model_dir

runner = CliRunner()
TINY_EN_DIMS = {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6, "n_audio_layer": 4,
                "n_vocab": 51864, "n_text_ctx": 448, "n_text_state": 384, "n_text_head": 6, "n_text_layer": 4}
# Measured 2026-11-27 with the exported tiny.en, beam 5, VAD on, after Whisper's English normalizer:
# WER 0.000 on each of the four clips with a reference (jfk, LibriSpeech, 2x LJSpeech) and overall,
# identical to faster-whisper int8 on the same weights. Bound set a little above.
WER_BOUND = 0.05


@pytest.fixture(scope="module")
def tiny_en_dir() -> Path:
    return resolve_model_dir("tiny.en")


@pytest.fixture(scope="module")
def tiny_en_checkpoint(tiny_en_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("openai") / "tiny.en.pt"
    ct2_export.export_openai(tiny_en_dir, out)
    return out


def _audio(shared_dir: Path, name: str) -> np.ndarray:
    from faster_whisper import decode_audio

    return decode_audio(str(shared_dir / "data" / "speech" / name))


def test_exported_state_dict_has_exactly_the_keys_and_shapes_whisper_expects(tiny_en_dir: Path) -> None:
    from whisper.model import ModelDimensions, Whisper

    checkpoint = ct2_export.convert(tiny_en_dir)
    assert checkpoint.dims == TINY_EN_DIMS
    expected = {k: tuple(v.shape) for k, v in Whisper(ModelDimensions(**checkpoint.dims)).state_dict().items()}
    assert {k: a.shape for k, a in checkpoint.state_dict.items()} == expected
    assert len(expected) == 167  # 4 encoder + 4 decoder blocks, convs, embeddings, norms
    assert checkpoint.parameters == 37_184_256
    assert {a.dtype for a in checkpoint.state_dict.values()} == {np.dtype(np.float16)}
    assert checkpoint.alignment_heads == [[1, 0], [2, 0], [2, 5], [3, 0], [3, 1], [3, 2], [3, 3], [3, 4]]


def test_fused_attention_is_split_in_q_k_v_order(tiny_en_dir: Path) -> None:
    model = ct2_export.read_model_bin(tiny_en_dir / "model.bin")
    state = ct2_export.whisper_state_dict(model)
    fused = model.variables["encoder/layer_2/self_attention/linear_0/weight"]
    assert fused.shape == (3 * 384, 384)
    np.testing.assert_array_equal(state["encoder.blocks.2.attn.query.weight"], fused[:384])
    np.testing.assert_array_equal(state["encoder.blocks.2.attn.key.weight"], fused[384:768])
    np.testing.assert_array_equal(state["encoder.blocks.2.attn.value.weight"], fused[768:])
    cross = model.variables["decoder/layer_3/attention/linear_1/bias"]
    assert not cross[:384].any(), "the stored key bias is zero"
    np.testing.assert_array_equal(state["decoder.blocks.3.cross_attn.value.bias"], cross[384:])
    assert "decoder.blocks.3.cross_attn.key.bias" not in state


@pytest.mark.slow
def test_whisper_load_model_accepts_the_exported_checkpoint_and_transcribes_jfk(
        tiny_en_checkpoint: Path, shared_dir: Path) -> None:
    import whisper

    model = whisper.load_model(str(tiny_en_checkpoint), device="cpu")
    result = model.transcribe(_audio(shared_dir, "jfk.flac"), language="en", fp16=False)
    assert result["text"].strip() == ("And so my fellow Americans ask not what your country can do for you "
                                      "ask what you can do for your country")


@pytest.mark.slow
def test_backend_transcribes_the_shared_speech_within_the_wer_bound(
        tiny_en_checkpoint: Path, shared_dir: Path) -> None:
    from whisper.normalizers import EnglishTextNormalizer

    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    normalize = EnglishTextNormalizer()
    backend = load_openai_backend(tiny_en_checkpoint)
    assert backend.name == "openai-whisper"
    references = json.loads((shared_dir / "data/speech/references.json").read_text())["references"]
    assert len(references) == 4
    refs, hyps = [], []
    for name, reference in references.items():
        segments = list(backend.transcribe(_audio(shared_dir, name), TranscriptionOptions()))
        refs.append(normalize(reference))
        hyps.append(normalize(" ".join(s.text for s in segments)))
    wer = jiwer.wer(refs, hyps)
    assert wer <= WER_BOUND, list(zip(refs, hyps))


@pytest.mark.slow
def test_segments_carry_word_timestamps_and_confidences(tiny_en_checkpoint: Path, shared_dir: Path) -> None:
    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    segments = list(load_openai_backend(tiny_en_checkpoint).transcribe(_audio(shared_dir, "jfk.flac"),
                                                                       TranscriptionOptions()))
    words = [w for s in segments for w in s.words]
    assert [w.word for w in words][:5] == ["And", "so,", "my", "fellow", "Americans"]
    americans = words[4]
    assert americans.start <= 1.8 <= americans.end  # as openai/whisper's own test asserts
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    assert all(0.0 <= s.start < s.end <= 11.0 for s in segments)
    assert all(-1.0 < s.avg_logprob < 0.0 and 0.0 <= s.no_speech_prob < 0.5 for s in segments)
    assert all(0.0 < w.probability <= 1.0 for w in words)


@pytest.mark.slow
def test_packaged_name_loads_the_same_weights_without_a_file(shared_dir: Path) -> None:
    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    backend = load_openai_backend("tiny.en")
    text = " ".join(s.text for s in backend.transcribe(_audio(shared_dir, "ljspeech_LJ002-0020.wav"),
                                                       TranscriptionOptions()))
    assert text == "in 1813."


@pytest.mark.slow
def test_a_stereo_call_is_packed_at_beam_2_as_with_faster_whisper(tiny_en_checkpoint: Path) -> None:
    """The default stereo path (both channels' speech packed into windows, beam 2) through openai-whisper: each
    window decoded on its own (no batched decoding here), the words back on their channels."""
    from qa_toolkit.transcribe.evaluate import normalize
    from qa_toolkit.transcribe.openai_backend import load_openai_backend
    from qa_toolkit.transcribe.pipeline import transcribe_file
    from transcribe_support import SAMPLES

    transcript = transcribe_file(SAMPLES / "call_03_overtalk.wav", load_openai_backend(tiny_en_checkpoint))
    options = transcript.provenance["options"]
    assert (options["pack_channels"], options["beam_size"]) == (True, 2)  # type: ignore[index]
    assert [t.speaker for t in transcript.turns] == ["agent", "customer"] * 3 + ["agent"]
    # Each turn its own sentence, by words this decoding hears: packed with the customer's audio, tiny.en hears "your
    # new card" as "your new car and" here and "express delivery" as "a rest of the limery" on both backends (see
    # test_transcribe_pipeline's overtalk test).
    assert "arrive" in normalize(transcript.turns[2].text) and "booked" in normalize(transcript.turns[4].text)


def test_silence_gives_no_segments(tiny_en_checkpoint: Path) -> None:
    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    backend = load_openai_backend(tiny_en_checkpoint)
    assert list(backend.transcribe(np.zeros(16_000 * 3, dtype=np.float32), TranscriptionOptions())) == []


def test_cli_exports_a_packaged_model(tmp_path: Path) -> None:
    result = runner.invoke(app, ["models", "export-openai", "tiny.en", str(tmp_path / "t.pt"), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["dims"] == TINY_EN_DIMS and info["parameters"] == 37_184_256
    assert info["bytes"] == (tmp_path / "t.pt").stat().st_size > 70_000_000


def test_cli_lists_the_packaged_models() -> None:
    result = runner.invoke(app, ["models", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["tiny.en"]["installed"] is True and rows["tiny.en"]["bytes"] == 75_537_502
    assert set(rows) == {"tiny.en", "base"}


def _save_with_ctranslate2(model: ct2_export.CT2Model, vocabulary: Path, out: Path, quantization: str) -> Path:
    """Write ``model`` again with CTranslate2's own writer (``WhisperSpec.save``), quantized as asked."""
    from ctranslate2.specs import whisper_spec

    dims = ct2_export.whisper_dims(model)
    spec = whisper_spec.WhisperSpec(dims["n_audio_layer"], dims["n_audio_head"], dims["n_text_layer"],
                                    dims["n_text_head"])
    for name, value in model.variables.items():
        if value.dtype != np.float16 or name == "decoder/projection/weight":
            continue  # constants are set by the spec itself; the projection is an alias
        *path, attr = name.split("/")
        node = spec
        for part in path:
            indexed = re.fullmatch(r"([a-z]+)_(\d+)", part)
            if indexed and isinstance(getattr(node, indexed[1], None), list):
                node = getattr(node, indexed[1])[int(indexed[2])]
            else:
                node = getattr(node, part)
        setattr(node, attr, value)
    spec.decoder.projection.weight = model.variables["decoder/embeddings/weight"]
    spec.register_vocabulary(vocabulary.read_text(encoding="utf-8").splitlines())
    spec.validate()
    spec.optimize(quantization=quantization)
    out.mkdir()
    spec.save(str(out))
    return out


def test_reader_agrees_with_ctranslate2s_own_writer_float16_and_int8(tiny_en_dir: Path, tmp_path: Path) -> None:
    original = ct2_export.read_model_bin(tiny_en_dir / "model.bin")
    reference = ct2_export.whisper_state_dict(original)
    vocabulary = tiny_en_dir / "vocabulary.txt"
    resaved = ct2_export.read_model_bin(_save_with_ctranslate2(original, vocabulary, tmp_path / "f16", "float16")
                                        / "model.bin")
    assert (resaved.spec, resaved.revision) == ("WhisperSpec", 3)
    for name, array in original.variables.items():
        np.testing.assert_array_equal(resaved.variables[name], array, err_msg=name)
    int8_dir = _save_with_ctranslate2(original, vocabulary, tmp_path / "int8", "int8")
    int8 = ct2_export.read_model_bin(int8_dir / "model.bin")
    assert int8.variables["encoder/layer_0/self_attention/linear_0/weight"].dtype == np.int8
    assert int8.variables["decoder/embeddings/weight"].dtype == np.int8
    dequantized = ct2_export.whisper_state_dict(int8)
    assert dequantized.keys() == reference.keys()
    for name, array in reference.items():
        expected = array.astype(np.float32)
        # per-row int8: error at most half a step, amax/127/2, plus float16 rounding
        assert np.abs(dequantized[name].astype(np.float32) - expected).max() <= (
            np.abs(expected).max() / 254 + 1e-3), name


def _copy_model(src: Path, dst: Path, data: bytes) -> Path:
    dst.mkdir()
    shutil.copyfile(src / "config.json", dst / "config.json")
    (dst / "model.bin").write_bytes(data)
    return dst


def test_truncated_model_bin_says_where_it_ends(tiny_en_dir: Path, tmp_path: Path) -> None:
    with (tiny_en_dir / "model.bin").open("rb") as f:
        head = f.read(1_000_000)
    broken = _copy_model(tiny_en_dir, tmp_path / "broken", head)
    with pytest.raises(ModelFormatError, match=r"model\.bin: truncated at byte 1000000 while reading the data of "
                                               r"'decoder/embeddings/weight'"):
        ct2_export.convert(broken)
    result = runner.invoke(app, ["models", "export-openai", str(broken), str(tmp_path / "out.pt")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "truncated at byte 1000000" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.pt").exists() and not list(tmp_path.glob("*.partial"))


def test_wrong_format_version_and_garbage_are_rejected(tiny_en_dir: Path, tmp_path: Path) -> None:
    with (tiny_en_dir / "model.bin").open("rb") as f:
        head = f.read(4096)
    old = _copy_model(tiny_en_dir, tmp_path / "old", struct.pack("<I", 5) + head[4:])
    with pytest.raises(ModelFormatError, match="binary format version 5, expected 6"):
        ct2_export.read_model_bin(old / "model.bin")
    junk = _copy_model(tiny_en_dir, tmp_path / "junk", struct.pack("<I", 6) + b"\xff\xff" + b"x" * 100)
    with pytest.raises(ModelFormatError, match="truncated at byte 106 while reading the spec name"):
        ct2_export.read_model_bin(junk / "model.bin")
    with pytest.raises(ModelFormatError, match="no model.bin here"):
        ct2_export.convert(tmp_path)


def test_a_model_that_is_not_whisper_is_rejected(tmp_path: Path) -> None:
    def s(text: str) -> bytes:
        return struct.pack("<H", len(text) + 1) + text.encode() + b"\0"

    data = struct.pack("<I", 6) + s("TransformerSpec") + struct.pack("<II", 1, 1)
    data += s("encoder/num_heads") + struct.pack("<BBI", 0, 2, 2) + struct.pack("<h", 8) + struct.pack("<I", 0)
    (tmp_path / "model.bin").write_bytes(data)
    with pytest.raises(ModelFormatError, match="model spec is 'TransformerSpec', expected 'WhisperSpec'"):
        ct2_export.convert(tmp_path)


def test_a_file_that_is_not_a_checkpoint_is_a_clear_error(tmp_path: Path) -> None:
    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    bogus = tmp_path / "model.pt"
    bogus.write_bytes(b"not a checkpoint")
    with pytest.raises(QAError, match=r"model\.pt: not a readable openai-whisper checkpoint"):
        load_openai_backend(bogus)
    with pytest.raises(QAError, match="openai-whisper model 'nothing-here' not found"):
        load_openai_backend("nothing-here")


def test_missing_extra_names_the_install_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    monkeypatch.setitem(sys.modules, "whisper", None)  # what an environment without the extra sees
    with pytest.raises(QAError) as info:
        load_openai_backend("tiny.en")
    assert "pip install torch==2.13.0" in str(info.value)
    assert "pip install 'qa-toolkit[openai-whisper]'" in str(info.value)


def test_two_threads_share_one_model_safely(tiny_en_checkpoint: Path, shared_dir: Path) -> None:
    """--workers 2: openai-whisper's word-timestamp hooks on the shared model made concurrent calls fail
    ("cannot reshape tensor of 0 elements"); the backend now runs one transcription at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    backend = load_openai_backend(tiny_en_checkpoint)
    audio = _audio(shared_dir, "jfk.flac")
    alone = [s.text for s in backend.transcribe(audio, TranscriptionOptions())]
    with ThreadPoolExecutor(2) as pool:
        both = list(pool.map(lambda _: [s.text for s in backend.transcribe(audio, TranscriptionOptions())], range(2)))
    assert alone and both == [alone, alone]
