"""The deadline parser on every form found in the seeds and more."""

from __future__ import annotations

from datetime import date

import pytest

from nastavnik.roadmaps.deadlines import ParsedDeadline, Period, describe, expand_occurrences, parse_deadline

AY = Period.academic_year(2020)  # 2020–2021 учебный год
MULTI = Period.calendar_years(2020, 2024)  # «на период реализации 2020-2024 гг.»
D = date

# text, context, starts_on, ends_on, recurrence, understood
CASES: list[tuple[str, Period | None, date | None, date | None, str, bool]] = [
    # roadmap-school-students-2020.txt (2020–2021 учебный год)
    ("декабрь", AY, D(2020, 12, 1), D(2020, 12, 31), "once", True),
    ("Декабрь", AY, D(2020, 12, 1), D(2020, 12, 31), "once", True),
    ("\t ноябрь", AY, D(2020, 11, 1), D(2020, 11, 30), "once", True),
    ("январь", AY, D(2021, 1, 1), D(2021, 1, 31), "once", True),
    ("Февраль", AY, D(2021, 2, 1), D(2021, 2, 28), "once", True),
    ("Март ", AY, D(2021, 3, 1), D(2021, 3, 31), "once", True),
    ("июнь", AY, D(2021, 6, 1), D(2021, 6, 30), "once", True),
    ("июль", AY, D(2021, 7, 1), D(2021, 7, 31), "once", True),
    ("Постоянно", AY, D(2020, 9, 1), D(2021, 8, 31), "continuous", True),
    ("постоянно", None, None, None, "continuous", True),
    ("По согласованию", AY, None, None, "on_demand", True),
    # roadmap-school-cmn-2020.txt
    ("До 09.11.2020", None, None, D(2020, 11, 9), "once", True),
    ("До 20.11.2020", None, None, D(2020, 11, 20), "once", True),
    ("До 01.12.2020", AY, None, D(2020, 12, 1), "once", True),
    ("До 11.11.2020", AY, None, D(2020, 11, 11), "once", True),
    ("Ежегодно", AY, D(2020, 9, 1), D(2021, 8, 31), "yearly", True),
    ("Ежегодно", None, None, None, "yearly", True),
    ("В течение всего периода", AY, D(2020, 9, 1), D(2021, 8, 31), "continuous", True),
    ("В течение всего периода", None, None, None, "continuous", True),
    ("В течении 4 квартала 2020 года", None, D(2020, 10, 1), D(2020, 12, 31), "once", True),
    ("До 09.11.2020 Далее - по мере необходимости", None, None, D(2020, 11, 9), "once", True),
    ("Ежегодно, по итогам периода", AY, D(2021, 8, 31), D(2021, 8, 31), "yearly", True),
    ("В течение всего периода, ежеквартально", AY, D(2020, 9, 1), D(2021, 8, 31), "quarterly", True),
    ("В течение всего периода, ежеквартально", None, None, None, "quarterly", True),
    # roadmap-municipal-2020-2024.txt
    ("Май-октябрь 2020 г.", MULTI, D(2020, 5, 1), D(2020, 10, 31), "once", True),
    ("Июль – август 2020 г.", MULTI, D(2020, 7, 1), D(2020, 8, 31), "once", True),
    ("Август 2020 г.", MULTI, D(2020, 8, 1), D(2020, 8, 31), "once", True),
    ("Август  2020 г.", None, D(2020, 8, 1), D(2020, 8, 31), "once", True),
    ("Декабрь 2020", None, D(2020, 12, 1), D(2020, 12, 31), "once", True),
    ("Июль – октябрь 2020 г.", None, D(2020, 7, 1), D(2020, 10, 31), "once", True),
    ("Ежегодно 2020 – 2024 гг.", MULTI, D(2020, 1, 1), D(2020, 12, 31), "yearly", True),
    ("Октябрь 2021-ноябрь 2024  гг.", MULTI, D(2021, 10, 1), D(2024, 11, 30), "once", True),
    ("Сентябрь-ноябрь \nЕжегодно 2021 – 2024 гг.", MULTI, D(2021, 9, 1), D(2021, 11, 30), "yearly", True),
    ("2021-2024  гг.", MULTI, D(2021, 1, 1), D(2024, 12, 31), "continuous", True),
    ("2023 – 2024 гг.", MULTI, D(2023, 1, 1), D(2024, 12, 31), "continuous", True),
    ("2023 г.", MULTI, D(2023, 1, 1), D(2023, 12, 31), "once", True),
    ("2024 г.", None, D(2024, 1, 1), D(2024, 12, 31), "once", True),
    # month names in any case and inflection
    ("в декабре", AY, D(2020, 12, 1), D(2020, 12, 31), "once", True),
    ("ДЕКАБРЬ", AY, D(2020, 12, 1), D(2020, 12, 31), "once", True),
    ("декабря 2020", None, D(2020, 12, 1), D(2020, 12, 31), "once", True),
    ("в мае", AY, D(2021, 5, 1), D(2021, 5, 31), "once", True),
    ("мая 2021 г.", None, D(2021, 5, 1), D(2021, 5, 31), "once", True),
    ("в марте", AY, D(2021, 3, 1), D(2021, 3, 31), "once", True),
    ("августа", AY, D(2021, 8, 1), D(2021, 8, 31), "once", True),
    ("апрель-май", AY, D(2021, 4, 1), D(2021, 5, 31), "once", True),
    ("ноябрь 2020 – январь 2021", None, D(2020, 11, 1), D(2021, 1, 31), "once", True),
    ("ноябрь-январь 2021", None, D(2020, 11, 1), D(2021, 1, 31), "once", True),
    # explicit dates and ranges
    ("01.09.2023-01.10.2023", None, D(2023, 9, 1), D(2023, 10, 1), "once", True),
    ("01.09.2023 – 01.10.2023", None, D(2023, 9, 1), D(2023, 10, 1), "once", True),
    ("с 01.09.2023 по 15.09.2023", None, D(2023, 9, 1), D(2023, 9, 15), "once", True),
    ("15.10.2021", None, D(2021, 10, 15), D(2021, 10, 15), "once", True),
    ("15.10.21", None, D(2021, 10, 15), D(2021, 10, 15), "once", True),
    ("не позднее 15.10.2021", None, None, D(2021, 10, 15), "once", True),
    ("до 25.12", AY, None, D(2020, 12, 25), "once", True),
    ("25 декабря", AY, D(2020, 12, 25), D(2020, 12, 25), "once", True),
    ("1 сентября 2023 г.", None, D(2023, 9, 1), D(2023, 9, 1), "once", True),
    ("к 1 сентября", AY, None, D(2020, 9, 1), "once", True),
    ("1-15 сентября", AY, D(2020, 9, 1), D(2020, 9, 15), "once", True),
    ("с 1 по 15 сентября 2021", None, D(2021, 9, 1), D(2021, 9, 15), "once", True),
    ("до конца декабря", AY, D(2020, 12, 31), D(2020, 12, 31), "once", True),
    ("до декабря", AY, None, D(2020, 12, 1), "once", True),
    ("с 01.09.2020", None, D(2020, 9, 1), None, "continuous", True),
    # quarters, halves, terms, years
    ("IV квартал 2021", None, D(2021, 10, 1), D(2021, 12, 31), "once", True),
    ("4 квартал", AY, D(2020, 10, 1), D(2020, 12, 31), "once", True),
    ("I квартал", AY, D(2021, 1, 1), D(2021, 3, 31), "once", True),
    ("1 полугодие", AY, D(2020, 9, 1), D(2020, 12, 31), "once", True),
    ("2 полугодие", AY, D(2021, 1, 1), D(2021, 5, 31), "once", True),
    ("первое полугодие 2021 года", None, D(2021, 1, 1), D(2021, 6, 30), "once", True),
    ("по итогам 1 полугодия", AY, D(2020, 12, 31), D(2020, 12, 31), "once", True),
    ("1 четверть", AY, D(2020, 9, 1), D(2020, 10, 31), "once", True),
    ("2020-2024", None, D(2020, 1, 1), D(2024, 12, 31), "continuous", True),
    ("2020-2021", AY, D(2020, 9, 1), D(2021, 8, 31), "continuous", True),
    ("в течение 2020-2021 учебного года", None, D(2020, 9, 1), D(2021, 8, 31), "continuous", True),
    ("2020/2021 уч. год", None, D(2020, 9, 1), D(2021, 8, 31), "continuous", True),
    # recurrences
    ("Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.", None, D(2021, 9, 1), D(2021, 11, 30), "yearly", True),
    ("сентябрь 2021, 2022, 2023", None, D(2021, 9, 1), D(2021, 9, 30), "yearly", True),
    ("ежегодно в сентябре", AY, D(2020, 9, 1), D(2020, 9, 30), "yearly", True),
    ("ежемесячно", AY, D(2020, 9, 1), D(2021, 8, 31), "monthly", True),
    ("Ежемесячно", None, None, None, "monthly", True),
    ("до 25 числа каждого месяца", AY, D(2020, 9, 1), D(2021, 8, 31), "monthly", True),
    ("ежеквартально", None, None, None, "quarterly", True),
    ("1 раз в квартал", AY, D(2020, 9, 1), D(2021, 8, 31), "quarterly", True),
    ("В течение года", AY, D(2020, 9, 1), D(2021, 8, 31), "continuous", True),
    ("в течение учебного года", AY, D(2020, 9, 1), D(2021, 8, 31), "continuous", True),
    ("систематически", None, None, None, "continuous", True),
    ("еженедельно", None, None, None, "continuous", True),
    ("По мере необходимости", None, None, None, "on_demand", True),
    ("по необходимости", AY, None, None, "on_demand", True),
    ("по запросу", None, None, None, "on_demand", True),
    # what cannot be read is kept and flagged
    ("", AY, None, None, "once", False),
    ("   ", None, None, None, "once", False),
    ("абракадабра", AY, None, None, "once", False),
    ("31.02.2021", None, None, None, "once", False),
    ("декабрь", None, None, None, "once", False),
    ("после получения приказа", AY, None, None, "once", False),
    ("2 раза в год", AY, D(2020, 9, 1), D(2021, 8, 31), "yearly", False),
    ("сентябрь, январь, май", AY, D(2020, 9, 1), D(2020, 9, 30), "several", True),
    ("[bookmark: 100364]декабрь", AY, D(2020, 12, 1), D(2020, 12, 31), "once", True),
]


