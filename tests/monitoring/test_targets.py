"""Target values: pasting a roadmap's table, the service's permissions and audit, the page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from nastavnik.monitoring import services
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.models import Indicator, IndicatorTarget
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, REGION
from nastavnik.monitoring.targets_paste import parse_targets

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parent.parent / "fixtures" / "roadmaps" / "roadmap-school-cmn-2020.txt"


def test_the_whole_seed_roadmap_pasted_yields_its_five_target_rows():  # type: ignore[no-untyped-def]
    table = parse_targets(SEED.read_text(encoding="utf-8"), list(Indicator.objects.all()))
    assert table.years == [2021, 2024]
    got = {row.indicator.code: row.values for row in table.matched}  # type: ignore[union-attr]
    assert got == {
        "mentees-11-18": {2021: Decimal("12.5"), 2024: Decimal(15)},
        "mentors-15-18": {2021: Decimal("0.2"), 2024: Decimal("0.5")},
        "young-teachers-mentees": {2021: Decimal(0), 2024: Decimal(100)},
        "ovz-covered": {2021: Decimal(14), 2024: Decimal(28)},
        "at-risk-covered": {2021: Decimal(33), 2024: Decimal(50)},
    }
    assert table.count == 10


def test_short_rows_by_code_or_name_and_what_is_not_understood():  # type: ignore[no-untyped-def]
    text = "показатель;2021;2024\nmentees-10-19;10;20\nДоля детей и подростков от 15 до 19 лет, вошедших в программу наставничества в роли наставника;1,5;3\nЧто-то своё;5;6\n"
    table = parse_targets(text, list(Indicator.objects.all()))
    codes = [row.indicator.code if row.indicator else None for row in table.rows]
    assert codes[0] == "mentees-10-19" and codes[2] is None
    assert table.rows[2].error.startswith("Показатель не распознан")
    assert codes[1] == "mentors-15-19"  # 15–19 is not confused with 15–18 or 10–19


def test_a_share_over_100_and_a_table_without_years_are_refused():  # type: ignore[no-untyped-def]
    indicators = list(Indicator.objects.all())
    assert parse_targets("mentees-10-19;10;20", indicators).rows[0].error.startswith("Нет строки заголовка")
    over = parse_targets("x;2025\nmentees-10-19;120", indicators)
    assert not over.matched and "больше 100" in over.rows[0].error


def test_who_may_set_targets_at_each_level(
    school_x, school_x_curator, school_y_curator, municipal_curator_a, regional_user, municipality_a, region
):  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.get(code="ovz-covered")
    school = get_scope_for_user(municipal_curator_a, ORGANISATION, school_x.pk)
    with pytest.raises(
        PermissionDenied
    ):  # the municipality oversees the school but does not write its roadmap
        services.target_set(
            acting_user=municipal_curator_a, scope=school, indicator=indicator, year=2026, value=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        services.target_set(
            acting_user=school_y_curator, scope=school, indicator=indicator, year=2026, value=Decimal(1)
        )
    services.target_set(
        acting_user=school_x_curator, scope=school, indicator=indicator, year=2026, value=Decimal(20)
    )
    mun = get_scope_for_user(regional_user, MUNICIPALITY, municipality_a.pk)
    with pytest.raises(PermissionDenied):
        services.target_set(
            acting_user=regional_user, scope=mun, indicator=indicator, year=2026, value=Decimal(1)
        )
    services.target_set(
        acting_user=municipal_curator_a, scope=mun, indicator=indicator, year=2026, value=Decimal(25)
    )
    services.target_set(
        acting_user=regional_user,
        scope=get_scope_for_user(regional_user, REGION, region.pk),
        indicator=indicator,
        year=2026,
        value=Decimal(30),
    )
    assert sorted(IndicatorTarget.objects.values_list("value", flat=True)) == [20, 25, 30]
    entry = (
        LogEntry.objects.get_for_model(IndicatorTarget)
        .filter(object_pk=str(IndicatorTarget.objects.get(value=20).pk))
        .get()
    )
    assert entry.actor == school_x_curator


def test_setting_again_replaces_and_an_empty_value_removes(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    scope = get_scope_for_user(school_x_curator, ORGANISATION, school_x.pk)
    indicator = Indicator.objects.get(code="ovz-covered")
    services.target_set(
        acting_user=school_x_curator, scope=scope, indicator=indicator, year=2026, value=Decimal(20)
    )
    services.target_set(
        acting_user=school_x_curator, scope=scope, indicator=indicator, year=2026, value=Decimal(25)
    )
    assert list(IndicatorTarget.objects.values_list("value", flat=True)) == [25]
    services.target_set(acting_user=school_x_curator, scope=scope, indicator=indicator, year=2026, value=None)
    assert not IndicatorTarget.objects.exists()


def test_the_targets_page_previews_a_pasted_table_then_saves_it(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    url = reverse("monitoring:targets", args=["organisation", school_x.pk])
    text = SEED.read_text(encoding="utf-8")
    preview = client.post(url, {"action": "preview", "text": text})
    assert preview.status_code == 200 and "Сохранить 10\xa0значений" in preview.content.decode()
    assert not IndicatorTarget.objects.exists()
    assert client.post(url, {"action": "save", "text": text}).status_code == 302
    assert IndicatorTarget.objects.filter(organisation=school_x).count() == 10
    page = client.get(url).content.decode()
    assert "12,5" in page and "2024" in page


def test_a_stranger_cannot_post_targets_and_an_overseer_only_reads(
    client_for, school_x, school_y_curator, municipal_curator_a
):  # type: ignore[no-untyped-def]
    url = reverse("monitoring:targets", args=["organisation", school_x.pk])
    form = {"action": "set", "indicator": Indicator.objects.first().pk, "year": 2026, "value": "10"}  # type: ignore[union-attr]
    assert client_for(school_y_curator).post(url, form).status_code == 404
    assert client_for(municipal_curator_a).get(url).status_code == 200
    assert client_for(municipal_curator_a).post(url, form).status_code == 403
    assert not IndicatorTarget.objects.exists()
    assert (
        client_for(municipal_curator_a)
        .get(reverse("monitoring:targets", args=["school", school_x.pk]))
        .status_code
        == 404
    )


def test_the_import_targets_command_reads_a_roadmap_file(
    school_x, school_x_curator, school_y_curator, capsys
):  # type: ignore[no-untyped-def]
    call_command("import_targets", str(SEED), organisation=school_x.pk, user=school_x_curator.username)
    call_command("import_targets", str(SEED), organisation=school_x.pk, user=school_x_curator.username)
    assert IndicatorTarget.objects.filter(organisation=school_x).count() == 10  # idempotent
    assert "10" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_targets", str(SEED), organisation=school_x.pk, user=school_y_curator.username)


def test_the_indicator_values_command_prints_one_json_line_per_indicator(school_x, school_x_curator, capsys):  # type: ignore[no-untyped-def]
    import json

    from tests.monitoring.conftest import D, build_hand_made

    build_hand_made(school_x)
    call_command("indicator_values", organisation=school_x.pk, user=school_x_curator.username, date=D)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == Indicator.objects.count()
    ovz = next(line for line in lines if line["indicator"] == "ovz-covered")
    assert (ovz["numerator"], ovz["denominator"], ovz["value"]) == (1, 2, "50.0")
