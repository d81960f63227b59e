"""Reports: turning scores into coaching and training.

A service layer that computes plain data (agent coaching summaries, training gaps with Wilson
intervals, contact-center KPIs) and renderers that only lay it out: reportlab PDFs, CSV, JSON
and Markdown.
"""