@pytest.mark.parametrize(("text", "period", "starts_on", "ends_on", "recurrence", "understood"), CASES)
def test_it_parses_deadlines_as_people_write_them(
    text: str,
    period: Period | None,
    starts_on: date | None,
    ends_on: date | None,
    recurrence: str,
    understood: bool,
) -> None:
    parsed = parse_deadline(text, period)
    assert parsed.text == text
    assert (parsed.starts_on, parsed.ends_on, parsed.recurrence, parsed.understood) == (
        starts_on,
        ends_on,
        recurrence,
        understood,
    ), parsed.note
    if not understood:
        assert parsed.note, "a deadline that was not understood must say why"


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 50


def test_it_keeps_the_rest_after_dalee_as_a_note() -> None:
    parsed = parse_deadline("До 09.11.2020 Далее - по мере необходимости")
    assert "по мере необходимости" in parsed.note


def test_it_remembers_the_day_of_month_and_the_last_year() -> None:
    assert parse_deadline("до 25 числа каждого месяца", AY).day_of_month == 25
    assert parse_deadline("Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.").repeat_until == D(2024, 11, 30)
    assert parse_deadline("сентябрь 2021, 2022, 2023").repeat_until == D(2023, 9, 30)
    assert parse_deadline("Ежегодно 2020 – 2024 гг.").repeat_until == D(2024, 12, 31)


