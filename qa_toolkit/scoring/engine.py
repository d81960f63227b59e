"""Scoring an interaction view against a rubric: run each automated criterion's check, then the formula.

Also turns a reviewer's manual values into the same shape, so automated and peer evaluations are
stored and scored alike. A check's verdict maps onto the criterion's scale: pass → scale max,
fail → scale min, not applicable → N/A when the criterion allows N/A, otherwise counted as met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qa_toolkit.errors import QAError
from qa_toolkit.rubrics.model import Criterion, Rubric
from qa_toolkit.scoring import formula
from qa_toolkit.scoring.checks import Check, Params, get_check
from qa_toolkit.scoring.verdict_cache import UNCACHED, Decided, code_digest, step_key
from qa_toolkit.scoring.view import InteractionView

Known = Mapping[int, Decided]  # step index → its result read from the verdict cache


@dataclass(frozen=True, slots=True)
class Verdict:
    """One criterion's outcome, ready to store."""

    key: str
    category: str
    value: float | None
    normalized: float | None
    status: str
    message: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    confidence: float | None = None
    comment: str | None = None
    decided_by: str = "auto"


@dataclass(frozen=True, slots=True)
class Outcome:
    """An evaluation's score, critical flag, category scores and verdicts."""

    score: float | None
    critical_failed: bool
    categories: dict[str, float | None]
    verdicts: list[Verdict]
    decided: tuple[Decided | None, ...] = ()  # per step of the plan: what its check decided here, if it ran now


def _status(criterion: Criterion, normalized: float | None) -> str:
    if normalized is None:
        return "na"
    return "pass" if normalized >= criterion.critical_threshold else "fail"


def _inputs(rubric: Rubric, values: Mapping[str, float | None]) -> list[formula.CriterionInput]:
    return [formula.CriterionInput(crit.key, cat.key, values[crit.key], crit.scale.min, crit.scale.max, crit.weight,
                                   crit.critical, crit.critical_threshold, crit.bonus)
            for cat, crit in rubric.criteria() if crit.key in values]


def outcome(rubric: Rubric, verdicts: list[Verdict], decided: tuple[Decided | None, ...] = ()) -> Outcome:
    """Score verdicts (criteria without a verdict are N/A) with the rubric's weights."""
    result = formula.score(_inputs(rubric, {v.key: v.value for v in verdicts}),
                           {cat.key: cat.weight for cat in rubric.categories})
    categories = {k: (None if s is None else round(s, 2)) for k, s in result.categories.items()}
    return Outcome(None if result.score is None else round(result.score, 2), result.critical_failed, categories,
                   verdicts, decided)


