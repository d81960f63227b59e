"""CPU kernels pinned so that a transcript does not depend on which x86-64 CPU made it.

CTranslate2 picks its kernels by the CPU it runs on (AVX2 or AVX-512, Intel MKL on Intel CPUs only) and so does
the oneDNN library under it; each choice rounds differently, and the same audio then gives another transcript
on another machine of a nightly batch. ``QA_CPU_KERNELS=avx2`` pins them, on an x86-64 CPU with AVX2 (every
server CPU since 2015), to AVX2 without MKL, meant to make every such CPU run alike (not shown yet across CPU
models: ``bench/cpu_kernels.py`` compares with the hashes recorded per CPU); a variable already set in the
environment is left as it is. Not the default: on an Intel Xeon the pinned kernels took 1.33-1.46x the CPU time of MKL
(README, "Same audio, same transcript"); word times drifting with the kernels no longer matter to the audio
redaction, which mutes out to the speaker's pauses.
"""

from __future__ import annotations

import os
import platform
from functools import lru_cache
from pathlib import Path

# The libraries' own switches, read when their first model is loaded.
AVX2_KERNELS = {"CT2_FORCE_CPU_ISA": "AVX2", "CT2_USE_MKL": "0", "ONEDNN_MAX_CPU_ISA": "AVX2"}


@lru_cache(maxsize=8)
def _cpuinfo_lines(cpuinfo: Path) -> tuple[str, ...]:
    """/proc/cpuinfo's lines, read once per process (the provenance of every transcript asks)."""
    try:
        return tuple(cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return ()


def cpu_field(name: str, cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The first ``name : value`` of /proc/cpuinfo, e.g. ``cpu family`` ("" where there is none or it cannot be
    read)."""
    line = next((line for line in _cpuinfo_lines(cpuinfo) if line.split(":")[0].strip() == name), "")
    return line.partition(":")[2].strip()


def has_avx2(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this is an x86-64 CPU that reports AVX2 (read from /proc/cpuinfo; False where it cannot tell)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    return "avx2" in cpu_field("flags", cpuinfo).split()


def cpu_description(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's vendor and widest vector extension, which decide the kernels the libraries pick
    ("AuthenticAMD AVX-512", "GenuineIntel AVX2"); the machine's name where /proc/cpuinfo says nothing."""
    vendor, flags = cpu_field("vendor_id", cpuinfo), cpu_field("flags", cpuinfo).split()
    widest = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE4.1" if "sse4_1" in flags else ""
    return " ".join(part for part in (vendor, widest) if part) or platform.machine()


def pin_cpu_kernels(mode: str = "avx2") -> dict[str, str]:
    """Pin CTranslate2's and oneDNN's CPU kernels to AVX2 without MKL (``mode`` ``avx2``, on a CPU that has
    AVX2) unless the environment already says otherwise; returns the kernel variables in effect (empty: the
    libraries choose by the CPU). Call it before CTranslate2 is imported: it reads CT2_USE_MKL as it loads."""
    if mode == "avx2" and has_avx2():
        for name, value in AVX2_KERNELS.items():
            os.environ.setdefault(name, value)
    return {name: os.environ[name] for name in AVX2_KERNELS if name in os.environ}


def kernels_label(pinned: dict[str, str]) -> str:
    """What the provenance records: the kernel variables in effect, or ``native (the CPU)`` where the libraries
    chose by the CPU, so that a transcript made on another CPU shows why it differs."""
    return ",".join(f"{name}={value}" for name, value in sorted(pinned.items())) or f"native ({cpu_description()})"