def test_a_month_without_a_year_in_a_multi_year_roadmap_is_flagged_in_the_note() -> None:
    parsed = parse_deadline("декабрь", MULTI)
    assert parsed.starts_on == D(2020, 12, 1)
    assert "2020–2024" in parsed.note


def test_it_never_raises_on_strange_input() -> None:
    for text in ["-", "---", ",,,", "до", "с по", "99.99.9999", "1.1.1.1", "квартал", "2020-", "-2020", None]:
        parsed = parse_deadline(text, AY)  # type: ignore[arg-type]
        assert isinstance(parsed, ParsedDeadline)
        assert parsed.text == (text or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-2024", Period(D(2023, 9, 1), D(2024, 8, 31), academic=True)),
        ("2023/24", Period(D(2023, 9, 1), D(2024, 8, 31), academic=True)),
        ("на 2020-2021 учебный год", Period(D(2020, 9, 1), D(2021, 8, 31), academic=True)),
        ("на период реализации 2020-2024 гг.", Period(D(2020, 1, 1), D(2024, 12, 31), academic=False)),
        ("2021", Period(D(2021, 1, 1), D(2021, 12, 31), academic=False)),
        ("без года", None),
        ("2024-2020", None),
    ],
)
def test_it_reads_the_period_of_a_roadmap(text: str, expected: Period | None) -> None:
    assert Period.parse(text) == expected


