"""Domain vocabulary: company, product and place names that small Whisper models get wrong.

A vocabulary file lists one term per line (``#`` starts a comment). The terms are passed to
Whisper as an ``initial_prompt`` ("Glossary: Northwind Bank, Daniel, ...."), which biases decoding
towards them. Measured on the sample calls (tiny.en): WER 24.1 % without, 22.0 % with the prompt.
On the earlier, shorter sample scripts: 24.8 % → 22.2 % with the prompt, 22.8 % with faster-whisper
``hotwords`` instead (which also raised CER from 12.6 % to 15.1 %); with base: 30.9 % → 24.2 % (prompt)
/ 25.5 % (hotwords). So the prompt it is; both backends take it.
"""

from __future__ import annotations

from pathlib import Path

from qa_toolkit.errors import QAError

MAX_TERMS = 100
# Opt-in (``qa transcribe batch --call-prompt``): a few lines of a support call in the words the call checks hinge
# on (an introduction, a recording notice, a verification ask, a hold asked for and thanked, a transfer), given to
# Whisper before every window as text it has just heard. Written for the prompt, not taken from any call. Measured
# on 32 dev calls through tiny.en (bench/results/calls_checks_dev_r14_calls.json): WER 36.2 -> 35.0 % and 52.1 ->
# 50.8 %, escalated, resolved, identity and closing up, but empathy, hold and end sentiment down on the 12 calls of
# another writer: mixed, so off by default.
CALL_PROMPT = ("Hello, thanks for calling, you're through to Sam. Calls are recorded. Can I take your date of birth "
               "and postcode? Bear with me, I'll pop you on hold. Thanks for holding. I'll transfer you to my team "
               "leader.")


def read_vocabulary(path: str | Path) -> list[str]:
    """The terms of a vocabulary file, in order, without blanks, comments or duplicates.

    Raises:
        QAError: the file is missing, not UTF-8, or lists more than :data:`MAX_TERMS` terms.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise QAError(f"vocabulary file {path} does not exist") from None
    except UnicodeDecodeError:
        raise QAError(f"vocabulary file {path} is not UTF-8 text") from None
    terms: list[str] = []
    for line in lines:
        term = line.split("#", 1)[0].strip()
        if term and term not in terms:
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise QAError(f"vocabulary file {path} line {MAX_TERMS + 1}: more than {MAX_TERMS} terms "
                      "(Whisper's prompt holds about 220 tokens; keep the names that matter)")
    return terms


def hotwords(terms: list[str]) -> str | None:
    """The terms as one faster-whisper ``hotwords`` string, or None for no terms."""
    return ", ".join(terms) if terms else None


def initial_prompt(terms: list[str], call_prompt: bool = False) -> str | None:
    """The terms as a Whisper ``initial_prompt`` (``Glossary: a, b, c.``), after :data:`CALL_PROMPT` when
    ``call_prompt``; None for neither."""
    parts = ([CALL_PROMPT] if call_prompt else []) + ([f"Glossary: {', '.join(terms)}."] if terms else [])
    return " ".join(parts) or None
