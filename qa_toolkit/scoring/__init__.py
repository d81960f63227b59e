"""Scoring: automated checks and the score formula.

* :mod:`~qa_toolkit.scoring.view` — the plain interaction view every check reads;
* :mod:`~qa_toolkit.scoring.checks` — small check functions registered by name (phrases, ordering,
  empathy, resolution, accuracy, timing, compliance), each returning pass / fail / not applicable
  with evidence and a confidence;
* :mod:`~qa_toolkit.scoring.formula` — the pure score formula (criterion → category →
  evaluation, N/A, critical items, bonus), IQS and pass rate;
* :mod:`~qa_toolkit.scoring.engine` — a rubric compiled into checks, verdicts on its scales;
* :mod:`~qa_toolkit.scoring.evaluate` — each check's accuracy against hand labels.

None of these touch the database: :mod:`qa_toolkit.services.scoring` does.
"""
