"""The reference gazetteer of contested place names."""

from .config import Settings
from .core import Gazetteer
from .errors import DatabaseNotReady, DataInvalid, GazetteerError, InvalidInput, PlaceNotFound
from .results import LookupResult, NameClaimRecord, PlaceRecord, Status

__all__ = ["DataInvalid", "DatabaseNotReady", "Gazetteer", "GazetteerError", "InvalidInput", "LookupResult",
           "NameClaimRecord", "PlaceNotFound", "PlaceRecord", "Settings", "Status"]
__version__ = "0.1.0"
