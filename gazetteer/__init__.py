"""The reference gazetteer of contested place names."""

from .config import Settings
from .core import Gazetteer
from .errors import DatabaseNotReady, DataInvalid, GazetteerError, InvalidInput, PlaceNotFound
from .results import LookupResult, NameClaimRecord, PlaceRecord, Status

__all__ = ["Gazetteer", "Settings", "GazetteerError", "InvalidInput", "PlaceNotFound", "DatabaseNotReady",
           "DataInvalid", "LookupResult", "NameClaimRecord", "PlaceRecord", "Status"]
__version__ = "0.1.0"
