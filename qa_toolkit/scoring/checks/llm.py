"""The LLM judge: a criterion's question answered by a local model behind any OpenAI-compatible endpoint.

The model reads the conversation (numbered turns, as stored: redacted) and answers in a JSON schema:
``{"verdict": "yes" | "no" | "na", "turn": N, "quote": "...", "reason": "..."}``. Its answer counts
only when the quote occurs (after normalisation) in the turn it names; otherwise the verdict is
*unverified*, and the rule or semantic check named as ``fallback`` decides (N/A without one).
Malformed or off-schema output is unverified too, never a guess. When the endpoint is down after
the retries, the verdict is *unavailable* and the fallback decides; the rest of the scoring goes on.

Judgements are kept in memory by (model, prompt hash, conversation content hash); the scoring
service also keeps them in the database (see :mod:`qa_toolkit.services.llm_cache`), so a rescore
asks the model only about what changed. :func:`prefetch` asks for a whole batch at once, at most
``QA_LLM_CONCURRENCY`` requests in flight.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, get_check
from qa_toolkit.scoring.view import InteractionView

VERDICTS = ("yes", "no", "na")
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": list(VERDICTS)},
        "turn": {"type": "integer"},
        "quote": {"type": "string"},
        "reason": {"type": "string"},
    },
    "required": ["verdict", "turn", "quote", "reason"],
}
SYSTEM = (
    "You are a quality-assurance reviewer of customer-service conversations. Answer the question about the "
    "conversation with a JSON object: verdict (\"yes\", \"no\", or \"na\" when the question does not apply), "
    "turn (the number of the turn that shows it), quote (words copied exactly from that turn) and reason "
    "(one short sentence)."
)


class LlmJudgeParams(Params):
    question: str | None = None  # the criterion's question unless given
    guidance: str = ""
    fallback: str | None = None  # the check that decides when the judge is unverified or unavailable
    fallback_params: dict[str, Any] = Field(default_factory=dict)
    max_chars: int = Field(default=12_000, ge=200)


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the judge said: yes / no / na, or unverified (quote not found, bad output) or unavailable."""

    verdict: str
    turn: int | None = None
    quote: str | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain data (what the database keeps)."""
        return {"verdict": self.verdict, "turn": self.turn, "quote": self.quote, "reason": self.reason}


class JudgeUnavailable(Exception):
    """The endpoint could not be reached or kept failing after the retries."""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to ask: an OpenAI-compatible chat-completions endpoint."""

    base_url: str
    model: str
    api_key: str | None = None
    response_format: str = "json_schema"
    timeout: float = 60.0
    retries: int = 2
    concurrency: int = 4

    @classmethod
    def from_settings(cls) -> Endpoint | None:
        """The endpoint ``QA_LLM_BASE_URL`` / ``QA_LLM_MODEL`` name, or None when not configured."""
        from qa_toolkit.config import Settings

        s = Settings()  # read each time: tests and long-lived workers may change the environment
        if not s.llm_base_url:
            return None
        return cls(s.llm_base_url.rstrip("/"), s.llm_model or "default", s.llm_api_key, s.llm_response_format,
                   s.llm_timeout, s.llm_retries, s.llm_concurrency)


def transcript(view: InteractionView, max_chars: int) -> str:
    """The conversation as numbered lines ``[3] agent: ...`` (the latest turns cut when too long)."""
    lines = [f"[{t.index}] {t.speaker}: {' '.join(t.text.split())}" for t in view.turns]
    text = "\n".join(lines)
    return text if len(text) <= max_chars else text[:max_chars] + "\n[...]"


def messages(view: InteractionView, p: LlmJudgeParams) -> list[dict[str, str]]:
    """The chat messages sent for ``view``."""
    guidance = f"\nGuidance: {p.guidance}" if p.guidance else ""
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Conversation:\n{transcript(view, p.max_chars)}\n\n"
                                        f"Question: {p.question}{guidance}\nAnswer in JSON."}]


