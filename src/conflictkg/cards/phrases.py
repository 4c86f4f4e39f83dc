"""Dates and counts written as people write them, turned into the ontology's fields.

Both functions return ``(property, value)`` pairs, values being ints, code local names
(``"Morning"``) or :class:`DateValue`; they raise :class:`ValueError` with a message that
lists the forms understood.

Examples
--------
>>> count_fields("at least 50")
[('minimumValue', 50)]
>>> count_fields("77 to 100")
[('minimumValue', 77), ('maximumValue', 100)]
>>> count_fields("about 300")
[('approximateValue', 300)]
>>> count_fields("more than 255")
[('minimumValue', 256)]
>>> count_fields("dozens", {"Dozens": 24})
[('vagueQuantity', 'Dozens'), ('minimumValue', 24)]
>>> [(p, str(v)) for p, v in date_fields("morning of 17 September 2024")]
[('date', '2024-09-17'), ('timePrecision', 'PartOfDayPrecision'), ('partOfDay', 'Morning')]
>>> [str(v) for p, v in date_fields("between 25 and 27 July 2024")]
['2024-07-25', '2024-07-27', 'UnknownTimePrecision']
>>> [(p, str(v)) for p, v in date_fields("by 18 September 2024")]
[('latestDate', '2024-09-18'), ('timePrecision', 'UnknownTimePrecision')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["COUNT_FORMS", "DATE_FORMS", "DateValue", "count_fields", "date_fields"]

MONTHS = {
    name: number
    for number, name in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        start=1,
    )
}
PARTS_OF_DAY = {
    "night": "Night", "morning": "Morning", "afternoon": "Afternoon", "evening": "Evening",
}

DATE_FORMS = (
    "17 September 2024, 2024-09-17, September 2024, 2024, morning of 17 September 2024, "
    "between 25 and 27 July 2024, between 30 July and 2 August 2024, by 18 September 2024, "
    "not before 17 September 2024"
)
COUNT_FORMS = (
    "50, exactly 50, at least 50, more than 255, at most 20, fewer than 10, 77 to 100, "
    "between 77 and 100, about 300, a dozen, about a dozen, a few, several, multiple, many, "
    "very many, various, dozens, scores, hundreds, thousands, plural, heavy, serious, "
    "significant"
)

#: Vague words: (code, whether the word bounds the number from below).  Words of size
#: (heavy, serious, significant) say how bad, not how many, so they give no bound.
_VAGUE = {
    "a few": ("AFew", True), "few": ("AFew", True), "several": ("Several", True),
    "multiple": ("Multiple", True), "many": ("Numerous", True),
    "numerous": ("Numerous", True), "very many": ("VeryMany", True),
    "a great many": ("VeryMany", True), "various": ("Various", True),
    "dozens": ("Dozens", True), "scores": ("Scores", True), "hundreds": ("Hundreds", True),
    "thousands": ("Thousands", True), "plural": ("Plural", True),
    "heavy": ("Heavy", False), "serious": ("Serious", False),
    "significant": ("Significant", False),
}
_NUMBER = r"(\d[\d,]*)"


@dataclass(frozen=True)
class DateValue:
    """An ISO date, year-month or year, with its XSD datatype name."""

    text: str
    datatype: str

    def __str__(self) -> str:
        """Return the ISO form."""
        return self.text


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def count_fields(phrase: str, lower_bounds: dict[str, int] | None = None) -> list:
    """Return the count fields a phrase such as ``"at least 50"`` stands for.

    Parameters
    ----------
    phrase : str
        The count as the source words it (see :data:`COUNT_FORMS`).
    lower_bounds : dict, optional
        The lower bound of each vague quantity code (``ckg:vagueLowerBound``).

    Raises
    ------
    ValueError
        When the phrase is none of the forms, or gives its bounds in the wrong order.
    """
    text = " ".join(str(phrase).casefold().split())
    lower_bounds = lower_bounds or {}
    rules = (
        (rf"(?:exactly )?{_NUMBER}", lambda n: [("exactValue", n)]),
        (rf"at least {_NUMBER}", lambda n: [("minimumValue", n)]),
        (rf"(?:more than|over) {_NUMBER}", lambda n: [("minimumValue", n + 1)]),
        (rf"(?:at most|up to) {_NUMBER}", lambda n: [("maximumValue", n)]),
        (rf"(?:fewer|less) than {_NUMBER}", lambda n: [("maximumValue", n - 1)]),
        (rf"(?:about|around|approximately|nearly|some) {_NUMBER}",
         lambda n: [("approximateValue", n)]),
    )
    for pattern, make in rules:
        match = re.fullmatch(pattern, text)
        if match:
            return make(_number(match.group(1)))
    match = re.fullmatch(rf"(?:between )?{_NUMBER} (?:to|and) {_NUMBER}", text)
    if match:
        low, high = _number(match.group(1)), _number(match.group(2))
        if low > high:
            raise ValueError(
                f"the bounds of {phrase!r} are in the wrong order: write {high} to {low}"
            )
        return [("minimumValue", low), ("maximumValue", high)]
    if text in ("a dozen", "about a dozen", "dozen"):
        return [("approximateValue", 12), ("vagueQuantity", "Dozen")]
    if text in _VAGUE:
        code, bounded = _VAGUE[text]
        fields: list = [("vagueQuantity", code)]
        if bounded and code in lower_bounds:
            fields.append(("minimumValue", lower_bounds[code]))
        return fields
    raise ValueError(f"the count {phrase!r} is not understood; write one of: {COUNT_FORMS}")


def _day(text: str, year: str | None = None) -> DateValue:
    match = re.fullmatch(r"(\d{1,2}) ([a-z]+)(?: (\d{4}))?", text)
    if match and match.group(2) in MONTHS and (match.group(3) or year):
        day, month = int(match.group(1)), MONTHS[match.group(2)]
        iso = f"{match.group(3) or year}-{month:02d}-{day:02d}"
        _check_day(iso)
        return DateValue(iso, "date")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        _check_day(text)
        return DateValue(text, "date")
    raise ValueError(f"{text!r} is not a day (write 17 September 2024 or 2024-09-17)")


def _check_day(iso: str) -> None:
    import datetime

    try:
        datetime.date.fromisoformat(iso)
    except ValueError:
        raise ValueError(f"{iso} is not a day of the calendar") from None


def date_fields(phrase: str) -> list:
    """Return the date fields a phrase such as ``"by 18 September 2024"`` stands for.

    Raises
    ------
    ValueError
        When the phrase is none of the forms (:data:`DATE_FORMS`), names no real day, or
        gives its bounds in the wrong order.
    """
    text = " ".join(str(phrase).casefold().replace(",", " ").split())
    try:
        return _date_fields(text)
    except ValueError as error:
        raise ValueError(
            f"the date {phrase!r} does not parse ({error}); write one of: {DATE_FORMS}"
        ) from None


def _date_fields(text: str) -> list:
    unknown = ("timePrecision", "UnknownTimePrecision")
    match = re.fullmatch(r"(night|morning|afternoon|evening) of (.+)", text) or re.fullmatch(
        r"(.+) (night|morning|afternoon|evening)", text
    )
    if match:
        part, day = match.groups() if match.group(1) in PARTS_OF_DAY else match.groups()[::-1]
        return [("date", _day(day)), ("timePrecision", "PartOfDayPrecision"),
                ("partOfDay", PARTS_OF_DAY[part])]
    match = re.fullmatch(r"(?:between )?(.+?) (?:and|to) (.+)", text)
    if match:
        second = _day(match.group(2))
        first_text = match.group(1)
        if re.fullmatch(r"\d{1,2}", first_text):
            first_text += " " + second.text[5:7]
            first = _day(f"{second.text[:4]}-{int(first_text.split()[1]):02d}-"
                         f"{int(match.group(1)):02d}")
        else:
            first = _day(first_text, year=second.text[:4])
        if first.text > second.text:
            raise ValueError("the first day is after the second")
        return [("earliestDate", first), ("latestDate", second), unknown]
    match = re.fullmatch(r"by (.+)", text)
    if match:
        return [("latestDate", _day(match.group(1))), unknown]
    match = re.fullmatch(r"(?:not before|on or after) (.+)", text)
    if match:
        return [("earliestDate", _day(match.group(1))), unknown]
    match = re.fullmatch(r"([a-z]+) (\d{4})", text)
    if match and match.group(1) in MONTHS:
        iso = f"{match.group(2)}-{MONTHS[match.group(1)]:02d}"
        return [("date", DateValue(iso, "gYearMonth")), ("timePrecision", "MonthPrecision")]
    if re.fullmatch(r"\d{4}", text):
        return [("date", DateValue(text, "gYear")), ("timePrecision", "YearPrecision")]
    return [("date", _day(text)), ("timePrecision", "DayPrecision")]