class ScoringPlan:
    """A rubric compiled for automated scoring: each automated criterion with its check and parameters."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.steps: list[tuple[str, Criterion, Check, Params]] = []
        for cat, crit in rubric.criteria():
            if crit.automated and crit.check:
                check = get_check(crit.check)
                params = crit.params
                if crit.check == "llm_judge":  # the judge is asked the criterion's own question
                    params = {"question": crit.question, "guidance": crit.guidance, **params}
                self.steps.append((cat.key, crit, check, check.params.model_validate(params)))
        self._step_blocks = [exemplar_blocks(params) for _, _, _, params in self.steps]
        self.blocks = [block for blocks in self._step_blocks for block in blocks]
        self.llm = [(crit.key, params) for _, crit, check, params in self.steps if check.name == "llm_judge"]
        self._llm_steps = [i for i, (_, _, check, _) in enumerate(self.steps) if check.name == "llm_judge"]
        self._keys: dict[str, list[bytes | None]] = {}

    def step_keys(self, extra: str = "") -> list[bytes | None]:
        """Each step's verdict cache key (:func:`~qa_toolkit.scoring.verdict_cache.step_key`; ``extra``: settings
        the checks read), None for a step that is never cached (the LLM judge, a plugin's check)."""
        found = self._keys.get(extra)
        if found is None:
            code = code_digest(extra)
            model = ""
            if self.blocks:
                from qa_toolkit.scoring.semantic import model_id

                model = model_id()
            found = self._keys[extra] = [
                step_key(check.name, params, blocks, model if blocks else "", code) if _kept(check) else None
                for (_, _, check, params), blocks in zip(self.steps, self._step_blocks)]
        return found

    def evaluate_many(self, views: Sequence[InteractionView], known: Sequence[Known] | None = None) -> list[Outcome]:
        """Score a batch: with semantic checks, every sentence of the batch is embedded in one call first and
        compared with each exemplar block in one matrix product; with LLM judges, their questions are asked
        concurrently first. ``known``: per view, the steps' results read from the verdict cache (those steps
        do not run, and their sentences are not embedded for them)."""
        known = known if known is not None else [{}] * len(views)
        blocks = {}
        texts: dict[str, None] = {}
        for view, done in zip(views, known):
            wanted = [block for i, block_list in enumerate(self._step_blocks) if i not in done for block in block_list]
            if wanted:
                blocks.update((id(block), block) for block in wanted)
                texts.update((t.text, None) for t in view.turns if t.speaker in ("agent", "customer"))
        if blocks:
            from qa_toolkit.scoring import semantic

            semantic.prefetch(texts, list(blocks.values()))
        llm_wanted = [(view, done) for view, done in zip(views, known) if any(
            i not in done for i in self._llm_steps)]
        if llm_wanted:  # every judge question of the batch, concurrently
            from qa_toolkit.scoring.checks import llm

            llm.prefetch([view for view, _ in llm_wanted], [params for _, params in self.llm])  # type: ignore[misc]
        return [self.evaluate(view, done) for view, done in zip(views, known)]

    def evaluate(self, view: InteractionView, known: Known | None = None) -> Outcome:
        """Run every automated check on ``view`` (but the steps ``known`` holds) and score the results."""
        verdicts = []
        decided: list[Decided | None] = []
        for i, (category, crit, check, params) in enumerate(self.steps):
            result = known.get(i) if known else None
            if result is None:
                result = decide(check, view, params)
                decided.append(result)
            else:
                decided.append(None)
            verdicts.append(_verdict(category, crit, result))
        return outcome(self.rubric, verdicts, tuple(decided))


def _kept(check: Check) -> bool:
    """Whether a check's results may be kept: the package's own checks (their code is in the digest), not the
    LLM judge."""
    return check.name not in UNCACHED and getattr(check.function, "__module__", "").startswith("qa_toolkit.")


def decide(check: Check, view: InteractionView, params: Params) -> Decided:
    """Run one check on ``view``: its result in the form stored with a verdict."""
    result = check.function(view, params)
    evidence = [e.as_dict() for e in result.evidence]
    if result.measures:
        evidence.append({"measures": result.measures})
    return Decided(result.status, result.message, evidence, round(result.confidence, 3))


def _verdict(category: str, crit: Criterion, result: Decided) -> Verdict:
    """A check's result on the criterion's scale."""
    message = result.message
    if result.status == "pass":
        value: float | None = crit.scale.max
    elif result.status == "fail":
        value = crit.scale.min
    elif crit.allow_na:
        value = None
    else:
        value, message = crit.scale.max, f"not applicable, counted as met: {message}"
    normalized = formula.normalize(value, crit.scale.min, crit.scale.max)
    return Verdict(crit.key, category, value, normalized, _status(crit, normalized), message, result.evidence,
                   result.confidence)


def exemplar_blocks(params: Params) -> list[Any]:
    """The exemplar blocks (:class:`~qa_toolkit.scoring.semantic.Exemplars`) in check parameters."""
    from qa_toolkit.scoring.semantic import Exemplars

    return [value for name in type(params).model_fields if isinstance(value := getattr(params, name), Exemplars)]


def manual_verdicts(rubric: Rubric, values: Mapping[str, float | None],
                    comments: Mapping[str, str] | None = None) -> list[Verdict]:
    """Verdicts from a reviewer's values (None = N/A), checked against the rubric.

    Raises:
        QAError: an unknown criterion, a value off the scale, or N/A where the criterion does not allow it.
    """
    comments = comments or {}
    problems = []
    verdicts = []
    keys = [crit.key for _, crit in rubric.criteria()]
    from qa_toolkit.rubrics.model import suggest

    for key in [*values, *comments]:
        if key not in keys:
            problems.append(f"unknown criterion {key!r}{suggest(key, keys)}")
    for cat, crit in rubric.criteria():
        if crit.key not in values:
            continue
        value = values[crit.key]
        if value is None and not crit.allow_na:
            problems.append(f"{crit.key}: N/A is not allowed")
            continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not crit.scale.allows(value)):
            problems.append(f"{crit.key}: {value!r} is not on the scale {crit.scale.describe()}")
            continue
        normalized = formula.normalize(value, crit.scale.min, crit.scale.max)
        message = "N/A" if value is None else f"{value:g} on {crit.scale.describe()}"
        verdicts.append(Verdict(crit.key, cat.key, None if value is None else float(value), normalized,
                                _status(crit, normalized), message, [], None, comments.get(crit.key), "user"))
    if problems:
        raise QAError("; ".join(dict.fromkeys(problems)))
    return verdicts