def prompt_hash(p: LlmJudgeParams) -> str:
    """What identifies the prompt apart from the conversation: system text, question, guidance, schema."""
    data = json.dumps([SYSTEM, p.question, p.guidance, SCHEMA, p.max_chars], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def content_hash(view: InteractionView) -> str:
    """The conversation's content as the judge sees it (speakers and texts)."""
    data = json.dumps([[t.index, t.speaker, t.text] for t in view.turns], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def _norm(text: str) -> str:
    """Casefolded words only: quotes survive changed punctuation, quote marks and spacing."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


def parse(raw: str, view: InteractionView) -> Judgement:
    """The judgement in a model's raw answer; unverified when malformed, off-schema, or its quote is not in
    the turn it names."""
    try:
        data = json.loads(raw, strict=False)  # small models put raw line breaks inside strings
    except (TypeError, ValueError):
        match = re.search(r"\{.*\}", raw or "", re.S)  # a JSON object wrapped in prose or a code fence
        try:
            data = json.loads(match.group(0), strict=False) if match else None
        except ValueError:
            data = None
    if not isinstance(data, dict):
        return Judgement("unverified", reason="the answer is not a JSON object")
    verdict, turn, said, reason = data.get("verdict"), data.get("turn"), data.get("quote"), data.get("reason")
    if verdict not in VERDICTS or not isinstance(reason, str) or not isinstance(said, str) \
            or isinstance(turn, bool) or not isinstance(turn, int):
        return Judgement("unverified", reason="the answer does not follow the schema")
    reason = reason[:500]
    if verdict == "na":
        return Judgement("na", None, None, reason)
    found = next((t for t in view.turns if t.index == turn), None)
    if found is None or not _norm(said) or _norm(said) not in _norm(found.text):
        return Judgement("unverified", turn, said[:200], f"quote not found in turn {turn}: {reason}")
    return Judgement(verdict, turn, said[:200], reason)


def complete(endpoint: Endpoint, body: list[dict[str, str]]) -> str:
    """One chat completion's content, with retries and exponential backoff.

    Raises:
        JudgeUnavailable: the endpoint is unreachable or keeps failing.
    """
    fmt: dict[str, Any] = ({"type": "json_object", "schema": SCHEMA} if endpoint.response_format == "json_object"
                           else {"type": "json_schema", "json_schema": {"name": "judgement", "schema": SCHEMA,
                                                                         "strict": True}})
    payload = json.dumps({"model": endpoint.model, "messages": body, "temperature": 0, "max_tokens": 300,
                          "response_format": fmt}).encode()
    headers = {"Content-Type": "application/json"}
    if endpoint.api_key:
        headers["Authorization"] = f"Bearer {endpoint.api_key}"
    problem = ""
    for attempt in range(endpoint.retries + 1):
        if attempt:
            time.sleep(min(8.0, 0.5 * 2 ** (attempt - 1)) * (1 + random.random() / 4))
        request = urllib.request.Request(f"{endpoint.base_url}/chat/completions", payload, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:
                answer = json.loads(response.read())
            return str(answer["choices"][0]["message"].get("content") or "")
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
            if exc.code < 500 and exc.code != 429:
                break  # a request the server will never accept: retrying does not help
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            problem = str(getattr(exc, "reason", exc))
        except (ValueError, KeyError, IndexError, TypeError):
            return ""  # the server answered, but not with a completion: unverified, not unavailable
    raise JudgeUnavailable(f"{endpoint.base_url}: {problem}")


_DOWN: dict[str, float] = {}  # base URL -> until when it is taken as down (no request waits on a dead server)
DOWN_FOR_S = 30.0
_CACHE: dict[tuple[str, str, str], Judgement] = {}
_FRESH: list[tuple[tuple[str, str, str], Judgement]] = []  # asked the model since the last drain
_LOCK = threading.Lock()
STATS = {"requests": 0, "cached": 0}


def key(endpoint: Endpoint | None, view: InteractionView, p: LlmJudgeParams) -> tuple[str, str, str]:
    """The cache key: (model, prompt hash, content hash)."""
    return (endpoint.model if endpoint else "", prompt_hash(p), content_hash(view))


def remember(items: Iterable[tuple[tuple[str, str, str], Judgement]]) -> None:
    """Put judgements (e.g. read from the database) into the in-memory cache."""
    with _LOCK:
        _CACHE.update(items)


def drain() -> list[tuple[tuple[str, str, str], Judgement]]:
    """The judgements asked of the model since the last call (for the database cache)."""
    with _LOCK:
        fresh, _FRESH[:] = list(_FRESH), []
    return fresh


def judge(view: InteractionView, p: LlmJudgeParams, endpoint: Endpoint | None = None) -> Judgement:
    """The judgement for ``view``: from the cache, else asked of the endpoint (unavailable when it is down or
    not configured)."""
    endpoint = endpoint or Endpoint.from_settings()
    if endpoint is None:
        return Judgement("unavailable", reason="no LLM endpoint configured (QA_LLM_BASE_URL)")
    k = key(endpoint, view, p)
    with _LOCK:
        hit = _CACHE.get(k)
        if hit is not None:
            STATS["cached"] += 1
            return hit
    if _DOWN.get(endpoint.base_url, 0.0) > time.monotonic():
        return Judgement("unavailable", reason=f"{endpoint.base_url} did not answer a moment ago")
    try:
        with _LOCK:
            STATS["requests"] += 1
        found = parse(complete(endpoint, messages(view, p)), view)
    except JudgeUnavailable as exc:
        _DOWN[endpoint.base_url] = time.monotonic() + DOWN_FOR_S
        return Judgement("unavailable", reason=str(exc))  # not cached: asked again next time
    with _LOCK:
        _CACHE[k] = found
        _FRESH.append((k, found))
    return found


def prefetch(views: Sequence[InteractionView], params: Sequence[LlmJudgeParams]) -> None:
    """Ask for every (view, params) pair not cached yet, ``QA_LLM_CONCURRENCY`` requests at a time."""
    endpoint = Endpoint.from_settings()
    if endpoint is None or not views or not params:
        return
    pairs = [(v, p) for v in views for p in params if key(endpoint, v, p) not in _CACHE]
    if not pairs:
        return
    with ThreadPoolExecutor(endpoint.concurrency) as pool:
        list(pool.map(lambda pair: judge(pair[0], pair[1], endpoint), pairs))


def llm_judge(view: InteractionView, p: LlmJudgeParams) -> CheckResult:
    """A local LLM answers the criterion's question with a verified quote; the ``fallback`` check decides when
    its quote cannot be verified or the endpoint is down."""
    found = judge(view, p)
    if found.verdict in ("yes", "no"):
        turn = next(t for t in view.turns if t.index == found.turn)
        evidence = Evidence(turn=turn.index, speaker=turn.speaker, quote=found.quote, at_s=turn.start_s,
                            note=found.reason or None)
        return CheckResult("pass" if found.verdict == "yes" else "fail", f"LLM judge: {found.reason}", (evidence,),
                           0.8, {"llm": found.verdict})
    if found.verdict == "na":
        return CheckResult("na", f"LLM judge: does not apply ({found.reason})", (), 0.7, {"llm": "na"})
    if p.fallback:
        decided = get_check(p.fallback)(view, p.fallback_params)
        return CheckResult(decided.status, f"LLM judge {found.verdict}; {p.fallback} decides: {decided.message}",
                           decided.evidence, decided.confidence, {**decided.measures, "llm": found.verdict})
    return CheckResult("na", f"LLM judge {found.verdict}: {found.reason}", (), 0.0, {"llm": found.verdict})


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("llm_judge", llm_judge, LlmJudgeParams, llm_judge.__doc__)
