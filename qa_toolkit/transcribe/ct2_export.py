"""Export a CTranslate2 Whisper model to an openai-whisper checkpoint, with numpy only.

A CTranslate2 ``model.bin`` (binary format version 6, written by
``ctranslate2/specs/model_spec.py::_serialize``) is a flat list of named arrays::

    u32 version | str spec name | u32 revision | u32 count
    count x (str name | u8 rank | rank x u32 dim | u8 dtype id | u32 nbytes | nbytes of data)
    u32 alias count | alias count x (str alias | str target)

where ``str`` is ``u16 length (incl. NUL) | utf-8 bytes | NUL``, little-endian throughout.
The Whisper layout maps one to one onto openai-whisper's ``state_dict`` except that attention
projections are fused (self-attention ``[q; k; v]``, cross-attention ``[k; v]``); the key
projection has no bias in openai-whisper, and the converter stores zeros there. A model saved
with int8 quantization (``weight`` int8 + per-row ``weight_scale``) is dequantized.

The checkpoint written is ``{"dims", "model_state_dict", "alignment_heads"}``, the format
``whisper.load_model(path)`` reads (it ignores ``alignment_heads``; our backend applies them).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa_toolkit.errors import QAError

BINARY_VERSION = 6
# Order of the DataType enum in ctranslate2 (include/ctranslate2/types.h); bfloat16 has no numpy type.
_DTYPES: tuple[str, ...] = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
_KEY_BIAS_TOLERANCE = 1e-3


class ModelFormatError(QAError):
    """A ``model.bin`` that is not a readable CTranslate2 Whisper model."""


@dataclass
class CT2Model:
    """The variables of a CTranslate2 ``model.bin``, aliases resolved."""

    path: Path
    spec: str
    revision: int
    variables: dict[str, np.ndarray]


class _Reader:
    def __init__(self, path: Path, data: bytes) -> None:
        self.path, self.data, self.pos = path, data, 0

    def take(self, size: int, what: str) -> bytes:
        if self.pos + size > len(self.data):
            raise ModelFormatError(
                f"{self.path}: truncated at byte {len(self.data)} while reading {what} "
                f"(needs {self.pos + size} bytes): the file is incomplete or damaged")
        chunk = self.data[self.pos:self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: str, what: str) -> int:
        return struct.unpack("<" + fmt, self.take(struct.calcsize(fmt), what))[0]

    def string(self, what: str) -> str:
        size = self.unpack("H", what)
        raw = self.take(size, what)
        if size == 0 or raw[-1] != 0:
            raise ModelFormatError(f"{self.path}: byte {self.pos - size}: {what} is not a "
                                   "NUL-terminated string: not a CTranslate2 model.bin, or damaged")
        try:
            return raw[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise ModelFormatError(f"{self.path}: byte {self.pos - size}: {what} is not UTF-8: "
                                   "not a CTranslate2 model.bin, or damaged") from None


def _array(raw: bytes, dtype_id: int, shape: tuple[int, ...]) -> np.ndarray:
    name = _DTYPES[dtype_id]
    if name == "bfloat16":
        bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return bits.view(np.float32).reshape(shape)
    return np.frombuffer(raw, dtype=np.dtype(name).newbyteorder("<")).reshape(shape)


def read_model_bin(path: str | Path) -> CT2Model:
    """Read every variable of a CTranslate2 ``model.bin`` (version 6) into numpy arrays.

    Raises:
        ModelFormatError: wrong version, truncated file, unknown data type, trailing bytes.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFormatError(f"{path}: cannot read model file ({exc.strerror})") from None
    reader = _Reader(path, data)
    version = reader.unpack("I", "the format version")
    if version != BINARY_VERSION:
        raise ModelFormatError(f"{path}: CTranslate2 binary format version {version}, expected "
                               f"{BINARY_VERSION}: not a model.bin written by ctranslate2 >= 3, or damaged")
    spec = reader.string("the spec name")
    revision = reader.unpack("I", "the spec revision")
    variables: dict[str, np.ndarray] = {}
    for index in range(reader.unpack("I", "the variable count")):
        name = reader.string(f"the name of variable #{index}")
        shape = tuple(reader.unpack("I", f"the shape of {name!r}") for _ in range(reader.unpack("B", name)))
        dtype_id = reader.unpack("B", f"the data type of {name!r}")
        if dtype_id >= len(_DTYPES):
            raise ModelFormatError(f"{path}: variable {name!r} has unknown data type id {dtype_id} "
                                   f"(known: 0-{len(_DTYPES) - 1}): damaged file or newer format")
        nbytes = reader.unpack("I", f"the size of {name!r}")
        expected = int(np.prod(shape, dtype=np.int64)) * (2 if _DTYPES[dtype_id] == "bfloat16"
                                                          else np.dtype(_DTYPES[dtype_id]).itemsize)
        if nbytes != expected:
            raise ModelFormatError(f"{path}: variable {name!r} of shape {list(shape)} declares {nbytes} "
                                   f"bytes, expected {expected}: damaged file")
        variables[name] = _array(reader.take(nbytes, f"the data of {name!r}"), dtype_id, shape)
    for _ in range(reader.unpack("I", "the alias count")):
        alias, target = reader.string("an alias name"), reader.string("an alias target")
        if target not in variables:
            raise ModelFormatError(f"{path}: alias {alias!r} points to missing variable {target!r}")
        variables[alias] = variables[target]
    if reader.pos != len(data):
        raise ModelFormatError(f"{path}: {len(data) - reader.pos} unexpected bytes after the last "
                               f"entry (at byte {reader.pos}): damaged file")
    return CT2Model(path=path, spec=spec, revision=revision, variables=variables)


