"""Run llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server`` arguments) without llama.cpp's
extra weight buffer types.

On CPUs that advertise AMX, llama.cpp repacks the weights for AMX kernels; where the kernel or a sandbox does
not grant the AMX tile state (as on this project's CI machines), the first request crashes the server with a
segmentation fault. Without the extra buffer types the same build runs the plain CPU kernels. Everything
else is the real server.
"""

from __future__ import annotations

import llama_cpp
import llama_cpp.llama

_defaults = llama_cpp.llama_model_default_params


def _without_extra_buffers() -> llama_cpp.llama_model_params:
    params = _defaults()
    params.use_extra_bufts = False
    return params


llama_cpp.llama_model_default_params = _without_extra_buffers
llama_cpp.llama.llama_cpp.llama_model_default_params = _without_extra_buffers  # what Llama() calls

if __name__ == "__main__":
    from llama_cpp.server.__main__ import main

    main()
