"""GeoJSON (RFC 7946) of events and places, for QGIS and kepler.gl.

A ``FeatureCollection`` of ``Point`` features, coordinates ``[longitude, latitude]`` in
WGS 84, as RFC 7946 requires (no ``crs`` member):

* every place with checked coordinates (``geo:hasGeometry/geo:asWKT``);
* every event whose place, or the nearest place containing it (``ckg:locatedIn``), has
  coordinates. ``coordinates_from`` says which place the point belongs to and
  ``geographic_precision`` how precisely the source locates the event: an attack on a
  school at city precision sits on the city's point, not the school's. Events with no
  located place are left out (the collection's ``unlocated_events`` counts them).

Every feature has the same properties, each always of one JSON type (string) or ``null``:
``kind`` (``event`` or ``place``), ``iri``, ``label``, ``type``, ``status``,
``status_label``, ``asserted_by``, ``asserted_by_label``, ``date``, ``earliest``,
``latest``, ``start`` and ``end`` (first and last possible day, ``YYYY-MM-DD``), ``until``
(the day after ``end``: QGIS's temporal controller includes a feature's start and excludes
its end, so an event of one day has ``start`` 2024-09-17 and ``until`` 2024-09-18),
``time_precision``, ``geographic_precision``, ``place``, ``place_label``,
``coordinates_from``, ``coordinates_from_label``, ``coordinate_source``, ``perpetrators``.
Filters on status and dates apply to events; places are always kept.

Examples
--------
>>> import json
>>> from conflictkg.rdf.loading import turtle_graph
>>> g = turtle_graph('''
... ckg:Attack rdfs:subClassOf ckg:Event .
... ckr:city a ckg:City ; rdfs:label "Bamako" ; geo:hasGeometry ckr:city-point .
... ckr:city-point geo:asWKT "POINT(-8.0029 12.6392)"^^geo:wktLiteral .
... ckr:school a ckg:Facility ; ckg:locatedIn ckr:city .
... ckr:attack a ckg:Attack ; ckg:place ckr:school ; ckg:date "2024-09-17" .
... ''')
>>> doc = json.loads(to_geojson(g))
>>> [(f["properties"]["kind"], f["geometry"]["coordinates"]) for f in doc["features"]]
[('event', [-8.0029, 12.6392]), ('place', [-8.0029, 12.6392])]
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from conflictkg.errors import ExportDataError
from conflictkg.exporters.common import (
    Progress,
    date_bounds,
    json_text,
    no_progress,
)
from conflictkg.namespaces import CKG
from conflictkg.projection.filters import Filters
from conflictkg.rdf.labels import label_table
from conflictkg.rdf.terms import local_name

__all__ = ["PROPERTIES", "parse_point", "to_geojson"]

#: The properties of every feature, in order.
PROPERTIES = (
    "kind", "iri", "label", "type", "status", "status_label", "asserted_by",
    "asserted_by_label", "date", "earliest", "latest", "start", "end", "until", "time_precision",
    "geographic_precision", "place", "place_label", "coordinates_from",
    "coordinates_from_label", "coordinate_source", "perpetrators",
)

_GEO = "http://www.opengis.net/ont/geosparql#"
_HAS_GEOMETRY = URIRef(_GEO + "hasGeometry")
_AS_WKT = URIRef(_GEO + "asWKT")
_CKG = str(CKG._NS)
_POINT = re.compile(
    r"^\s*(?:<(?P<crs>[^>]*)>\s*)?POINT\s*\(\s*(?P<x>[-+0-9.eE]+)\s+(?P<y>[-+0-9.eE]+)\s*\)\s*$",
    re.IGNORECASE,
)
# CRS IRIs whose axis order is latitude first.
_LAT_FIRST = ("http://www.opengis.net/def/crs/EPSG/0/4326",)



def _perpetrators(g, reader, event) -> str:
    """Name the event's perpetrators, each with its voice when a statement gives another status.

    A direct ``ckg:perpetrator`` has the event's own status; a perpetrator known from a
    ``ckg:Statement`` says how (``JNIM (Claimed by a party, according to JNIM)``).
    """
    names = sorted(reader.label(p) for p in g.objects(event, CKG.perpetrator))
    for statement in g.subjects(RDF.subject, event):
        if g.value(statement, RDF.predicate) != CKG.perpetrator:
            continue
        who = g.value(statement, RDF.object)
        status = g.value(statement, CKG.assertionStatus)
        voice = g.value(statement, CKG.accordingTo)
        how = reader.label(status) if status is not None else "no status"
        if voice is not None:
            how += f", according to {reader.label(voice)}"
        names.append(f"{reader.label(who)} ({how})")
    return "; ".join(names)

def _day_after(day: str) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()


def parse_point(wkt: str) -> tuple[float, float] | None:
    """Read ``(longitude, latitude)`` from a WKT point, or ``None`` if it is not one.

    The default CRS of GeoSPARQL is CRS84 (longitude first); a point that names EPSG:4326
    is read latitude first.

    Parameters
    ----------
    wkt : str
        A ``geo:wktLiteral``.

    Returns
    -------
    tuple of float or None
        Longitude and latitude.

    Examples
    --------
    >>> parse_point("POINT(-8.0029 12.6392)")
    (-8.0029, 12.6392)
    >>> parse_point("<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(12.6392 -8.0029)")
    (-8.0029, 12.6392)
    >>> parse_point("POLYGON((0 0, 1 0, 1 1, 0 0))") is None
    True
    """
    match = _POINT.match(wkt)
    if match is None:
        return None
    x, y = float(match["x"]), float(match["y"])
    if match["crs"] in _LAT_FIRST:
        x, y = y, x
    return x, y


class _Reader:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.labels: dict[Any, str] = label_table(graph)
        children: dict[Any, set] = {}
        for child, parent in graph.subject_objects(RDFS.subClassOf):
            children.setdefault(parent, set()).add(child)
        self.event_classes = {CKG.Event}
        todo = [CKG.Event]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in self.event_classes:
                    self.event_classes.add(child)
                    todo.append(child)
        self.points: dict[Any, tuple[float, float, str | None]] = {}

    def label(self, node: Any) -> str:
        return self.labels.get(node) or local_name(node)

    def type(self, node: Any) -> str | None:
        types = sorted(
            str(t) for t in self.graph.objects(node, RDF.type) if str(t).startswith(_CKG)
        )
        return local_name(types[0]) if types else None

    def point(self, place: Any) -> tuple[float, float, str | None] | None:
        if place in self.points:
            return self.points[place]
        found = None
        for geometry in self.graph.objects(place, _HAS_GEOMETRY):
            for wkt in self.graph.objects(geometry, _AS_WKT):
                lonlat = parse_point(str(wkt))
                if lonlat is None:
                    continue
                lon, lat = lonlat
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise ExportDataError(
                        f"place {place} ({self.label(place)}): coordinates {wkt} are out of "
                        "range (longitude -180..180, latitude -90..90)"
                    )
                source = self.graph.value(geometry, CKG.coordinateSource)
                found = (lon, lat, str(source) if source is not None else None)
                break
            if found:
                break
        self.points[place] = found  # type: ignore[assignment]
        return found

    def located(self, place: Any) -> tuple[Any, tuple[float, float, str | None]] | None:
        """Find the place itself or the nearest place containing it that has a point."""
        seen = {place}
        level = [place]
        while level:
            for candidate in sorted(level, key=str):
                point = self.point(candidate)
                if point is not None:
                    return candidate, point
            following = []
            for candidate in level:
                for parent in self.graph.objects(candidate, CKG.locatedIn):
                    if parent not in seen:
                        seen.add(parent)
                        following.append(parent)
            level = following
        return None


def _feature(point: tuple[float, float], properties: dict[str, Any]) -> dict[str, Any]:
    props = {name: properties.get(name) for name in PROPERTIES}
    return {
        "type": "Feature",
        "id": properties["iri"],
        "geometry": {"type": "Point", "coordinates": [point[0], point[1]]},
        "properties": props,
    }


def to_geojson(
    graph: Graph, *, filters: Filters | None = None, progress: Progress = no_progress
) -> bytes:
    """Write the located events and places of `graph` as a GeoJSON FeatureCollection.

    Parameters
    ----------
    graph : rdflib.Graph
        Ontology and data (the ontology's subclass links tell events apart).
    filters : conflictkg.projection.Filters, optional
        Statuses and dates of the events to keep.
    progress : callable, optional
        Progress reporter.

    Returns
    -------
    bytes
        UTF-8 GeoJSON.

    Raises
    ------
    ExportDataError
        If a place has coordinates out of range (the message names it).
    """
    filters = filters or Filters()
    reader = _Reader(graph)
    g = graph
    features = []
    unlocated = 0
    events = sorted(
        {
            s
            for s in g.subjects(CKG.place, None)
            if any(t in reader.event_classes for t in g.objects(s, RDF.type))
        },
        key=str,
    )
    for event in progress(events, len(events), "locating events"):
        props: dict[str, Any] = {"kind": "event", "iri": str(event), "label": reader.label(event),
                                 "type": reader.type(event)}
        status = g.value(event, CKG.assertionStatus)
        if status is not None:
            props["status"] = local_name(status)
            props["status_label"] = reader.label(status)
        source = g.value(event, CKG.assertedBy)
        if source is not None:
            props["asserted_by"] = str(source)
            props["asserted_by_label"] = reader.label(source)
        for predicate, key in ((CKG.date, "date"), (CKG.earliestDate, "earliest"),
                               (CKG.latestDate, "latest")):
            value = g.value(event, predicate)
            if value is not None:
                props[key] = str(value)
        if not filters.keeps(props):
            continue
        first = date_bounds(props.get("earliest") or props.get("date"))
        last = date_bounds(props.get("latest") or props.get("date"))
        props["start"] = first[0] if first else None
        props["end"] = last[1] if last else None
        props["until"] = _day_after(last[1]) if last else None
        for predicate, key in ((CKG.timePrecision, "time_precision"),
                               (CKG.geographicPrecision, "geographic_precision")):
            value = g.value(event, predicate)
            if value is not None:
                props[key] = local_name(value)
        props["perpetrators"] = _perpetrators(g, reader, event) or None
        place = g.value(event, CKG.place)
        props["place"], props["place_label"] = str(place), reader.label(place)
        located = reader.located(place)
        if located is None:
            unlocated += 1
            continue
        where, (lon, lat, coordinate_source) = located
        props["coordinates_from"] = str(where)
        props["coordinates_from_label"] = reader.label(where)
        props["coordinate_source"] = coordinate_source
        features.append(_feature((lon, lat), props))
    places = sorted(set(g.subjects(_HAS_GEOMETRY, None)), key=str)
    for place in progress(places, len(places), "locating places"):
        point = reader.point(place)
        if point is None:
            continue
        props = {"kind": "place", "iri": str(place), "label": reader.label(place),
                 "type": reader.type(place), "coordinates_from": str(place),
                 "coordinates_from_label": reader.label(place), "coordinate_source": point[2]}
        features.append(_feature(point, props))
    document = {
        "type": "FeatureCollection",
        "name": "conflictkg events and places",
        "unlocated_events": unlocated,
        "features": features,
    }
    return (json_text(document, depth=2) + "\n").encode("utf-8")
