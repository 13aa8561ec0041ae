"""SQLite storage: opening the database, its migrations, and the queries the rest of failtui uses."""

from failtui.storage.db import DatabaseError, Store, open_db

__all__ = ["DatabaseError", "Store", "open_db"]
