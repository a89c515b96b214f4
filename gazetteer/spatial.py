"""Spatial indexes: the places nearest a point, and the polygons that contain it.

Both sit on shapely's STRtree, so a query looks at the few entries near the point, never at every
place. Distances are geodesic on the WGS84 ellipsoid (geopy), after a vectorised great-circle pass
that picks the candidates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import shapely
from geopy.distance import geodesic
from shapely.geometry import shape

EARTH_RADIUS_KM = 6371.0088
HALF_CIRCUMFERENCE_KM = 20_038.0
FIRST_RADIUS_KM = 25.0


def great_circle_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Haversine distances from one point to many (spherical; used only to pick candidates)."""
    phi1, phi2 = math.radians(lat), np.radians(lats)
    dphi = phi2 - phi1
    dlmb = np.radians(lons) - math.radians(lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _boxes(lat: float, lon: float, radius_km: float) -> list[Any]:
    """Lon/lat boxes that together hold every point within ``radius_km`` (split at the antimeridian)."""
    dlat = radius_km / 110.5  # a degree of latitude is at least 110.57 km
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(south), abs(north))
    if widest >= 89.5 or radius_km >= HALF_CIRCUMFERENCE_KM / 2:
        return [shapely.box(-180.0, south, 180.0, north)]
    dlon = radius_km / (111.2 * math.cos(math.radians(widest)))
    if dlon >= 180.0:
        return [shapely.box(-180.0, south, 180.0, north)]
    west, east = lon - dlon, lon + dlon
    boxes = [shapely.box(max(west, -180.0), south, min(east, 180.0), north)]
    if west < -180.0:
        boxes.append(shapely.box(west + 360.0, south, 180.0, north))
    if east > 180.0:
        boxes.append(shapely.box(-180.0, south, east - 360.0, north))
    return boxes


class PointIndex:
    """The representative points of all places, for nearest-place queries."""

    def __init__(self, lats: Sequence[float], lons: Sequence[float]) -> None:
        self.lats = np.asarray(lats, dtype=np.float64)
        self.lons = np.asarray(lons, dtype=np.float64)
        self.tree = shapely.STRtree(shapely.points(self.lons, self.lats))

    def _within_box(self, lat: float, lon: float, radius_km: float) -> np.ndarray:
        boxes = _boxes(lat, lon, radius_km)
        if len(boxes) == 1:
            return self.tree.query(boxes[0])  # type: ignore[no-any-return]
        return np.unique(self.tree.query(boxes)[1])

    def nearest(self, lat: float, lon: float, limit: int, radius_km: float | None = None,
                accept: Callable[[int], bool] | None = None) -> list[tuple[int, float]]:
        """Up to ``limit`` (place index, geodesic km) pairs, nearest first, within ``radius_km`` if given.

        The search box grows from 25 km until it holds enough accepted places inside its inscribed
        circle (so nothing outside the box can be nearer) or reaches the radius.
        """
        ceiling = min(radius_km, HALF_CIRCUMFERENCE_KM) if radius_km is not None else HALF_CIRCUMFERENCE_KM
        radius = min(FIRST_RADIUS_KM, ceiling)
        while True:
            found = self._within_box(lat, lon, radius)
            if accept is not None and len(found):
                found = found[np.fromiter((accept(int(i)) for i in found), dtype=bool, count=len(found))]
            distances = great_circle_km(lat, lon, self.lats[found], self.lons[found])
            inside = distances <= radius
            if int(inside.sum()) >= limit or radius >= ceiling:
                break
            radius = min(radius * 4, ceiling)
        found, distances = found[inside], distances[inside]
        if len(found) > limit:
            # Spherical and ellipsoidal distances differ by under 0.6 %: keep every candidate that could
            # still be among the nearest once measured on the ellipsoid.
            kth = np.partition(distances, limit - 1)[limit - 1]
            keep = distances <= kth * 1.006 + 1e-9
            found, distances = found[keep], distances[keep]
        measured = [(int(i), geodesic((lat, lon), (self.lats[i], self.lons[i])).km) for i in found]
        measured.sort(key=lambda pair: pair[1])
        if radius_km is not None:
            measured = [pair for pair in measured if pair[1] <= radius_km]
        return measured[:limit]


class AreaIndex:
    """The polygons of places, for point-in-polygon queries."""

    def __init__(self, polygons: Sequence[tuple[int, dict[str, Any]]]) -> None:
        self.place = [place for place, _ in polygons]
        self.geometries = [shape(geometry) for _, geometry in polygons]
        shapely.prepare(self.geometries)
        self.area = [geometry.area for geometry in self.geometries]
        self.tree = shapely.STRtree(self.geometries)

    def containing(self, lat: float, lon: float) -> list[int]:
        """Place indexes of the polygons containing the point (boundary included), largest first."""
        found = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return [self.place[i] for i in sorted(found.tolist(), key=lambda i: -self.area[i])]