# --- occurrences -----------------------------------------------------------------------------------


def occurrences(text: str, period: Period | None, start: date, end: date) -> list[tuple[date, date]]:
    return expand_occurrences(parse_deadline(text, period), start, end)


def test_a_one_off_deadline_without_start_is_a_day_on_its_due_date() -> None:
    assert occurrences("До 09.11.2020", None, D(2020, 9, 1), D(2021, 8, 31)) == [
        (D(2020, 11, 9), D(2020, 11, 9))
    ]
    assert occurrences("До 09.11.2020", None, D(2020, 11, 10), D(2021, 8, 31)) == []
    # the edge: the due day itself is inside the period
    assert occurrences("До 09.11.2020", None, D(2020, 11, 9), D(2020, 11, 9)) == [
        (D(2020, 11, 9), D(2020, 11, 9))
    ]


def test_a_month_is_one_occurrence_overlapping_the_period() -> None:
    assert occurrences("декабрь", AY, D(2020, 12, 31), D(2021, 1, 5)) == [(D(2020, 12, 1), D(2020, 12, 31))]
    assert occurrences("декабрь", AY, D(2021, 1, 1), D(2021, 1, 5)) == []


def test_monthly_deadlines_expand_into_months_with_the_due_day() -> None:
    got = occurrences("до 25 числа каждого месяца", AY, D(2021, 1, 1), D(2021, 3, 31))
    assert got == [
        (D(2021, 1, 1), D(2021, 1, 25)),
        (D(2021, 2, 1), D(2021, 2, 25)),
        (D(2021, 3, 1), D(2021, 3, 25)),
    ]
    got = occurrences("ежемесячно", AY, D(2021, 2, 1), D(2021, 2, 28))
    assert got == [(D(2021, 2, 1), D(2021, 2, 28))]
    # after the roadmap's year no more occurrences
    assert occurrences("ежемесячно", AY, D(2021, 9, 1), D(2021, 12, 31)) == []


def test_monthly_without_own_dates_recurs_over_the_requested_period() -> None:
    got = occurrences("ежемесячно", None, D(2021, 1, 15), D(2021, 3, 10))
    assert [o[1] for o in got] == [D(2021, 1, 31), D(2021, 2, 28), D(2021, 3, 31)]


def test_quarterly_deadlines_expand_into_calendar_quarters() -> None:
    got = occurrences("В течение всего периода, ежеквартально", AY, D(2020, 9, 1), D(2021, 8, 31))
    assert got == [
        (D(2020, 9, 1), D(2020, 9, 30)),
        (D(2020, 10, 1), D(2020, 12, 31)),
        (D(2021, 1, 1), D(2021, 3, 31)),
        (D(2021, 4, 1), D(2021, 6, 30)),
        (D(2021, 7, 1), D(2021, 8, 31)),
    ]


