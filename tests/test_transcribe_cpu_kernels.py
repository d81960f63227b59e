"""The speech model's CPU kernels are pinned (AVX2, no MKL) so a transcript does not depend on the x86-64 CPU
that made it: the pin itself, what the environment says first, and a real tiny.en run through `qa`."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from qa_toolkit.transcribe.cpu_kernels import AVX2_KERNELS, cpu_description, has_avx2, kernels_label, pin_cpu_kernels
from qa_toolkit.transcribe.provenance import environment_changes
from transcribe_support import SAMPLES

X86 = pytest.mark.skipif(not has_avx2(), reason="needs an x86-64 CPU with AVX2 (the kernels pinned)")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No kernel variable set, and whatever the test pins undone after it (setenv records the value to restore:
    a variable the pin sets that monkeypatch never saw would stay for every later test in this process)."""
    for name in AVX2_KERNELS:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return monkeypatch


def test_avx2_read_from_the_cpu_flags(tmp_path: Path) -> None:
    with_avx2, without = tmp_path / "a", tmp_path / "b"
    with_avx2.write_text("processor\t: 0\nflags\t\t: fpu sse4_1 avx avx2 fma\n")
    without.write_text("processor\t: 0\nflags\t\t: fpu sse4_1 avx\n")
    if platform.machine().lower() not in ("x86_64", "amd64"):
        assert not has_avx2(with_avx2)
        return
    assert has_avx2(with_avx2)
    assert not has_avx2(without)
    assert not has_avx2(tmp_path / "missing")


def test_the_cpu_described_by_vendor_and_widest_vector_extension(tmp_path: Path) -> None:
    amd, intel, empty = tmp_path / "amd", tmp_path / "intel", tmp_path / "empty"
    amd.write_text("vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse4_1 avx2 avx512f avx512bw\n")
    intel.write_text("vendor_id\t: GenuineIntel\nflags\t\t: fpu sse4_1 avx avx2\n")
    empty.write_text("")
    assert cpu_description(amd) == "AuthenticAMD AVX-512"
    assert cpu_description(intel) == "GenuineIntel AVX2"
    assert cpu_description(empty) == platform.machine()
    assert kernels_label({"CT2_USE_MKL": "0", "CT2_FORCE_CPU_ISA": "AVX2"}) == "CT2_FORCE_CPU_ISA=AVX2,CT2_USE_MKL=0"
    assert kernels_label({}) == f"native ({cpu_description()})"


@X86
def test_avx2_pins_and_native_leaves_the_libraries_to_choose(clean_env: pytest.MonkeyPatch) -> None:
    assert pin_cpu_kernels("native") == {}
    assert not any(name in os.environ for name in AVX2_KERNELS)
    assert pin_cpu_kernels("avx2") == {"CT2_FORCE_CPU_ISA": "AVX2", "CT2_USE_MKL": "0", "ONEDNN_MAX_CPU_ISA": "AVX2"}
    assert os.environ["CT2_FORCE_CPU_ISA"] == "AVX2"


@X86
def test_a_kernel_variable_already_set_is_kept(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("CT2_FORCE_CPU_ISA", "AVX512")
    assert pin_cpu_kernels("avx2")["CT2_FORCE_CPU_ISA"] == "AVX512"
    assert os.environ["CT2_USE_MKL"] == "0"


def test_kernels_compared_only_where_the_stored_record_names_them() -> None:
    now = {"backend": "faster-whisper", "cpu_kernels": "CT2_FORCE_CPU_ISA=AVX2"}
    assert environment_changes({"backend": "faster-whisper"}, now) == []
    assert environment_changes({"backend": "faster-whisper", "cpu_kernels": "native"}, now) == [
        "cpu_kernels: native → CT2_FORCE_CPU_ISA=AVX2"]


def _transcribe(env: dict[str, str]) -> list[dict[str, object]]:
    qa = Path(sys.executable).with_name("qa")
    base = {k: v for k, v in os.environ.items() if k not in AVX2_KERNELS and k != "QA_CPU_KERNELS"}
    run = subprocess.run([str(qa), "transcribe", "file", str(SAMPLES / "call_01_billing.wav"), "--model", "tiny.en",
                          "--output-format", "json"], env={**base, **env}, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(run.stdout)["turns"]


@pytest.mark.slow
@X86
def test_the_pinned_transcript_is_the_one_made_with_avx2_kernels_named_by_hand() -> None:
    """What `qa` writes with QA_CPU_KERNELS=avx2 is what the libraries write when told AVX2 without MKL
    themselves: the pin is in effect before the model loads, whatever CPU this is."""
    pinned = _transcribe({"QA_CPU_KERNELS": "avx2"})
    by_hand = _transcribe({"QA_CPU_KERNELS": "native", **AVX2_KERNELS})
    assert [turn["speaker"] for turn in pinned][:2] == ["agent", "customer"]
    assert "Northwind" in str(pinned[0]["text"])
    assert pinned == by_hand
