"""The progress store: one SQLite file of profiles, card states and the review log.

No Textual or Rich here (an import test checks it).
"""

from immunoquiz.store.cards import CardRow
from immunoquiz.store.db import DB_NAME, StoreError
from immunoquiz.store.profiles import Profile
from immunoquiz.store.progress import Store
from immunoquiz.store.reviews import ReviewRow
from immunoquiz.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration

__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "CardRow",
    "Migration",
    "Profile",
    "ReviewRow",
    "Store",
    "StoreError",
]
