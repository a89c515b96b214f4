"""The reference gazetteer of contested place names."""

from .config import Settings
from .core import Gazetteer
from .errors import DatabaseNotReady, DataInvalid, GazetteerError, InvalidInput, InvalidOption, PlaceNotFound
from .results import ContainingArea, LookupResult, NameClaimRecord, NearbyPlace, PlaceRecord, Status

__all__ = ["ContainingArea", "DataInvalid", "DatabaseNotReady", "Gazetteer", "GazetteerError", "InvalidInput",
           "InvalidOption", "LookupResult", "NameClaimRecord", "NearbyPlace", "PlaceNotFound", "PlaceRecord", "Settings",
           "Status"]
__version__ = "0.1.0"
