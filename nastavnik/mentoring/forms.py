from __future__ import annotations

import datetime as dt
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet

from nastavnik.base.forms import DateInput
from nastavnik.base.text import count_ru
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.surveys.models import Questionnaire

from .models import (
    GroupStatus,
    IndividualPlan,
    MeetingFormat,
    MeetingKind,
    MentorReport,
    PairStage,
    PlanGoal,
    ProgramEventKind,
)
from .plan_templates import template_choices


class GroupEndForm(forms.Form):
    status = forms.ChoiceField(
        label="Итог",
        choices=[(s.value, s.label) for s in GroupStatus if s != GroupStatus.ACTIVE],
    )
    ended_on = forms.DateField(label="Дата окончания", widget=DateInput())
    reason = forms.CharField(label="Причина (для досрочного завершения)", required=False, max_length=300)


class MenteeRemoveForm(forms.Form):
    left_on = forms.DateField(label="Дата выхода", widget=DateInput())
    reason = forms.CharField(label="Причина", max_length=300)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class LocalDateTimeMixin:
    """A date and a time field read in the organisation's time zone (phones show native pickers)."""

    cleaned_data: dict[str, Any]

    def starts_at(self, zone: ZoneInfo) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"], tzinfo=zone)


class PlanCreateForm(forms.Form):
    template = forms.ChoiceField(label="Шаблон")
    starts_on = forms.DateField(label="Начало", widget=DateInput())
    ends_on = forms.DateField(label="Окончание", widget=DateInput())

    def __init__(self, *args: Any, form: MentoringForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        templates = template_choices(form)
        choices = [(t.key, f"{t.title} ({count_ru(t.task_count, 'задача,задачи,задач')})") for t in templates]
        self.fields["template"].choices = choices  # type: ignore[attr-defined]


class PlanHeaderForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    starts_on = forms.DateField(label="Начало", widget=DateInput())
    ends_on = forms.DateField(label="Окончание", widget=DateInput())
    change_note = forms.CharField(label="Что изменено в этой редакции", max_length=500, required=False)


class GoalForm(forms.Form):
    title = forms.CharField(label="Цель", max_length=500)


class TaskForm(forms.Form):
    title = forms.CharField(label="Задача", max_length=500)
    goal = forms.ModelChoiceField(label="Цель", queryset=PlanGoal.objects.none(), required=False)
    due_on = forms.DateField(label="Срок", widget=DateInput())
    expected_result = forms.CharField(label="Ожидаемый результат", max_length=500, required=False)

    def __init__(self, *args: Any, plan: IndividualPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    comment = forms.CharField(label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}))


class RevisionForm(forms.Form):
    change_note = forms.CharField(label="Зачем новая редакция", max_length=500)


class MeetingForm(LocalDateTimeMixin, forms.Form):
    kind = forms.ChoiceField(label="Вид встречи", choices=MeetingKind.choices)
    date = forms.DateField(label="Дата", widget=DateInput())
    time = forms.TimeField(label="Время", widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label="Продолжительность, мин", min_value=5, max_value=600, initial=45
    )
    format = forms.ChoiceField(label="Формат", choices=MeetingFormat.choices, widget=forms.RadioSelect)
    place = forms.CharField(label="Место или ссылка", max_length=300, required=False)
    topic = forms.CharField(label="Тема", max_length=300)

    def meeting_values(self, zone: ZoneInfo) -> dict[str, Any]:
        """The cleaned meeting, as keyword arguments of meetings.meeting_create and meeting_update."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "starts_at": self.starts_at(zone),
            "topic": data["topic"],
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "place": data["place"],
        }


class OpeningForm(LocalDateTimeMixin, forms.Form):
    date = forms.DateField(label="Дата встречи-знакомства", widget=DateInput())
    time = forms.TimeField(label="Время", widget=TimeInput())
    format = forms.ChoiceField(label="Формат", choices=MeetingFormat.choices, initial=MeetingFormat.IN_PERSON)


class MeetingRecordForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Кто пришёл", required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    mentor_present = forms.BooleanField(label="Наставник присутствовал", required=False, initial=True)
    notes = forms.CharField(label="Что делали", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    mentor_reflection = forms.CharField(
        label="Рефлексия наставника: что получилось, что изменить",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = choices  # type: ignore[attr-defined]

    def present_ids(self) -> set[int]:
        return {int(x) for x in self.cleaned_data["present"]}


class MeetingHeldForm(MeetingForm, MeetingRecordForm):
    """A meeting that already took place, in one form: when and what (as when planning one),
    who came, notes and the mentor's reflection (as when recording one)."""

    field_order = [
        "kind",
        "date",
        "time",
        "duration_minutes",
        "format",
        "place",
        "topic",
        "present",
        "mentor_present",
        "notes",
        "mentor_reflection",
    ]


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        label="Ваши впечатления: что было полезно, что хочется изменить",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackStageForm(forms.Form):
    """Which questionnaire a pair member fills; the questions themselves are the satisfaction
    questionnaire's (mentoring/services/pair_feedback.py), rendered as the surveys app renders them."""

    stage = forms.ChoiceField(label="Анкета", choices=PairStage.choices, initial=PairStage.INTERIM)


