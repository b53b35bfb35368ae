from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from nastavnik.base.forms import DateInput
from nastavnik.mentoring.models import MentoringGroup
from nastavnik.registry.models import Person

from .models import (
    MAX_WEIGHT,
    AwardKind,
    CertificateKind,
    CompetitionLevel,
    CompetitionResult,
    CriterionCode,
    NameCase,
    NominatorRole,
    Procedure,
)


class MentorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name


def weight_field(code: str) -> str:
    return f"weight_{code}"


class ProcedureForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300, initial="Порядок выбора лучшего наставника")
    order_number = forms.CharField(label="Номер приказа об утверждении", max_length=40, required=False)
    approved_on = forms.DateField(label="Дата утверждения", required=False, widget=DateInput())
    general_provisions = forms.CharField(
        label="Общие положения (каждый пункт с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    competition_target = forms.IntegerField(
        label="Целевое число участников региональных и всероссийских конкурсов",
        min_value=0,
        max_value=10000,
        required=False,
    )

    def __init__(self, *args: Any, procedure: Procedure | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weights = {c.code: c.weight for c in procedure.criteria.all()} if procedure else {}
        for code in CriterionCode:
            self.fields[weight_field(code)] = forms.IntegerField(
                label=code.label,
                min_value=0,
                max_value=MAX_WEIGHT,
                initial=weights.get(code, 0),
                help_text="0 — критерий не учитывается",
            )
        if procedure is not None:
            for name in ("title", "order_number", "approved_on", "general_provisions", "competition_target"):
                self.fields[name].initial = getattr(procedure, name)

    def weights(self) -> dict[str, int]:
        return {code: self.cleaned_data[weight_field(code)] for code in CriterionCode.values}

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[weight_field(code)] for code in CriterionCode.values]


class AssessmentForm(forms.Form):
    person = MentorChoice(label="Наставник", queryset=Person.objects.none())
    score = forms.IntegerField(label="Оценка (0–10)", min_value=0, max_value=10)
    comment = forms.CharField(label="Обоснование", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, mentors: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = mentors  # type: ignore[attr-defined]


class NominationForm(forms.Form):
    person = MentorChoice(label="Наставник", queryset=Person.objects.none())
    nominator_name = forms.CharField(label="Кто выдвинул (ФИО)", max_length=200)
    nominator_role = forms.ChoiceField(label="Кем приходится", choices=NominatorRole.choices)
    reason = forms.CharField(label="За что", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    nominated_on = forms.DateField(label="Дата", widget=DateInput())

    def __init__(self, *args: Any, mentors: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = mentors  # type: ignore[attr-defined]


class GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        mentees = ", ".join(m.mentee.person.short_name for m in obj.memberships.all())
        return f"{obj.mentor.person.short_name} — {mentees or 'без наставляемых'} ({obj.program.academic_year_label})"


class CompetitionForm(forms.Form):
    mentor = MentorChoice(label="Наставник", queryset=Person.objects.none())
    group = GroupChoice(
        label="Пара (группа), если участвовала вместе", queryset=MentoringGroup.objects.none(), required=False
    )
    title = forms.CharField(label="Конкурс", max_length=300)
    level = forms.ChoiceField(label="Уровень", choices=CompetitionLevel.choices)
    held_on = forms.DateField(label="Дата", widget=DateInput())
    result = forms.ChoiceField(label="Результат", choices=CompetitionResult.choices)
    diploma = forms.FileField(label="Скан диплома (PDF, JPEG, PNG)", required=False)

    def __init__(
        self, *args: Any, mentors: QuerySet[Person], groups: QuerySet[MentoringGroup], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class AwardKindForm(forms.Form):
    name = forms.CharField(label="Форма поощрения", max_length=200)
    clause = forms.CharField(
        label="Пункт приказа",
        max_length=400,
        help_text="{ФИО} — ФИО наставника, {сумма} — сумма (только у материального). "
        "Пример: «Наградить нагрудным знаком школы {ФИО}».",
    )
    name_case = forms.ChoiceField(label="Падеж ФИО в пункте", choices=NameCase.choices)
    is_material = forms.BooleanField(label="Материальное (с суммой)", required=False)
    certificate = forms.ChoiceField(label="Документ для награждённого", choices=CertificateKind.choices)


class AwardOrderForm(forms.Form):
    number = forms.CharField(label="Номер приказа", max_length=40, required=False)
    signed_on = forms.DateField(label="Дата приказа", widget=DateInput())
    title = forms.CharField(label="Заголовок", max_length=300, initial="О поощрении наставников")
    preamble = forms.CharField(
        label="Основание (преамбула)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Пусто — стандартная преамбула со ссылкой на Порядок и рейтинг.",
    )


class AwardForm(forms.Form):
    person = MentorChoice(label="Наставник", queryset=Person.objects.none())
    kind = forms.ModelChoiceField(label="Форма поощрения", queryset=AwardKind.objects.none())
    reason = forms.CharField(
        label="За что", max_length=400, initial="за высокие результаты наставнической деятельности"
    )
    amount = forms.DecimalField(
        label="Сумма, руб. (для премии или надбавки)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
    )

    def __init__(
        self, *args: Any, mentors: QuerySet[Person], kinds: QuerySet[AwardKind], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = mentors  # type: ignore[attr-defined]
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