def test_yearly_windows_repeat_until_the_last_year() -> None:
    got = occurrences("Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.", MULTI, D(2020, 1, 1), D(2030, 12, 31))
    assert got == [(D(y, 9, 1), D(y, 11, 30)) for y in (2021, 2022, 2023, 2024)]
    got = occurrences("сентябрь 2021, 2022, 2023", None, D(2022, 1, 1), D(2030, 1, 1))
    assert got == [(D(2022, 9, 1), D(2022, 9, 30)), (D(2023, 9, 1), D(2023, 9, 30))]


def test_yearly_without_dates_gives_one_window_per_year_of_the_period() -> None:
    got = occurrences("Ежегодно", None, D(2020, 9, 1), D(2022, 8, 31))
    assert got == [(D(2020, 9, 1), D(2021, 8, 31)), (D(2021, 9, 1), D(2022, 8, 31))]


def test_yearly_at_the_end_of_the_period() -> None:
    got = occurrences("Ежегодно, по итогам периода", AY, D(2020, 9, 1), D(2021, 8, 31))
    assert got == [(D(2021, 8, 31), D(2021, 8, 31))]


def test_continuous_and_on_demand() -> None:
    assert occurrences("Постоянно", AY, D(2021, 3, 1), D(2021, 3, 31)) == [(D(2020, 9, 1), D(2021, 8, 31))]
    assert occurrences("Постоянно", None, D(2021, 3, 1), D(2021, 3, 31)) == [(D(2021, 3, 1), D(2021, 3, 31))]
    assert occurrences("Постоянно", AY, D(2021, 9, 1), D(2021, 9, 30)) == []
    assert occurrences("По согласованию", AY, D(2020, 9, 1), D(2021, 8, 31)) == []
    assert occurrences("абракадабра", AY, D(2020, 9, 1), D(2021, 8, 31)) == []


def test_an_empty_period_has_no_occurrences() -> None:
    assert occurrences("ежемесячно", AY, D(2021, 3, 1), D(2021, 2, 1)) == []


def test_describe_says_what_was_understood() -> None:
    assert describe(parse_deadline("До 09.11.2020")) == "однократно, до 09.11.2020"
    assert describe(parse_deadline("абракадабра")) == "не распознан"
    assert "ежегодно" in describe(parse_deadline("Ежегодно 2020 – 2024 гг."))


# forms met in the unseen roadmaps (tests/fixtures/roadmaps/unseen/)
UNSEEN_CASES: list[tuple[str, Period | None, date | None, date | None, str, bool]] = [
    ("20.09.2021г.", None, D(2021, 9, 20), D(2021, 9, 20), "once", True),
    ("до 30.09.2022г", None, None, D(2022, 9, 30), "once", True),
    ("в 2021г.", None, D(2021, 1, 1), D(2021, 12, 31), "once", True),
    ("09.2024", None, D(2024, 9, 1), D(2024, 9, 30), "once", True),
    ("09.2023-10.2023", None, D(2023, 9, 1), D(2023, 10, 31), "once", True),
    # a range of months crossing the academic year ends inside it: August 2020, not August 2021
    ("август-сентябрь", AY, D(2020, 8, 1), D(2020, 9, 30), "once", True),
    ("ноябрь-декабрь", AY, D(2020, 11, 1), D(2020, 12, 31), "once", True),
    ("декабрь-январь", AY, D(2020, 12, 1), D(2021, 1, 31), "once", True),
    ("сентябрь 2021 – май 2022", None, D(2021, 9, 1), D(2022, 5, 31), "once", True),
    ("I квартал 2023", None, D(2023, 1, 1), D(2023, 3, 31), "once", True),
    ("01.09.2023-01.10.2023", None, D(2023, 9, 1), D(2023, 10, 1), "once", True),
]


@pytest.mark.parametrize(("text", "period", "starts", "ends", "recurrence", "understood"), UNSEEN_CASES)
def test_forms_of_the_unseen_roadmaps(
    text: str,
    period: Period | None,
    starts: date | None,
    ends: date | None,
    recurrence: str,
    understood: bool,
) -> None:
    parsed = parse_deadline(text, period)
    assert (parsed.starts_on, parsed.ends_on, parsed.recurrence, parsed.understood) == (
        starts,
        ends,
        recurrence,
        understood,
    ), parsed.note


