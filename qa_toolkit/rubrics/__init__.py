"""Rubrics: what good looks like, as versioned YAML scorecards.

Pydantic models for rubric files (categories, criteria, scales, N/A, critical items, check
parameters, training modules), validation errors that point to file, line and field, and the
shipped rubric library. Published versions are immutable and keyed by content hash.
"""
