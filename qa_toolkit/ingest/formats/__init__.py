"""One module per chat format; each turns its input into canonical conversation dicts.

JSON-based formats (``abcd``, ``zendesk``, ``intercom``) expose ``to_canonical(record) -> dict``;
``csv`` and ``text`` read a whole source and yield :class:`~qa_toolkit.ingest.model.Parsed` records.
"""