# --- recurrence phrases of real roadmaps (issue 13) ------------------------------------------------

CAL = Period.calendar_years(2021, 2024)
RECURRING = [
    # «далее ежегодно»: the first due date, then the same day every year of the period
    (
        "до 25 мая 2021 г., далее ежегодно",
        CAL,
        [D(2021, 5, 25), D(2022, 5, 25), D(2023, 5, 25), D(2024, 5, 25)],
    ),
    # «далее ежегодно в сентябре»: October first, then every September
    (
        "Октябрь 2021 г., далее ежегодно в сентябре",
        CAL,
        [D(2021, 10, 31), D(2022, 9, 30), D(2023, 9, 30), D(2024, 9, 30)],
    ),
    # without «далее»: still November 2021 first, not September 2021
    (
        "Ноябрь 2021 г., ежегодно в сентябре",
        CAL,
        [D(2021, 11, 30), D(2022, 9, 30), D(2023, 9, 30), D(2024, 9, 30)],
    ),
    ("октябрь, далее ежегодно", Period.academic_year(2023, 2025), [D(2023, 10, 31), D(2024, 10, 31)]),
    # the same month in listed years: two occurrences, not one 13-month span
    ("Май 2023, май 2024", Period.calendar_years(2023, 2024), [D(2023, 5, 31), D(2024, 5, 31)]),
    # months of one academic year: each is an occurrence of its own
    ("декабрь, май", Period.academic_year(2023), [D(2023, 12, 31), D(2024, 5, 31)]),
    ("Декабрь 2023, май 2024", Period.academic_year(2023), [D(2023, 12, 31), D(2024, 5, 31)]),
    ("сентябрь, январь, май", Period.academic_year(2020), [D(2020, 9, 30), D(2021, 1, 31), D(2021, 5, 31)]),
    # calendar-year plans
    ("2023 - 2024 годы", Period.calendar_years(2023, 2024), [D(2024, 12, 31)]),
    ("в 2023 году", Period.calendar_years(2023, 2025), [D(2023, 12, 31)]),
]


@pytest.mark.parametrize(("text", "period", "dues"), RECURRING)
def test_recurrence_phrases_become_the_right_occurrences(text: str, period: Period, dues: list[date]) -> None:
    parsed = parse_deadline(text, period)
    assert parsed.understood, parsed.note
    assert [due for _start, due in expand_occurrences(parsed, period.starts_on, period.ends_on)] == dues


def test_listed_windows_are_described_and_survive_a_model_round_trip() -> None:
    from nastavnik.roadmaps.deadlines import windows_json
    from nastavnik.roadmaps.models import RoadmapEvent

    parsed = parse_deadline("декабрь, май", Period.academic_year(2023))
    assert parsed.recurrence == "several"
    assert describe(parsed) == "несколько сроков: 01.12.2023 – 31.12.2023, 01.05.2024 – 31.05.2024"
    event = RoadmapEvent(starts_on=parsed.starts_on, ends_on=parsed.ends_on, recurrence=parsed.recurrence,
                         windows=windows_json(parsed))  # fmt: skip
    assert event.parsed_deadline.windows == parsed.windows and event.is_recurring


@pytest.mark.parametrize(
    ("text", "label", "academic"),
    [
        ("Дорожная карта на 2023-2024 годы", "2023–2024 годы", False),
        ("в 2023-2024 годах", "2023–2024 годы", False),
        ("на 2023-2024 учебный год", "2023–2024 учебный год", True),
        ("План на 2023/24", "2023–2024 учебный год", True),
        ("(сентябрь 2022 г. - май 2024 г.)", "2022–2024 учебные годы", True),
        ("на 2021-2023 гг.", "2021–2023 годы", False),
    ],
)
def test_calendar_year_plans_are_told_from_academic_year_plans(text: str, label: str, academic: bool) -> None:
    period = Period.parse(text)
    assert period is not None and (period.label, period.academic) == (label, academic)