def _weight(variables: dict[str, np.ndarray], prefix: str) -> np.ndarray:
    """A weight as float, CTranslate2's per-row int8 quantization undone (``weight / weight_scale``)."""
    weight = variables[f"{prefix}/weight"]
    if weight.dtype == np.int8:
        scale = variables[f"{prefix}/weight_scale"].astype(np.float32)
        return weight.astype(np.float32) / scale.reshape(-1, *([1] * (weight.ndim - 1)))
    return weight


def _count_layers(variables: dict[str, np.ndarray], stack: str) -> int:
    count = 0
    while f"{stack}/layer_{count}/ffn/linear_0/bias" in variables:
        count += 1
    return count


def _scalar(variables: dict[str, np.ndarray], name: str) -> int:
    return int(np.asarray(variables[name]).reshape(-1)[0])


def whisper_dims(model: CT2Model) -> dict[str, int]:
    """openai-whisper's ``ModelDimensions`` fields, read off the arrays' shapes."""
    v = model.variables
    return {
        "n_mels": int(v["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(v["encoder/conv1/weight"].shape[0]),
        "n_audio_head": _scalar(v, "encoder/num_heads"),
        "n_audio_layer": _count_layers(v, "encoder"),
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": _scalar(v, "decoder/num_heads"),
        "n_text_layer": _count_layers(v, "decoder"),
    }


def whisper_state_dict(model: CT2Model) -> dict[str, np.ndarray]:
    """Map the CTranslate2 Whisper variables onto openai-whisper ``state_dict`` names.

    Raises:
        ModelFormatError: a variable is missing, or a fused key bias is not zero.
    """
    v = model.variables
    out: dict[str, np.ndarray] = {}

    def linear(src: str, dst: str, bias: bool = True) -> None:
        out[f"{dst}.weight"] = _weight(v, src)
        if bias:
            out[f"{dst}.bias"] = v[f"{src}/bias"]

    def norm(src: str, dst: str) -> None:
        out[f"{dst}.weight"], out[f"{dst}.bias"] = v[f"{src}/gamma"], v[f"{src}/beta"]

    def split(src: str, dsts: list[str]) -> None:
        weights = np.split(_weight(v, src), len(dsts))
        biases = np.split(v[f"{src}/bias"], len(dsts))
        for dst, weight, bias in zip(dsts, weights, biases, strict=True):
            out[f"{dst}.weight"] = weight
            if dst.endswith(".key"):
                if np.abs(bias.astype(np.float32)).max(initial=0.0) > _KEY_BIAS_TOLERANCE:
                    raise ModelFormatError(f"{model.path}: {src}/bias has a non-zero key part, which "
                                           "openai-whisper cannot represent: not a Whisper model")
            else:
                out[f"{dst}.bias"] = bias

    def block(src: str, dst: str, cross: bool) -> None:
        split(f"{src}/self_attention/linear_0", [f"{dst}.attn.query", f"{dst}.attn.key", f"{dst}.attn.value"])
        linear(f"{src}/self_attention/linear_1", f"{dst}.attn.out")
        norm(f"{src}/self_attention/layer_norm", f"{dst}.attn_ln")
        if cross:
            linear(f"{src}/attention/linear_0", f"{dst}.cross_attn.query")
            split(f"{src}/attention/linear_1", [f"{dst}.cross_attn.key", f"{dst}.cross_attn.value"])
            linear(f"{src}/attention/linear_2", f"{dst}.cross_attn.out")
            norm(f"{src}/attention/layer_norm", f"{dst}.cross_attn_ln")
        linear(f"{src}/ffn/linear_0", f"{dst}.mlp.0")
        linear(f"{src}/ffn/linear_1", f"{dst}.mlp.2")
        norm(f"{src}/ffn/layer_norm", f"{dst}.mlp_ln")

    if model.spec != "WhisperSpec":
        raise ModelFormatError(f"{model.path}: model spec is {model.spec!r}, expected 'WhisperSpec': "
                               "not a Whisper model")
    try:
        dims = whisper_dims(model)
        linear("encoder/conv1", "encoder.conv1")
        linear("encoder/conv2", "encoder.conv2")
        out["encoder.positional_embedding"] = v["encoder/position_encodings/encodings"]
        for i in range(dims["n_audio_layer"]):
            block(f"encoder/layer_{i}", f"encoder.blocks.{i}", cross=False)
        norm("encoder/layer_norm", "encoder.ln_post")
        out["decoder.token_embedding.weight"] = _weight(v, "decoder/embeddings")
        out["decoder.positional_embedding"] = v["decoder/position_encodings/encodings"]
        for i in range(dims["n_text_layer"]):
            block(f"decoder/layer_{i}", f"decoder.blocks.{i}", cross=True)
        norm("decoder/layer_norm", "decoder.ln")
    except KeyError as exc:
        raise ModelFormatError(f"{model.path}: variable {exc.args[0]!r} is missing: not a complete "
                               "CTranslate2 Whisper model") from None
    return out


def alignment_heads(ct2_dir: Path, dims: dict[str, int]) -> list[list[int]]:
    """The ``[layer, head]`` pairs for word timestamps from ``config.json``; [] when absent."""
    config = ct2_dir / "config.json"
    if not config.is_file():
        return []
    try:
        heads = json.loads(config.read_text(encoding="utf-8")).get("alignment_heads") or []
    except json.JSONDecodeError as exc:
        raise ModelFormatError(f"{config}: line {exc.lineno}: invalid JSON ({exc.msg})") from None
    pairs = [[int(layer), int(head)] for layer, head in heads]
    bad = [p for p in pairs if not (0 <= p[0] < dims["n_text_layer"] and 0 <= p[1] < dims["n_text_head"])]
    if bad:
        raise ModelFormatError(f"{config}: field alignment_heads: {bad[0]} is outside the decoder "
                               f"({dims['n_text_layer']} layers x {dims['n_text_head']} heads)")
    return pairs


@dataclass
class OpenAICheckpoint:
    """An openai-whisper checkpoint in memory: dims, float16 arrays, word-timestamp heads."""

    dims: dict[str, int]
    state_dict: dict[str, np.ndarray]
    alignment_heads: list[list[int]]

    @property
    def parameters(self) -> int:
        """Learned parameters (the encoder's sinusoidal position table excluded)."""
        return sum(a.size for k, a in self.state_dict.items() if k != "encoder.positional_embedding")


def convert(ct2_dir: str | Path) -> OpenAICheckpoint:
    """Convert a CTranslate2 Whisper model directory to an openai-whisper checkpoint in memory.

    Raises:
        ModelFormatError: ``ct2_dir`` holds no readable CTranslate2 Whisper model.
    """
    ct2_dir = Path(ct2_dir)
    if not (ct2_dir / "model.bin").is_file():
        raise ModelFormatError(f"{ct2_dir}: no model.bin here (a CTranslate2 Whisper model directory is expected)")
    model = read_model_bin(ct2_dir / "model.bin")
    state = {k: np.array(a, dtype=np.float16) for k, a in whisper_state_dict(model).items()}
    dims = whisper_dims(model)
    return OpenAICheckpoint(dims=dims, state_dict=state, alignment_heads=alignment_heads(ct2_dir, dims))


def export_openai(ct2_dir: str | Path, out: str | Path) -> OpenAICheckpoint:
    """Write the openai-whisper checkpoint of a CTranslate2 Whisper model to ``out`` (float16).

    ``whisper.load_model(out)`` loads it. Needs torch (to write the file).

    Raises:
        ModelFormatError: ``ct2_dir`` holds no readable CTranslate2 Whisper model.
        QAError: torch is not installed.
    """
    torch = import_torch()
    checkpoint = convert(ct2_dir)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    torch.save({"dims": checkpoint.dims,
                "model_state_dict": {k: torch.from_numpy(a) for k, a in checkpoint.state_dict.items()},
                "alignment_heads": checkpoint.alignment_heads}, partial)
    partial.replace(out)
    return checkpoint


MISSING_EXTRA = ("the openai-whisper backend is not installed: pip install torch==2.13.0 (first, and the CPU-only "
                 "build from PyTorch's CPU wheel index, or pip pulls a multi-GB CUDA build), then "
                 "pip install 'qa-toolkit[openai-whisper]'")


def import_torch():  # noqa: ANN201 - torch is optional; its type cannot be named here
    """Import torch, or raise a QAError that says how to install the extra."""
    try:
        import torch
    except ImportError:
        raise QAError(MISSING_EXTRA) from None
    return torch
