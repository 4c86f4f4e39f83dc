"""Open a GeoJSON file with QGIS's own loader, headless, and filter it by time as QGIS does.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_temporal.py FILE DAY MODE START END
MODE is "fields" (start and end fields) or "expressions"; DAY is YYYY-MM-DD. The range is
that day, with QGIS's default "include start, exclude end". Prints JSON: validity, feature
count, field types and the IRIs of the features the temporal filter keeps.
"""

import datetime
import json
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsDateTimeRange,
    QgsExpression,
    QgsFeatureRequest,
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
    QgsVectorLayerTemporalProperties,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

path, day, mode, start, end = sys.argv[1:6]
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorLayer(path, "export", "ogr")
properties = layer.temporalProperties()
properties.setIsActive(True)
if mode == "fields":
    properties.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromFields)
    properties.setStartField(start)
    properties.setEndField(end)
else:
    properties.setMode(
        QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions
    )
    properties.setStartExpression(start)
    properties.setEndExpression(end)
first = datetime.date.fromisoformat(day)
after = first + datetime.timedelta(days=1)


def moment(d):
    return QDateTime(QDate(d.year, d.month, d.day), QTime(0, 0), Qt.UTC)


context = QgsVectorLayerTemporalContext()
context.setLayer(layer)
expression = properties.createFilterString(
    context, QgsDateTimeRange(moment(first), moment(after), True, False)
)
kept = [f["iri"] for f in layer.getFeatures(QgsFeatureRequest(QgsExpression(expression)))]
json.dump(
    {
        "valid": layer.isValid(),
        "features": layer.featureCount(),
        "fields": {f.name(): f.typeName() for f in layer.fields()},
        "filter": expression,
        "kept": kept,
    },
    sys.stdout,
)
sys.stdout.flush()
os._exit(0)  # QGIS 3.22 may crash while tearing down a headless application
