"""Review: people scoring a sample of interactions.

Sampling strategies, fair assignment (balanced, never self-review, blind mode), the terminal
review session, calibration sessions with agreement statistics, disputes and their resolution.
"""
