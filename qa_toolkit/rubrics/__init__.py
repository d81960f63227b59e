"""Rubrics: what good looks like, as versioned YAML scorecards.

Pydantic models for rubric files (categories, criteria, scales, N/A, critical items, check
parameters, training modules), validation errors that point to file, line and field, and the
shipped rubric library (``library/``). Published versions are immutable and keyed by content hash.
"""

from qa_toolkit.rubrics.loader import LoadedRubric, RubricError, library, load_rubric, parse_rubric
from qa_toolkit.rubrics.model import Category, Criterion, Rubric, Scale

__all__ = ["Category", "Criterion", "LoadedRubric", "Rubric", "RubricError", "Scale", "library", "load_rubric",
           "parse_rubric"]
