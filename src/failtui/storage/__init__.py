"""SQLite storage: opening the database, its migrations, and the queries failtui makes."""

from failtui.storage.db import DatabaseError, Store, WriteError, open_db

__all__ = ["DatabaseError", "Store", "WriteError", "open_db"]