class ReportForm(forms.ModelForm):
    class Meta:
        model = MentorReport
        fields = ["work_done", "mentee_progress", "difficulties", "recommendations", "recommend_continue"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("work_done", "mentee_progress", "difficulties", "recommendations")
        }


class CompleteForm(forms.Form):
    decision = forms.ChoiceField(
        label="Решение по итогам итоговой встречи",
        choices=[
            (GroupStatus.COMPLETED.value, "Завершить: программа пройдена"),
            (GroupStatus.CONTINUED.value, "Продолжить работу в следующем году"),
        ],
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label="Дата завершения", widget=DateInput())
    result_summary = forms.CharField(
        label="Итоги работы пары (группы) — попадут в карточку участника",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_program = forms.ModelChoiceField(
        label="Программа следующего года (для продолжения)", queryset=Program.objects.none(), required=False
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_program"].queryset = programs  # type: ignore[attr-defined]


class EventEditForm(LocalDateTimeMixin, forms.Form):
    """An event's details (correcting one keeps its invitations and attendance)."""

    kind = forms.ChoiceField(label="Вид", choices=ProgramEventKind.choices)
    title = forms.CharField(label="Название", max_length=300)
    date = forms.DateField(label="Дата", widget=DateInput())
    time = forms.TimeField(label="Время", widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label="Продолжительность, мин", min_value=10, max_value=1440, initial=90
    )
    place = forms.CharField(label="Место", max_length=300, required=False)
    description = forms.CharField(label="Описание", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EventForm(EventEditForm):
    """A new event, and whom to invite at once."""

    invite = forms.BooleanField(
        label="Сразу пригласить всех участников программы", required=False, initial=True
    )
    with_guardians = forms.BooleanField(
        label="Пригласить и законных представителей наставляемых", required=False
    )


class EventCancelForm(forms.Form):
    reason = forms.CharField(label="Причина отмены", max_length=300)


class OrderForm(forms.Form):
    number = forms.CharField(label="Номер приказа", max_length=30, required=False)
    date = forms.DateField(label="Дата приказа", widget=DateInput(), required=False)


class PreferenceCampaignForm(forms.Form):
    """The preference questionnaire sent from a networking meeting's page (preferences.py)."""

    questionnaire = forms.ModelChoiceField(label="Анкета", queryset=Questionnaire.objects.none())
    title = forms.CharField(
        label="Название рассылки",
        max_length=300,
        required=False,
        help_text="Например, «Выбор после общей встречи». По умолчанию — название анкеты.",
    )
    deadline_on = forms.DateField(label="Заполнить до (включительно)", widget=DateInput())

    def __init__(self, *args: Any, questionnaires: QuerySet[Questionnaire], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["questionnaire"]).queryset = questionnaires
