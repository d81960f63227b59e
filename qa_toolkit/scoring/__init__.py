"""Scoring: automated checks and the score formula.

Small check functions registered by name (phrases, ordering, empathy, resolution, accuracy,
timing, compliance), each returning pass / fail / not applicable with evidence; the pure score
formula (criterion → category → evaluation, N/A and critical items); and the measurement of each
check's accuracy against hand labels.
"""
