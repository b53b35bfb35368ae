"""The home page's «Требует внимания» for the work: roadmaps and pairs of the organisation."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.base.text import plural_form
from nastavnik.base.time import local_today
from nastavnik.home.attention import work_attention_for
from nastavnik.orgs.models import academic_year_of
from nastavnik.roadmaps import services as roadmap_services
from nastavnik.roadmaps.selectors import roadmap_control
from tests.builders import student_program
from tests.mentoring.conftest import make_pair


def current_roadmap(user, organisation):
    return roadmap_services.roadmap_create_from_template(
        acting_user=user,
        template_key="students",
        academic_year=academic_year_of(local_today()),
        organisation=organisation,
    )


def home_of(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_home_page_counts_late_roadmap_events_and_pairs_that_need_the_curator(
    school_x, school_y, school_x_curator, school_y_curator, client_for
):
    today = local_today()
    roadmap = current_roadmap(school_x_curator, school_x)
    control = roadmap_control(roadmap, today)
    assert control.overdue, "the template has September events: undone, they are late in November"
    program = student_program(school_x)
    program.academic_year = academic_year_of(today)
    program.save()
    # Formed 120 days ago and never met: the board's health rule says it needs attention.
    make_pair(program, school_x_curator, started_on=today - dt.timedelta(days=120))

    work = work_attention_for(school_x_curator, [school_x.pk], today)[school_x.pk]
    assert work.roadmap_overdue == len(control.overdue)
    assert work.roadmap_upcoming == len(control.upcoming)
    assert work.pairs_needing_attention == 1

    page, _ = home_of(client_for(school_x_curator))
    late = len(control.overdue)
    words = plural_form(
        late, "просроченное мероприятие", "просроченных мероприятия", "просроченных мероприятий"
    )
    assert f'<span class="badge bad">{late}</span> {words} дорожной карты' in page
    assert f"/roadmaps/summary/?organisation={school_x.pk}" in page
    assert '<span class="badge bad">1</span> пара или группа, которой нужно внимание куратора' in page

    # School Y sees nothing of school X's work.
    other, _ = home_of(client_for(school_y_curator))
    assert "дорожной карты <a" not in other
    assert "внимание куратора" not in other
    assert work_attention_for(school_y_curator, [school_y.pk], today)[school_y.pk].count == 0


def test_an_ended_roadmap_does_not_crowd_the_home_page(school_x, school_x_curator):
    today = local_today()
    roadmap_services.roadmap_create_from_template(
        acting_user=school_x_curator,
        template_key="students",
        academic_year=academic_year_of(today) - 2,
        organisation=school_x,
    )
    assert work_attention_for(school_x_curator, [school_x.pk], today)[school_x.pk].roadmap_overdue == 0


def test_the_home_page_runs_the_same_queries_for_one_and_many_pairs_and_roadmaps(
    school_x, school_x_curator, client_for
):
    today = local_today()
    program = student_program(school_x)
    program.academic_year = academic_year_of(today)
    program.save()
    current_roadmap(school_x_curator, school_x)
    make_pair(program, school_x_curator, started_on=today - dt.timedelta(days=120))
    client = client_for(school_x_curator)
    _, few = home_of(client)
    current_roadmap(school_x_curator, school_x)
    for _ in range(4):
        make_pair(program, school_x_curator, started_on=today - dt.timedelta(days=120))
    page, many = home_of(client)
    assert '<span class="badge bad">5</span> пар и групп' in page
    assert few == many
