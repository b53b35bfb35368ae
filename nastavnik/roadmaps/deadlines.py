"""Deadlines of roadmap events as people write them in Russian.

A roadmap says «декабрь», «До 09.11.2020», «Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.» or
«Постоянно». `parse_deadline` turns such text into start/end dates and a recurrence, with the
roadmap's period (usually an academic year) as context: in a 2020–2021 roadmap «декабрь» is
December 2020 and «январь» is January 2021. `expand_occurrences` turns a parsed deadline into
dated occurrences within a period, which is what control pages and reminders work with.

The parser never raises and never drops text: what it cannot read fully is returned with
`understood=False` and a Russian note saying what was not understood.

Conventions (documented because roadmaps are vague):
- «До 09.11.2020» has no start; its occurrence is the one day of the due date.
- «до декабря» means before December: due on the 1st of December («до конца декабря»: the 31st).
- «1 полугодие» of an academic year is September–December, «2 полугодие» January–May;
  with a calendar year («1 полугодие 2021») it is January–June / July–December.
- «Ежегодно, по итогам периода» is due on the last day of each year of the period.
- A span of whole years longer than one year («2021-2024 гг.») is continuous work over it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

Recurrence = Literal["once", "monthly", "quarterly", "yearly", "continuous", "on_demand", "several"]
RECURRENCES: tuple[Recurrence, ...] = (
    "once", "monthly", "quarterly", "yearly", "continuous", "on_demand", "several",
)  # fmt: skip

RECURRENCE_LABELS: dict[str, str] = {
    "once": "однократно",
    "monthly": "ежемесячно",
    "quarterly": "ежеквартально",
    "yearly": "ежегодно",
    "continuous": "постоянно",
    "on_demand": "по мере необходимости",
    "several": "несколько сроков",
}

_MAX_OCCURRENCES = 2000


@dataclass(frozen=True)
class ParsedDeadline:
    """A deadline as written plus what we understood of it.

    For `yearly`, `starts_on`/`ends_on` are the first window and `repeat_until` (if known) the last
    day a window may reach. For `monthly` and `quarterly` they bound the span in which the event
    recurs; `day_of_month` is the due day within each month («до 25 числа каждого месяца»).
    `windows`, when given, are all the occurrences written out («декабрь, май»; «Октябрь 2021 г.,
    далее ежегодно в сентябре»): `starts_on`/`ends_on` are then the first of them.
    """

    text: str
    starts_on: date | None
    ends_on: date | None
    recurrence: Recurrence
    understood: bool
    note: str = ""
    day_of_month: int | None = None
    repeat_until: date | None = None
    windows: tuple[tuple[date, date], ...] = ()

    @property
    def due_on(self) -> date | None:
        return self.ends_on or self.starts_on


@dataclass(frozen=True)
class Period:
    """The time a roadmap covers: an academic year (1 Sep – 31 Aug) or calendar years."""

    starts_on: date
    ends_on: date
    academic: bool = True

    @classmethod
    def academic_year(cls, first_year: int, last_year: int | None = None) -> Period:
        last = last_year if last_year is not None else first_year + 1
        return cls(date(first_year, 9, 1), date(last, 8, 31), academic=True)

    @classmethod
    def calendar_years(cls, first_year: int, last_year: int) -> Period:
        return cls(date(first_year, 1, 1), date(last_year, 12, 31), academic=False)

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """«2023-2024», «2023/24», «2020-2021 учебный год» → academic; «2020-2024 гг.» → calendar."""
        norm = _normalise(text)
        m = re.search(r"\b((?:19|20)\d{2})\s*[-/]\s*((?:19|20)?\d{2})\b", norm)
        if m:
            first = int(m.group(1))
            last_raw = m.group(2)
            last = int(last_raw) if len(last_raw) == 4 else (first // 100) * 100 + int(last_raw)
            if last < first:
                return None
            after = norm[m.end() :]
            said_calendar = bool(re.match(r"\s*(?:годы|годов|годах|гг|г\.г)", after)) and not re.search(
                r"\bуч", after
            )
            if (last == first + 1 and not said_calendar) or re.search(r"\bуч", after):
                if last == first:
                    return None
                return cls.academic_year(first, last)
            return cls.calendar_years(first, last)
        years = sorted({int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", norm)})
        if len(years) >= 2:
            # «(сентябрь 2022 г. - май 2024 г.)»: from a September to a May are academic years
            if re.search(r"(?:сентябр|август)\w*\s+" + str(years[0]), norm):
                return cls.academic_year(years[0], years[-1])
            return cls.calendar_years(years[0], years[-1])
        m = re.search(r"\b((?:19|20)\d{2})\b", norm)
        if m:
            first = int(m.group(1))
            if re.search(r"\bуч", norm[m.end() :]):
                return cls.academic_year(first)
            return cls.calendar_years(first, first)
        return None

    @property
    def label(self) -> str:
        if self.academic:
            return (
                f"{self.starts_on.year}–{self.ends_on.year} учебный год"
                if (self.ends_on.year == self.starts_on.year + 1)
                else f"{self.starts_on.year}–{self.ends_on.year} учебные годы"
            )
        if self.starts_on.year == self.ends_on.year:
            return f"{self.starts_on.year} год"
        return f"{self.starts_on.year}–{self.ends_on.year} годы"

    @property
    def spans_one_year(self) -> bool:
        return _add_years(self.starts_on, 1) > self.ends_on

    def year_for_month(self, month: int) -> int:
        """The year of the first `month` inside the period («декабрь» of 2020–2021 → 2020)."""
        year = self.starts_on.year
        if month < self.starts_on.month:
            year += 1
        return year

    def first_year_window(self) -> tuple[date, date]:
        return self.starts_on, min(self.ends_on, _add_years(self.starts_on, 1) - timedelta(days=1))

    def shifted(self, years: int) -> Period:
        return Period(_add_years(self.starts_on, years), _add_years(self.ends_on, years), self.academic)


# --- helpers ---------------------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def _normalise(text: str) -> str:
    text = text.replace("\xa0", " ").replace("ё", "е").replace("Ё", "Е")
    for dash in _DASHES:
        text = text.replace(dash, "-")
    text = re.sub(r"\s+", " ", text)
    return text.strip().lower()


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _month_add(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _format(value: date) -> str:
    return value.strftime("%d.%m.%Y")


_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("ма", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
)
_MONTH_WORD = (
    r"(?:январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]|янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек)\.?"
)


def _month_number(word: str) -> int:
    word = word.rstrip(".")
    short = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9, "сент": 9, "окт": 10}
    short.update({"ноя": 11, "дек": 12})
    if word in short:
        return short[word]
    for stem, number in _MONTH_STEMS:
        if word.startswith(stem):
            return number
    raise ValueError(word)


# School terms (четверти), approximately: the exact dates differ by region and year.
_TERMS = {1: (9, 10), 2: (11, 12), 3: (1, 3), 4: (4, 5)}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR_SUFFIX = r"(?:\s*(?:года|годы|годов|год|гг\.?|г\.?)(?![а-я]))?"

# --- recurrence and special phrases ----------------------------------------------------------------

_PHRASES: tuple[tuple[str, str], ...] = (
    (r"(?:ежемесячн\w*|каждый месяц|каждого месяца|ежемесячно|(?:1|один)\s+раз\s+в\s+месяц)", "monthly"),
    (
        r"(?:ежекварт\w*|каждый квартал|каждого квартала|(?:1|один)?\s*раз\s+в\s+квартал|по кварталам"
        r"|ежечетверт\w*|(?:1|один)?\s*раз\s+в\s+четверть|по четвертям|каждую четверть|по итогам четверти)",
        "quarterly",
    ),
    (r"(?:ежеполугод\w*|(?:1|один)?\s*раз\s+в\s+полугодие|(?:2|два)\s+раза\s+в\s+год)", "halfyearly"),
    (r"(?:еженедельн\w*|каждую неделю|(?:1|один)?\s*раз\s+в\s+неделю)", "weekly"),
    (r"(?:ежегодн\w*|каждый год|каждого года|(?:1|один)?\s*раз\s+в\s+год)", "yearly"),
    (
        r"(?:(?:по итогам|по окончании|по завершении)(?:\s+(?:учебного\s+)?(?:года|периода))?"
        r"|в конце\s+(?:учебного\s+)?года)",
        "period_end",
    ),
    (
        r"(?:в\s+течени[еи]\s+(?:всего\s+)?(?:периода|срока|программы|реализации\s*\w*)(?:\s+реализации)?"
        r"|весь период|постоянн\w*|систематически|регулярно|на протяжении\s+(?:всего\s+)?периода"
        r"|в\s+течени[еи]\s+всего\s+\w+)",
        "continuous",
    ),
    (r"(?:в\s+течени[еи]\s+(?:учебного\s+)?года)(?!\s*\d)", "year_long"),
    (
        r"(?:по мере необходимост\w*|по необходимост\w*|при необходимост\w*|по согласовани\w*"
        r"|по запросу|по запросам|по мере поступлени\w*|по требовани\w*|по мере\s+\w+)",
        "on_demand",
    ),
)
_PHRASE_RE = [(re.compile(pattern), kind) for pattern, kind in _PHRASES]

# --- tokens ----------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    "|".join(
        (
            r"(?P<date>\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?!\d)(?=г|\b))",
            r"(?P<dayrange>\b(?:с\s+)?\d{1,2}\s*(?:-|по)\s*\d{1,2}\s+"
            + _MONTH_WORD
            + r"(?:\s+(?:19|20)\d{2})?)",
            r"(?P<my>\b(?:0?[1-9]|1[0-2])[./](?:19|20)\d{2}(?!\d)(?=г|\b))",
            r"(?P<dm>\b\d{1,2}\.\d{1,2}\b)",
            r"(?P<daynum>\b\d{1,2}\s*(?:-?го\s+)?числа)",
            r"(?P<dmn>\b\d{1,2}\s+" + _MONTH_WORD + r")",
            r"(?P<month>\b" + _MONTH_WORD + r")",
            r"(?P<quarter>\b(?:[1-4]|iv|iii|ii|i)\s*(?:-?(?:й|го|ый|ом|м))?\s*квартал\w*)",
            r"(?P<term>\b(?:[1-4]|iv|iii|ii|i)\s*(?:-?(?:я|ая|й|ой))?\s*четверт\w*)",
            r"(?P<half>\b(?:[12]|ii|i|перв\w*|втор\w*)\s*(?:-?(?:е|ое|го|м|ом))?\s*полугоди\w*)",
            r"(?P<ay>\b(?:19|20)\d{2}\s*[-/]\s*(?:(?:19|20)?\d{2})\s*(?:уч\.|учебн\w*|уч\b)(?:\s*(?:года|год|г\.?|гг\.?))?)",
            r"(?P<year>\b(?:19|20)\d{2}(?!\d)(?=г|\b)" + _YEAR_SUFFIX + r")",
            r"(?P<endof>\bдо\s+конца\b|\bк\s+концу\b|\bв\s+конце\b|\bконец\b)",
            r"(?P<before>\bдо\b|\bне\s+позднее\b|\bне\s+позже\b|\bк\b|\bпо\s+состоянию\s+на\b)",
            r"(?P<since>\bначиная\s+с\b|\bс\b|\bсо\b|\bот\b)",
            r"(?P<until>\bпо\b)",
            r"(?P<dash>-)",
            r"(?P<comma>,)",
        )
    )
)
_NOISE_WORDS = {
    "в", "во", "на", "и", "течение", "течении", "года", "год", "годы", "годов", "г", "гг", "учебного",
    "учебный", "учебном", "уч", "срок", "сроки", "месяца", "месяцев", "каждого", "текущего", "текущий",
    "периода", "месяц", "месяце", "числа", "течения", "ежегодно", "далее", "затем",
    "включительно", "проведения", "дата", "года.", "гг.", "г.", "года,", "году", "годах",
}  # fmt: skip


@dataclass(frozen=True)
class _Span:
    """A date expression: an interval once its year is known."""

    kind: str  # date, month, quarter, half, year, ay, dm, dayrange
    start: date | None = None
    end: date | None = None
    month: int | None = None
    day: int | None = None
    day_to: int | None = None
    number: int | None = None
    year: int | None = None

    @property
    def resolved(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass
class _Token:
    kind: str
    text: str
    span: _Span | None = None


def _span_from_match(kind: str, raw: str) -> _Span | None:
    if kind == "date":
        day_s, month_s, year_s = re.split(r"[./]", raw)
        year = int(year_s) + (2000 if len(year_s) == 2 else 0)
        try:
            value = date(year, int(month_s), int(day_s))
        except ValueError:
            return None
        return _Span("date", value, value)
    if kind == "my":  # «09.2023»: a month of a year, as spreadsheets show it
        month_s, year_s = re.split(r"[./]", raw)
        year, month = int(year_s), int(month_s)
        return _Span("month", date(year, month, 1), _last_day(year, month), month=month, year=year)
    if kind == "dm":
        day_s, month_s = raw.split(".")
        day, month = int(day_s), int(month_s)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return _Span("day", month=month, day=day)
    if kind == "dmn":
        day_s, word = raw.split(maxsplit=1)
        return _Span("day", month=_month_number(word.strip()), day=int(day_s))
    if kind == "dayrange":
        m = re.match(r"(?:с\s+)?(\d{1,2})\s*(?:-|по)\s*(\d{1,2})\s+(\S+)(?:\s+(\d{4}))?", raw)
        if not m:
            return None
        span = _Span("dayrange", month=_month_number(m.group(3)), day=int(m.group(1)), day_to=int(m.group(2)))
        if m.group(4):
            year = int(m.group(4))
            start = date(year, span.month or 1, span.day or 1)
            end = date(year, span.month or 1, span.day_to or 1)
            return replace(span, year=year, start=start, end=end)
        return span
    if kind == "month":
        return _Span("month", month=_month_number(raw.strip()))
    if kind == "quarter":
        m = re.match(r"(iv|iii|ii|i|[1-4])", raw)
        return _Span("quarter", number=_ROMAN[m.group(1)]) if m else None
    if kind == "term":
        m = re.match(r"(iv|iii|ii|i|[1-4])", raw)
        return _Span("term", number=_ROMAN[m.group(1)]) if m else None
    if kind == "half":
        m = re.match(r"(ii|i|[12]|перв|втор)", raw)
        if not m:
            return None
        number = {"i": 1, "1": 1, "перв": 1, "ii": 2, "2": 2, "втор": 2}[m.group(1)]
        return _Span("half", number=number)
    if kind == "ay":
        m = re.match(r"((?:19|20)\d{2})\s*[-/]\s*((?:19|20)?\d{2})", raw)
        if not m:
            return None
        first = int(m.group(1))
        return _Span("ay", date(first, 9, 1), date(first + 1, 8, 31), year=first)
    if kind == "year":
        year = int(raw[:4])
        return _Span("year", date(year, 1, 1), date(year, 12, 31), year=year)
    return None


def _tokenize(norm: str) -> tuple[list[_Token], list[str]]:
    tokens: list[_Token] = []
    leftovers: list[str] = []
    pos = 0

    def gap(text: str) -> None:
        for word in re.findall(r"[0-9a-zа-я]+\.?", text):
            if word.rstrip(".") not in _NOISE_WORDS and word not in _NOISE_WORDS:
                leftovers.append(word.rstrip("."))

    for m in _TOKEN_RE.finditer(norm):
        gap(norm[pos : m.start()])
        pos = m.end()
        kind = m.lastgroup or ""
        raw = m.group(0)
        if kind in {"dash", "comma", "before", "since", "until", "endof"}:
            tokens.append(_Token(kind, raw))
            continue
        if kind == "daynum":
            tokens.append(_Token("daynum", raw, _Span("daynum", day=int(re.match(r"\d+", raw).group(0)))))  # type: ignore[union-attr]
            continue
        try:
            span = _span_from_match(kind, raw)
        except ValueError:
            span = None
        if span is None:
            leftovers.append(f"{raw} (несуществующая дата)" if kind in {"date", "dm"} else raw)
            continue
        tokens.append(_Token("span", raw, span))
    gap(norm[pos:])
    return tokens, leftovers


def _resolve(span: _Span, year: int | None, period: Period | None, *, calendar_year: bool) -> _Span | None:
    """Give a span without a year its dates, from an explicit year or from the period."""
    if span.resolved:
        return span
    if span.kind in {"day", "month", "dayrange", "quarter", "half", "term"}:
        if span.kind == "term":
            first_month = _TERMS[span.number or 1][0]
        elif span.kind == "quarter":
            first_month = (span.number or 1) * 3 - 2
        elif span.kind == "half":
            if year is not None and calendar_year:
                first_month = 1 if span.number == 1 else 7
            else:
                first_month = 9 if span.number == 1 else 1
        else:
            first_month = span.month or 1
        if year is None and span.year is not None:
            year = span.year
        if year is None:
            if period is None:
                return None
            year = period.year_for_month(first_month)
        elif span.kind == "half" and not calendar_year and span.number == 2:
            year = year + 1  # «2 полугодие 2020-2021 учебного года» → January 2021
        try:
            if span.kind == "day":
                value = date(year, span.month or 1, span.day or 1)
                return replace(span, start=value, end=value)
            if span.kind == "dayrange":
                return replace(
                    span,
                    start=date(year, span.month or 1, span.day or 1),
                    end=date(year, span.month or 1, span.day_to or 1),
                )
        except ValueError:
            return None
        if span.kind == "month":
            return replace(span, start=date(year, first_month, 1), end=_last_day(year, first_month))
        if span.kind == "quarter":
            return replace(span, start=date(year, first_month, 1), end=_last_day(year, first_month + 2))
        if span.kind == "term":
            return replace(
                span, start=date(year, first_month, 1), end=_last_day(year, _TERMS[span.number or 1][1])
            )
        if span.kind == "half":
            if year is not None and calendar_year:
                return replace(span, start=date(year, first_month, 1), end=_last_day(year, first_month + 5))
            last_month = 12 if span.number == 1 else 5
            return replace(span, start=date(year, first_month, 1), end=_last_day(year, last_month))
    return None


def _undetermined(text: str, note: str, recurrence: Recurrence = "once") -> ParsedDeadline:
    return ParsedDeadline(text, None, None, recurrence, False, note)


def parse_deadline(text: str | None, period: Period | None = None) -> ParsedDeadline:
    """Read a deadline as written in a roadmap. Never raises."""
    original = text or ""
    try:
        return _parse(original, period)
    except Exception as exc:  # noqa: BLE001 - a deadline must never break an import
        return _undetermined(original, f"Срок не распознан ({type(exc).__name__}).")


def _parse(original: str, period: Period | None) -> ParsedDeadline:
    """The steps of reading a deadline, top-down: clean, cut off the tail, find the phrases, split
    into tokens, date every token, then interpret what is left."""
    norm = _normalise(original)
    norm = re.sub(r"\[bookmark:[^\]]*\]|<[^>]+>|\*\*", " ", norm).strip()
    if not norm or not re.search(r"[0-9a-zа-я]", norm):
        return _undetermined(original, "Срок не указан.")

    notes: list[str] = []
    then_yearly = _then_yearly(norm, period)
    if then_yearly is not None:
        return then_yearly
    norm = _cut_tail(norm, notes)
    kinds, norm = _find_phrases(norm)
    tokens, leftovers = _tokenize(norm)
    items = _attach_years(tokens)
    if items is None:
        return _undetermined(original, f"Несуществующая дата: «{original.strip()}».")
    _date_range_openings(items)

    unresolved = [t for t in items if t.kind == "span" and t.span is not None and not t.span.resolved]
    if unresolved:
        if period is None:
            words = ", ".join(f"«{t.text}»" for t in unresolved)
            note = f"Не указан год для {words}: укажите учебный год дорожной карты."
            return _with_note(_undetermined(original, note, _main_recurrence(kinds)), notes)
        if not _date_within_period(items, period):
            return _undetermined(original, f"Несуществующая дата: «{original.strip()}».")
        if not period.spans_one_year:
            notes.append(f"месяц без года отнесён к началу периода ({period.label})")

    reading = _Reading(original, items, kinds, period, notes)
    result = _interpret(reading, has_leftovers=bool(leftovers))
    if leftovers:
        words = " ".join(leftovers)
        result = replace(result, understood=False)
        notes.append(f"не распознано: «{words}»")
    return _with_note(result, notes)


# «до 25 мая 2021 г., далее ежегодно», «Октябрь 2021 г., далее ежегодно в сентябре», «Ноябрь 2021 г.,
# ежегодно в сентябре»: a first date, then a yearly repeat (in the month named, if one is)
_THEN_YEARLY = re.compile(
    r"^(?P<head>.+?)[\s,;.]*(?:(?:далее|затем|в дальнейшем|а далее)\s*[-:]?\s*)?"
    r"(?:ежегодно|каждый год)(?:\s+(?:в|во)\s+(?P<month>" + _MONTH_WORD + r"))?[\s.]*$"
)


def _then_yearly(norm: str, period: Period | None) -> ParsedDeadline | None:
    match = _THEN_YEARLY.match(norm)
    if not match or not re.search(r"(?:19|20)\d{2}|\d{1,2}\.\d{1,2}|" + _MONTH_WORD, match.group("head")):
        return None
    head = _parse(match.group("head"), period)
    first_end = head.ends_on or head.starts_on
    if first_end is None or head.recurrence != "once":
        return None
    first = (head.starts_on or first_end, first_end)
    limit = period.ends_on if period is not None and period.ends_on > first_end else None
    note = "" if limit else "Повторы после первого срока: укажите период дорожной карты."
    if not match.group("month"):
        return replace(head, recurrence="yearly", repeat_until=limit, note=note or head.note)
    month = _month_number(match.group("month").strip())
    windows = [first]
    year = first_end.year if month > first_end.month else first_end.year + 1
    while limit is not None and date(year, month, 1) <= limit and len(windows) < 50:
        windows.append((date(year, month, 1), _last_day(year, month)))
        year += 1
    return replace(
        head, starts_on=first[0], ends_on=first[1], recurrence="yearly", repeat_until=limit,
        windows=tuple(windows), note=note or head.note,
    )  # fmt: skip


def _cut_tail(norm: str, notes: list[str]) -> str:
    """«До 09.11.2020 Далее - по мере необходимости»: the first part is the deadline, the rest a note."""
    m = re.search(r"(?:\bдалее\b|\bзатем\b|\bв дальнейшем\b|;)", norm)
    if m and m.start() > 0:
        head, tail = norm[: m.start()], norm[m.end() :]
        tail = tail.strip(" -,.:;")
        if tail:
            notes.append(f"далее — {tail}")
        norm = head.strip(" ,.;")
    return norm


def _find_phrases(norm: str) -> tuple[list[str], str]:
    """The recurrence phrases («ежегодно», «до конца»…) found, and the text without them."""
    kinds: list[str] = []
    for regex, kind in _PHRASE_RE:
        if regex.search(norm):
            kinds.append(kind)
            norm = regex.sub(" ", norm)
    return kinds, re.sub(r"\s+", " ", norm).strip(" ,.;")


def _attach_years(tokens: list[_Token]) -> list[_Token] | None:
    """Attach explicit years to the month/day/quarter/half that precede them («декабря 2020»).

    None when the year makes the date impossible («31 февраля 2021»)."""
    items: list[_Token] = []
    for token in tokens:
        if (
            token.kind == "span"
            and token.span is not None
            and token.span.kind in {"year", "ay"}
            and items
            and items[-1].kind == "span"
            and items[-1].span is not None
            and not items[-1].span.resolved
        ):
            prev_span = items[-1].span
            calendar_year = token.span.kind == "year"
            resolved = _resolve(prev_span, token.span.year, None, calendar_year=calendar_year)
            if resolved is None:
                return None
            items[-1] = _Token("span", items[-1].text + " " + token.text, resolved)
            continue
        items.append(token)
    return items


def _date_range_openings(items: list[_Token]) -> None:
    """A range «Май-октябрь 2020»: the first month takes its year from the second one."""
    for i, token in enumerate(items):
        if token.kind == "dash" and 0 < i < len(items) - 1:
            left, right = items[i - 1], items[i + 1]
            if (
                left.kind == "span"
                and right.kind == "span"
                and left.span is not None
                and right.span is not None
                and not left.span.resolved
                and right.span.resolved
                and right.span.kind != "year"
                and right.span.start is not None
            ):
                year = right.span.start.year
                first_month = left.span.month or (
                    ((left.span.number or 1) * 3 - 2) if left.span.kind == "quarter" else 1
                )
                right_month = right.span.start.month
                if first_month > right_month:
                    year -= 1
                resolved = _resolve(left.span, year, None, calendar_year=True)
                if resolved is not None:
                    items[i - 1] = _Token("span", left.text, resolved)


def _date_within_period(items: list[_Token], period: Period) -> bool:
    """Give the spans without a year their year from the period; False on an impossible date."""
    guessed: set[int] = set()
    for index, token in enumerate(items):
        if token.kind == "span" and token.span is not None and not token.span.resolved:
            resolved = _resolve(token.span, None, period, calendar_year=not period.academic)
            if resolved is None:
                return False
            items[index] = _Token("span", token.text, resolved)
            guessed.add(index)
    # «август-сентябрь» in a 2022–2023 roadmap: August 2022 – September 2022, the range that ends
    # inside the period, not August 2023 – September 2022
    for index, token in enumerate(items):
        if token.kind == "dash" and index - 1 in guessed and index + 1 in guessed:
            opening = items[index - 1].span
            if opening and opening.start and opening.end and _starts_after(opening, items[index + 1].span):
                shifted = replace(
                    opening, start=_add_years(opening.start, -1), end=_add_years(opening.end, -1)
                )
                items[index - 1] = _Token("span", items[index - 1].text, shifted)
    return True


def _starts_after(opening: _Span, closing: _Span | None) -> bool:
    """«август-сентябрь» resolved as August 2023 – September 2022: the range is upside down."""
    return bool(opening.start and closing and closing.end and opening.start > closing.end)


def _explicit_year(token: _Token) -> bool:
    return bool(re.search(r"(?:19|20)\d{2}", token.text))


def _with_note(result: ParsedDeadline, notes: list[str]) -> ParsedDeadline:
    all_notes = [n for n in [result.note, *notes] if n]
    if not all_notes:
        return result
    text = "; ".join(all_notes)
    return replace(result, note=text[0].upper() + text[1:] + ("" if text.endswith(".") else "."))


def _main_recurrence(kinds: list[str]) -> Recurrence:
    ordered: tuple[Recurrence, ...] = ("monthly", "quarterly", "yearly", "continuous", "on_demand")
    for kind in ordered:
        if kind in kinds:
            return kind
    if "year_long" in kinds or "weekly" in kinds:
        return "continuous"
    if "halfyearly" in kinds:
        return "yearly"
    return "once"


@dataclass
class _Reading:
    """A deadline being interpreted: its dated tokens, the phrases found, the roadmap's period, and
    the notes (shared with `_parse`) and doubts gathered on the way."""

    original: str
    items: list[_Token]
    kinds: list[str]
    period: Period | None
    notes: list[str]
    understood: bool = True
    spans: list[_Token] = field(init=False)
    has: set[str] = field(init=False)
    daynum: _Span | None = field(init=False)
    recurrence: Recurrence = field(init=False)
    window: tuple[date, date] | None = field(init=False)

    def __post_init__(self) -> None:
        self.spans = [t for t in self.items if t.kind == "span"]
        self.has = {t.kind for t in self.items}
        self.daynum = next((t.span for t in self.items if t.kind == "daynum" and t.span), None)
        self.recurrence = _main_recurrence(self.kinds)
        self.window = self.period.first_year_window() if self.period else None

    @property
    def first(self) -> _Span:
        span = self.spans[0].span
        assert span is not None
        return span

    @property
    def last(self) -> _Span:
        span = self.spans[-1].span
        assert span is not None
        return span

    @property
    def is_range(self) -> bool:
        return "dash" in self.has or ("since" in self.has and "until" in self.has)

    def doubt(self, note: str) -> None:
        self.notes.append(note)
        self.understood = False

    def make(
        self,
        start: date | None,
        end: date | None,
        rec: Recurrence | None = None,
        *,
        day_of_month: int | None = None,
        repeat_until: date | None = None,
    ) -> ParsedDeadline:
        return ParsedDeadline(
            self.original, start, end, rec or self.recurrence, self.understood, "", day_of_month, repeat_until
        )


def _interpret(r: _Reading, *, has_leftovers: bool) -> ParsedDeadline:
    """Try the patterns of a dated deadline in order; the first that fits gives the answer."""
    if "weekly" in r.kinds:
        r.notes.append("еженедельно")
    if "halfyearly" in r.kinds:
        r.doubt("два раза в год: отмечено как ежегодное, проверьте сроки")
    if not r.spans:
        return _without_dates(r, has_leftovers=has_leftovers)
    result = _listed_years(r) or _open_ended(r)
    if result is not None:
        return result
    start, end = r.first.start, r.last.end
    if start and end and end < start:
        r.doubt("конец срока раньше начала")
    return _yearly(r) or _recurring_within(r) or _plain_span(r)


def _without_dates(r: _Reading, *, has_leftovers: bool) -> ParsedDeadline:
    """«Постоянно», «Ежегодно», «По итогам периода», «до 25 числа»: the period gives the dates."""
    period, window, kinds, recurrence = r.period, r.window, r.kinds, r.recurrence
    if r.daynum is not None:
        return r.make(period.starts_on if period else None, period.ends_on if period else None, "monthly",
                      day_of_month=r.daynum.day)  # fmt: skip
    if not kinds:
        return _undetermined(r.original, "" if has_leftovers else "Срок не распознан.")
    if recurrence == "yearly" and window:
        if "period_end" in kinds:
            return r.make(window[1], window[1], repeat_until=period.ends_on if period else None)
        return r.make(window[0], window[1], repeat_until=period.ends_on if period else None)
    if recurrence == "on_demand":
        return r.make(None, None)
    if "year_long" in kinds and recurrence == "continuous" and window:
        return r.make(window[0], window[1])
    if period is not None and recurrence in {"continuous", "monthly", "quarterly"}:
        return r.make(period.starts_on, period.ends_on)
    if "period_end" in kinds and recurrence == "once":
        if period is not None:
            return r.make(period.ends_on, period.ends_on)
        return _undetermined(r.original, "«По итогам периода»: укажите период дорожной карты.")
    return r.make(None, None)


def _listed_years(r: _Reading) -> ParsedDeadline | None:
    """«сентябрь 2021, 2022, 2023»: the same window every listed year; other lists, their hull."""
    first = r.first
    if not (len(r.spans) > 1 and "comma" in r.has and not r.is_range and first.kind != "year"):
        return None
    years = [t.span for t in r.spans[1:] if t.span]
    if years and all(s.kind == "year" for s in years) and first.start and first.end:
        last_year = max(s.year or 0 for s in years)
        listed = sorted({first.start.year, *(s.year or 0 for s in years)})
        if listed != list(range(listed[0], listed[-1] + 1)):
            r.doubt("годы перечислены не подряд")
        shift = last_year - first.start.year
        return r.make(first.start, first.end, "yearly", repeat_until=_add_years(first.end, shift))
    spans = [t.span for t in r.spans if t.span and t.span.start and t.span.end]
    windows = sorted({(s.start, s.end) for s in spans if s.start and s.end})
    if len(windows) < 2:
        return None
    shapes = {
        (s.kind, s.start.month, s.start.day, s.end.month, s.end.day) for s in spans if s.start and s.end
    }
    starts = [w[0].year for w in windows]
    if len(shapes) == 1 and starts == list(range(starts[0], starts[0] + len(starts))):
        # «Май 2023, май 2024»: the same window every year
        return r.make(windows[0][0], windows[0][1], "yearly", repeat_until=windows[-1][1])
    # «декабрь, май»: each listed window is an occurrence of its own
    listed_windows = r.make(windows[0][0], windows[0][1], "several")
    return replace(listed_windows, windows=tuple(windows))


def _open_ended(r: _Reading) -> ParsedDeadline | None:
    """«До 09.11.2020», «до конца декабря», «к концу года», «с сентября»: one end is open."""
    if r.is_range:
        return None
    first = r.first
    if "before" in r.has:
        if "endof" in r.has:
            return r.make(None, first.end, day_of_month=None)
        if first.kind != "date" and first.kind != "day":
            r.notes.append("«до» понято как «до начала» указанного срока")
        return r.make(None, first.start)
    if "endof" in r.has:
        return r.make(first.end, first.end)
    if "since" in r.has:
        rec: Recurrence = r.recurrence if r.recurrence != "once" else "continuous"
        return r.make(first.start, None, rec)
    return None


def _yearly(r: _Reading) -> ParsedDeadline | None:
    """«Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.», «Ежегодно 2020 – 2024 гг.», «ежегодно в сентябре»."""
    spans, first = r.spans, r.first
    if not (
        r.recurrence == "yearly"
        or (
            r.is_range
            and len(spans) >= 3
            and first.kind in {"month", "day"}
            and spans[-1].span
            and spans[-1].span.kind == "year"
        )
    ):
        return None
    year_spans = [t.span for t in spans if t.span and t.span.kind == "year"]
    other = [t.span for t in spans if t.span and t.span.kind != "year"]
    if other:
        return _yearly_window(r, other, year_spans)
    if year_spans:
        y0 = year_spans[0]
        assert y0.start and y0.end
        until = year_spans[-1].end if len(year_spans) > 1 else (r.period.ends_on if r.period else None)
        if "period_end" in r.kinds:
            return r.make(y0.end, y0.end, "yearly", repeat_until=until)
        return r.make(y0.start, y0.end, "yearly", repeat_until=until)
    return None


def _yearly_window(r: _Reading, other: list[_Span], year_spans: list[_Span]) -> ParsedDeadline:
    """The window of a yearly deadline (its months or days), repeated until the last listed year."""
    w_start = min(s.start for s in other if s.start)
    w_end = max(s.end for s in other if s.end)
    if not (year_spans and other[0].start):
        return r.make(w_start, w_end, "yearly", repeat_until=r.period.ends_on if r.period else None)
    # «Сентябрь-ноябрь 2021 – 2024»: the window of the first year, repeated until the last one
    first_year = min(s.year or 0 for s in year_spans)
    if all(s.kind in {"month", "day", "dayrange", "term", "quarter", "half"} for s in other) and (
        first_year < w_start.year
        or (not any(_explicit_year(t) for t in r.spans if t.span and t.span.kind != "year"))
    ):
        shift0 = first_year - w_start.year
        w_start, w_end = _add_years(w_start, shift0), _add_years(w_end, shift0)
    last_year = max(s.year or 0 for s in year_spans)
    shift = last_year - w_start.year
    return r.make(w_start, w_end, "yearly", repeat_until=_add_years(w_end, max(shift, 0)))


def _recurring_within(r: _Reading) -> ParsedDeadline | None:
    """«Ежемесячно с сентября по май», «постоянно в течение 1 полугодия»: recurs within the span."""
    if r.recurrence not in {"monthly", "quarterly", "continuous", "on_demand"}:
        return None
    if r.recurrence == "monthly" and r.daynum is not None:
        return r.make(r.first.start, r.last.end, day_of_month=r.daynum.day)
    return r.make(r.first.start, r.last.end)


def _plain_span(r: _Reading) -> ParsedDeadline:
    """A span written out: once, or continuous work when it covers whole years."""
    first, last, period = r.first, r.last, r.period
    start, end = first.start, last.end
    if (
        r.is_range
        and period is not None
        and period.academic
        and first.kind == "year"
        and last.kind == "year"
        and len(r.spans) == 2
        and first.year == period.starts_on.year
        and last.year == period.ends_on.year == period.starts_on.year + 1
    ):
        # «2020-2021» in a 2020–2021 roadmap is its academic year
        return r.make(period.starts_on, period.ends_on, "continuous")
    if (
        r.is_range
        and first.kind in {"year", "ay"}
        and last.kind in {"year", "ay"}
        and start
        and end
        and _add_years(start, 1) <= end
        and not (first.kind == "ay" and first is last)
    ):
        return r.make(start, end, "continuous")
    if first.kind == "ay" and first is last and "year_long" not in r.kinds:
        return r.make(start, end, "continuous")
    if "period_end" in r.kinds and end:
        return r.make(end, end)
    return r.make(start, end)


# --- occurrences -----------------------------------------------------------------------------------


def _overlaps(a: tuple[date, date], start: date, end: date) -> bool:
    return a[0] <= end and a[1] >= start


def expand_occurrences(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> list[tuple[date, date]]:
    """Dated occurrences `(start, due)` of a deadline that overlap `[period_start, period_end]`.

    A one-off deadline without a start («До 09.11.2020») is a one-day occurrence on its due date.
    Recurring deadlines without dates of their own recur over the requested period. A deadline
    «по мере необходимости» has no dated occurrences.
    """
    if period_end < period_start:
        return []
    if parsed.windows:
        return [w for w in parsed.windows if _overlaps(w, period_start, period_end)]
    expand = _OCCURRENCES.get(parsed.recurrence, _yearly_occurrences)
    return expand(parsed, period_start, period_end)


def _on_demand_occurrences(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> list[tuple[date, date]]:
    return []


def _once_occurrences(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> list[tuple[date, date]]:
    if parsed.starts_on is None and parsed.ends_on is None:
        return []
    occ = (parsed.starts_on or parsed.ends_on, parsed.ends_on or parsed.starts_on)
    assert occ[0] is not None and occ[1] is not None
    occ_checked = (min(occ[0], occ[1]), max(occ[0], occ[1]))
    return [occ_checked] if _overlaps(occ_checked, period_start, period_end) else []


def _continuous_occurrences(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> list[tuple[date, date]]:
    start = parsed.starts_on or period_start
    end = parsed.ends_on or period_end
    if end < start:
        return []
    return [(start, end)] if _overlaps((start, end), period_start, period_end) else []


def _repeat_bounds(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> tuple[date, date, date, date]:
    """Where a repeating deadline runs inside the period, and its own limits (open ends unbounded)."""
    span_start = max(parsed.starts_on or period_start, period_start)
    span_end = min(parsed.ends_on or period_end, period_end)
    return span_start, span_end, parsed.starts_on or date.min, parsed.ends_on or date.max


def _monthly_occurrences(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> list[tuple[date, date]]:
    span_start, span_end, lower, upper = _repeat_bounds(parsed, period_start, period_end)
    out: list[tuple[date, date]] = []
    year, month = span_start.year, span_start.month
    for _ in range(_MAX_OCCURRENCES):
        first = date(year, month, 1)
        if first > span_end:
            break
        last = _last_day(year, month)
        due = (
            min(last, date(year, month, min(parsed.day_of_month, last.day))) if parsed.day_of_month else last
        )
        occ = (max(first, lower), min(due, upper) if due >= lower else due)
        if occ[0] <= occ[1] and lower <= occ[1] <= upper and _overlaps(occ, period_start, period_end):
            out.append(occ)
        year, month = _month_add(year, month, 1)
    return out


def _quarterly_occurrences(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> list[tuple[date, date]]:
    span_start, span_end, lower, upper = _repeat_bounds(parsed, period_start, period_end)
    out: list[tuple[date, date]] = []
    year, month = span_start.year, ((span_start.month - 1) // 3) * 3 + 1
    for _ in range(_MAX_OCCURRENCES):
        first = date(year, month, 1)
        if first > span_end:
            break
        last = _last_day(year, month + 2)
        occ = (max(first, lower), min(last, upper))
        if occ[0] <= occ[1] and _overlaps(occ, period_start, period_end):
            out.append(occ)
        year, month = _month_add(year, month, 3)
    return out


def _yearly_occurrences(
    parsed: ParsedDeadline, period_start: date, period_end: date
) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    if parsed.starts_on is None and parsed.ends_on is None:
        start = period_start
        for _ in range(_MAX_OCCURRENCES):
            if start > period_end:
                break
            out.append((start, _add_years(start, 1) - timedelta(days=1)))
            start = _add_years(start, 1)
        return out
    w_start = parsed.starts_on or parsed.ends_on
    w_end = parsed.ends_on or parsed.starts_on
    assert w_start is not None and w_end is not None
    limit = parsed.repeat_until or period_end
    for k in range(_MAX_OCCURRENCES):
        occ = (_add_years(w_start, k), _add_years(w_end, k))
        if occ[0] > period_end or occ[1] > limit:
            break
        if _overlaps(occ, period_start, period_end):
            out.append(occ)
    return out


_OCCURRENCES: dict[str, Callable[[ParsedDeadline, date, date], list[tuple[date, date]]]] = {
    "on_demand": _on_demand_occurrences,
    "once": _once_occurrences,
    "continuous": _continuous_occurrences,
    "monthly": _monthly_occurrences,
    "quarterly": _quarterly_occurrences,
    "yearly": _yearly_occurrences,
}


def windows_json(parsed: ParsedDeadline) -> list[list[str]]:
    """The listed occurrences as stored on an event: [["2023-12-01", "2023-12-31"], …]."""
    return [[start.isoformat(), end.isoformat()] for start, end in parsed.windows]


def describe(parsed: ParsedDeadline) -> str:
    """A short Russian description of what was understood, for previews."""
    if not parsed.understood and parsed.starts_on is None and parsed.ends_on is None:
        return "не распознан"
    if parsed.windows:
        shown = ", ".join(
            _format(end) if start == end else f"{_format(start)} – {_format(end)}"
            for start, end in parsed.windows
        )
        return f"{RECURRENCE_LABELS[parsed.recurrence]}: {shown}"
    parts = [RECURRENCE_LABELS[parsed.recurrence]]
    if parsed.starts_on and parsed.ends_on and parsed.starts_on != parsed.ends_on:
        parts.append(f"{_format(parsed.starts_on)} – {_format(parsed.ends_on)}")
    elif parsed.ends_on:
        parts.append(f"до {_format(parsed.ends_on)}" if parsed.starts_on is None else _format(parsed.ends_on))
    elif parsed.starts_on:
        parts.append(f"с {_format(parsed.starts_on)}")
    if parsed.day_of_month:
        parts.append(f"до {parsed.day_of_month} числа")
    if parsed.repeat_until:
        parts.append(f"по {parsed.repeat_until.year} г.")
    return ", ".join(parts)
