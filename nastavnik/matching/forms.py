from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from nastavnik.base.forms import DateInput
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.labels import person_label
from nastavnik.registry.models import Participation, ParticipationRole

from .compatibility import DEFAULT_WEIGHTS, FACTOR_LABELS, RunRules
from .models import ExclusionKind, FixedPairKind, Method, Objective
from .selectors import program_participants


def program_forms(program: Program) -> Any:
    """The program's forms and their variants."""
    return MentoringForm.objects.filter(
        Q(pk__in=program.forms.values("pk")) | Q(parent__in=program.forms.all())
    ).select_related("parent")


class RunForm(forms.Form):
    form = forms.ModelChoiceField(label="Форма наставничества", queryset=MentoringForm.objects.none())
    objective = forms.ChoiceField(
        label="Что важнее", choices=Objective.choices, initial=Objective.MAX_SCORE, widget=forms.RadioSelect
    )
    min_mentor_age = forms.IntegerField(
        label="Возраст наставника-обучающегося: от", min_value=10, max_value=25
    )
    max_mentor_age = forms.IntegerField(label="до", min_value=10, max_value=25)
    min_grade_gap = forms.IntegerField(
        label="Наставник старше минимум на (классов)", min_value=0, max_value=10
    )
    min_mentor_experience = forms.IntegerField(
        label="Стаж наставника-педагога не менее (лет)", min_value=0, max_value=50
    )
    young_specialist_max_experience = forms.IntegerField(
        label="Молодой специалист: стаж не более (лет)", min_value=0, max_value=10
    )
    mentee_must_be_young_specialist = forms.BooleanField(
        label="В форме «учитель – учитель» наставляемый — молодой специалист", required=False
    )
    same_organisation = forms.BooleanField(
        label="Наставник и наставляемый — из одной организации (региональная программа)", required=False
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        initial = {**RunRules().as_dict(), **{f"weight_{k}": v for k, v in DEFAULT_WEIGHTS.items()}}
        initial.update(kwargs.pop("initial", None) or {})
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = program_forms(program)  # type: ignore[attr-defined]
        for name, label in FACTOR_LABELS.items():
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=f"Вес: {label}",
                min_value=0,
                max_value=10,
                widget=forms.NumberInput(attrs={"step": "0.5"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_mentor_age"), data.get("max_mentor_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_mentor_age", "Верхняя граница возраста меньше нижней.")
        return data

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{name}"] for name in FACTOR_LABELS]

    @property
    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in RunRules().as_dict()]

    def rules(self) -> RunRules:
        return RunRules.from_dict(self.cleaned_data)

    def weights(self) -> dict[str, float]:
        return {name: self.cleaned_data[f"weight_{name}"] for name in FACTOR_LABELS}


class _PairForm(forms.Form):
    mentee: forms.ModelChoiceField[Participation] = forms.ModelChoiceField(
        label="Наставляемый", queryset=Participation.objects.none()
    )
    mentor: forms.ModelChoiceField[Participation] = forms.ModelChoiceField(
        label="Наставник", queryset=Participation.objects.none()
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = program_participants(program, ParticipationRole.MENTEE)  # type: ignore[attr-defined]
        self.fields["mentor"].queryset = program_participants(program, ParticipationRole.MENTOR)  # type: ignore[attr-defined]
        for name in ("mentee", "mentor"):
            self.fields[name].label_from_instance = lambda p: person_label(p.person)  # type: ignore[attr-defined]


class ExclusionForm(_PairForm):
    kind = forms.ChoiceField(
        label="Основание", choices=[c for c in ExclusionKind.choices if c[0] != ExclusionKind.BROKEN]
    )
    reason = forms.CharField(label="Комментарий", required=False, max_length=300)


class FixedPairForm(_PairForm):
    form = forms.ModelChoiceField(label="Форма наставничества", queryset=MentoringForm.objects.none())
    kind = forms.ChoiceField(label="Основание", choices=FixedPairKind.choices, initial=FixedPairKind.MUTUAL)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, program=program, **kwargs)
        self.fields["form"].queryset = program_forms(program)  # type: ignore[attr-defined]


class MoveForm(_PairForm):
    pass


class ConfirmForm(forms.Form):
    proposal = forms.ChoiceField(label="Вариант", choices=Method.choices, widget=forms.RadioSelect)
    order_number = forms.CharField(label="Номер приказа", required=False, max_length=30)
    order_date = forms.DateField(label="Дата приказа", required=False, widget=DateInput())
