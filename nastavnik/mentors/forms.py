from __future__ import annotations

from typing import Any, cast

from django import forms

from nastavnik.base.forms import DateInput

from .models import InterviewOutcome


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _choices(items: Any, label: Any = str) -> list[tuple[Any, str]]:
    return [("", "— выберите —"), *[(item.pk, label(item)) for item in items]]


class NominateForm(forms.Form):
    program = forms.TypedChoiceField(label="Программа", coerce=int, choices=())
    person = forms.TypedChoiceField(label="Кандидат", coerce=int, choices=())
    motivation = forms.CharField(
        label="Основание выдвижения", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, programs: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "program").choices = _choices(
            programs, lambda p: f"{p.title} ({p.organisation.short_name})"
        )
        _choice_field(self, "person").choices = _choices(
            people, lambda p: f"{p.full_name} — {p.get_kind_display().lower()}, {p.organisation.short_name}"
        )


class ApplyForm(forms.Form):
    program = forms.TypedChoiceField(label="Программа", coerce=int, choices=())
    motivation = forms.CharField(
        label="Почему вы хотите стать наставником и чем можете помочь",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "program").choices = _choices(programs, lambda p: p.title)


class InterviewForm(forms.Form):
    held_on = forms.DateField(label="Дата собеседования", widget=DateInput())
    interviewer = forms.TypedChoiceField(label="Кто проводит", coerce=int, choices=())
    psychologist = forms.TypedChoiceField(
        label="Приглашённый психолог", coerce=int, choices=(), required=False, empty_value=None
    )
    notes = forms.CharField(
        label="Вопросы и заметки", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    outcome = forms.ChoiceField(label="Итог", choices=InterviewOutcome.choices, required=False)
    reason = forms.CharField(
        label="Обоснование итога",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Обязательно, если кандидат не допущен или решение отложено.",
    )

    def __init__(self, *args: Any, staff: Any, specialists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "interviewer").choices = _choices(
            staff, lambda u: u.get_full_name() or u.username
        )
        _choice_field(self, "psychologist").choices = [("", "— не приглашался —")] + [
            (u.pk, u.get_full_name() or u.username) for u in specialists
        ]


class AdmissionRuleForm(forms.Form):
    admitted_mentors_only = forms.BooleanField(
        label="В подбор пар только допущенные наставники", required=False
    )
    requires_training = forms.BooleanField(label="Для допуска нужно пройденное обучение", required=False)
    forms = forms.TypedMultipleChoiceField(
        label="Обучение нужно только для форм",
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ничего не отмечено — обучение нужно наставникам всех форм программы.",
    )

    def __init__(self, *args: Any, program_forms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "forms").choices = [(f.pk, str(f)) for f in program_forms]


class ProposeForm(forms.Form):
    participation = forms.TypedChoiceField(label="Наставник", coerce=int, choices=())
    capacity = forms.IntegerField(
        label="Сколько наставляемых может вести всего", min_value=1, max_value=10, initial=2
    )

    def __init__(self, *args: Any, participations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "participation").choices = _choices(
            participations, lambda p: f"{p.person.full_name} ({p.program.title})"
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Утвердить"), ("return", "Вернуть")])
    comment = forms.CharField(
        label="Комментарий школе", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NetworkPairForm(forms.Form):
    program = forms.TypedChoiceField(label="Программа вашей школы", coerce=int, choices=())
    form = forms.TypedChoiceField(label="Форма наставничества", coerce=int, choices=())
    mentee = forms.TypedChoiceField(label="Наставляемый", coerce=int, choices=())

    def __init__(self, *args: Any, programs: Any, mentoring_forms: Any, mentees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "program").choices = _choices(
            programs, lambda p: f"{p.title} ({p.organisation.short_name})"
        )
        _choice_field(self, "form").choices = _choices(mentoring_forms)
        _choice_field(self, "mentee").choices = _choices(
            mentees, lambda m: f"{m.person.full_name} ({m.program.title})"
        )
