"""The progress store: one SQLite file of profiles, card states and the review log.

No Textual or Rich here (an import test checks it).
"""

from immunoquiz.store.backups import BackupInfo
from immunoquiz.store.cards import CardRow
from immunoquiz.store.db import DB_NAME
from immunoquiz.store.errors import StoreError
from immunoquiz.store.marks import MAX_NOTE, Flag, check_note
from immunoquiz.store.profiles import Profile
from immunoquiz.store.progress import Store
from immunoquiz.store.reviews import ReviewEntry, ReviewRow, ScheduledReview, duration_ms
from immunoquiz.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration
from immunoquiz.store.times import MAX_YEAR, MIN_YEAR, check_time
from immunoquiz.store.transaction import Transaction, UndoResult

__all__ = [
    "DB_NAME",
    "MAX_NOTE",
    "MAX_YEAR",
    "MIGRATIONS",
    "MIN_YEAR",
    "SCHEMA_VERSION",
    "BackupInfo",
    "CardRow",
    "Flag",
    "Migration",
    "Profile",
    "ReviewEntry",
    "ReviewRow",
    "ScheduledReview",
    "Store",
    "StoreError",
    "Transaction",
    "UndoResult",
    "check_note",
    "check_time",
    "duration_ms",
]
