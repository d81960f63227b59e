"""qa-toolkit: quality assurance for customer-service interactions.

Transcribe calls, import chats, score interactions against rubrics with automated checks and
peer reviews, and write coaching reports. The ``qa`` command is the way in; everything it does
is also a plain Python function in :mod:`qa_toolkit.services`.
"""

from qa_toolkit.errors import QAError

__version__ = "0.1.0"

__all__ = ["QAError", "__version__"]
