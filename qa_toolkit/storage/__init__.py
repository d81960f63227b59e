"""Storage: the SQLAlchemy models, the engine and sessions, and the Alembic migrations.

The same migrations run on SQLite (the default, a single file) and PostgreSQL.
"""

from qa_toolkit.storage.database import Database, open_database
from qa_toolkit.storage.models import Agent, AuditEvent, Base, Interaction, Turn, User

__all__ = ["Agent", "AuditEvent", "Base", "Database", "Interaction", "Turn", "User", "open_database"]
