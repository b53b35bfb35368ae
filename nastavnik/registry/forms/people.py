from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django import forms

from nastavnik.base.forms import DateInput
from nastavnik.orgs.models import Organisation, Program

from ..consents import PURPOSES
from ..labels import PersonChoiceField
from ..models import (
    LEARNER_KINDS,
    PERSON_FORM_FIELDS,
    Category,
    ConsentGiver,
    ConsentKind,
    ParticipationRole,
    Person,
    PersonKind,
    Tag,
    TagVocabulary,
    parse_school_class,
)
from ..services.people import ClassConsentRow
from ..validators import validate_name_part


def purpose_choices() -> list[tuple[str, str]]:
    return list(PURPOSES.items())


class PurposesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Цели обработки")
        super().__init__(choices=purpose_choices, **kwargs)


class PersonForm(forms.ModelForm):
    school_class = forms.CharField(
        label="Класс",
        required=False,
        max_length=12,
        help_text="Например, 7Б",
        widget=forms.TextInput(attrs={"size": 6}),
    )
    categories = forms.ModelMultipleChoiceField(
        label="Категории",
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = list(PERSON_FORM_FIELDS)
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "left_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experience_years"].help_text = "Полных лет на сегодня; дальше стаж растёт сам."
        if self.instance.pk:
            self.fields["school_class"].initial = self.instance.school_class
            self.fields["categories"].initial = list(self.instance.categories.all())
            self.initial["experience_years"] = self.instance.experience_today

    def _name_part(self, field: str, what: str) -> str:
        value = " ".join((self.cleaned_data.get(field) or "").split())
        return validate_name_part(value, what) if value else value

    def clean_last_name(self) -> str:
        return self._name_part("last_name", "фамилия")

    def clean_first_name(self) -> str:
        return self._name_part("first_name", "имя")

    def clean_middle_name(self) -> str:
        return self._name_part("middle_name", "отчество")

    def clean_school_class(self) -> tuple[int, str] | None:
        value = self.cleaned_data["school_class"].strip()
        if not value:
            return None
        parsed = parse_school_class(value)
        if parsed is None:
            raise forms.ValidationError("Класс пишется как «7Б» или «11 А».")
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("school_class") and data.get("kind") != PersonKind.STUDENT:
            self.add_error("school_class", "Класс указывается только для обучающихся школы.")
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data in the shape the registry services take."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        school_class = self.cleaned_data.get("school_class")
        data["grade"], data["class_letter"] = school_class if school_class else (None, "")
        return data


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Вид согласия", choices=ConsentKind.choices, initial=ConsentKind.PROCESSING
    )
    given_by = forms.ChoiceField(label="Кем дано", choices=ConsentGiver.choices)
    representative = PersonChoiceField(
        label="Законный представитель", queryset=Person.objects.none(), required=False
    )
    signed_on = forms.DateField(label="Дата подписания", widget=DateInput())
    valid_until = forms.DateField(label="Действует до", required=False, widget=DateInput())
    purposes = PurposesField(
        initial=list(PURPOSES), required=False, help_text="Не отмечено ни одной — все цели программы."
    )
    document = forms.FileField(label="Скан (PDF, JPG, PNG)", required=False)

    def __init__(self, *args: Any, subject: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["representative"]).queryset = Person.objects.filter(
            ward_links__child=subject
        )


class ConsentRevokeForm(forms.Form):
    revoked_on = forms.DateField(label="Дата отзыва", widget=DateInput())
    reason = forms.CharField(label="Причина", required=False, max_length=300)


class GuardianForm(forms.Form):
    """Link an existing parent of the organisation, or register a new one in the same step."""

    existing = PersonChoiceField(label="Родитель из базы", queryset=Person.objects.none(), required=False)
    last_name = forms.CharField(label="Фамилия", required=False, max_length=100)
    first_name = forms.CharField(label="Имя", required=False, max_length=100)
    middle_name = forms.CharField(label="Отчество", required=False, max_length=100)
    phone = forms.CharField(label="Телефон", required=False, max_length=30)
    email = forms.EmailField(label="E-mail", required=False)
    relation = forms.CharField(label="Кем приходится", initial="мать", max_length=50)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["existing"]).queryset = Person.objects.filter(
            organisation=organisation, kind=PersonKind.PARENT
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, what in (("last_name", "фамилия"), ("first_name", "имя"), ("middle_name", "отчество")):
            value = " ".join((data.get(field) or "").split())
            if value:
                try:
                    data[field] = validate_name_part(value, what)
                except forms.ValidationError as exc:
                    self.add_error(field, exc)
        if not data.get("existing") and not (data.get("last_name") and data.get("first_name")):
            raise forms.ValidationError("Выберите родителя из базы или введите фамилию и имя нового.")
        return data


# The kinds of tags in the picker, and whose they are (empty: both roles).
TAG_GROUP_ORDER = [
    (TagVocabulary.REQUEST, ParticipationRole.MENTEE),
    (TagVocabulary.COMPETENCY, ParticipationRole.MENTOR),
    (TagVocabulary.INTEREST, ""),
    (TagVocabulary.SUBJECT, ""),
]


@dataclass
class TagGroup:
    label: str
    roles: str
    options: list[tuple[Tag, bool]]


class ParticipationForm(forms.Form):
    program = forms.ModelChoiceField(label="Программа", queryset=Program.objects.none())
    role = forms.ChoiceField(label="Роль", choices=ParticipationRole.choices)
    details = forms.CharField(
        label="Запрос наставляемого / опыт наставника",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.ModelMultipleChoiceField(
        label="Запросы, компетенции, интересы",
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label="Сколько наставляемых может взять",
        required=False,
        min_value=1,
        max_value=30,
        help_text="Только для наставника.",
    )

    def __init__(self, *args: Any, programs: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs
        if person is not None:
            # A learner usually joins as a mentee, an adult as a mentor: the form opens with that role.
            learner = person.kind in LEARNER_KINDS
            self.fields["role"].initial = ParticipationRole.MENTEE if learner else ParticipationRole.MENTOR

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Only a mentor takes mentees: a capacity posted for a mentee is dropped, not stored.
        if data.get("role") != ParticipationRole.MENTOR:
            data["capacity"] = None
        return data

    def tag_groups(self) -> list[TagGroup]:
        """The tags by kind for the picker, in the order a curator thinks of them, each name once
        within its kind; `roles` says whose kind it is (requests are a mentee's, competencies a
        mentor's), and the page shows the kinds of the chosen role."""
        chosen = {str(value) for value in (self["tags"].value() or [])}
        by_kind: dict[str, dict[str, Tag]] = {vocabulary: {} for vocabulary, _ in TAG_GROUP_ORDER}
        for tag in Tag.objects.order_by("name", "pk"):
            names = by_kind.get(tag.vocabulary)
            key = " ".join(tag.name.casefold().replace("ё", "е").split())
            if names is not None and (key not in names or str(tag.pk) in chosen):
                names[key] = tag
        return [
            TagGroup(
                label=TagVocabulary(vocabulary).label,
                roles=roles,
                options=[(tag, str(tag.pk) in chosen) for tag in by_kind[vocabulary].values()],
            )
            for vocabulary, roles in TAG_GROUP_ORDER
            if by_kind[vocabulary]
        ]


# (suffix of the field names, who gave the consent) in the order the grid shows them.
GRID_GIVERS = (("rep", ConsentGiver.REPRESENTATIVE), ("self", ConsentGiver.SELF))


@dataclass
class GridPerson:
    """A person of the grid: who they are, which consents the rule asks of them, what is there."""

    person: Person
    age: int | None
    needs: dict[str, bool]  # giver suffix -> needed
    status: dict[str, str]  # giver suffix -> «нужно» / «есть до …» / «отозвано» / «не нужно»
    guardians: list[Person]


@dataclass
class GridRow:
    who: GridPerson
    consents: list[tuple[str, str, dict[str, forms.BoundField]]]  # (label, status, fields)
    purposes: forms.BoundField


class ClassConsentsForm(forms.Form):
    """The paper consents of a class ticked in one go; the fields on top are the defaults of every
    row whose own date or purposes are left empty."""

    signed_on = forms.DateField(label="Дата получения (для всех)", widget=DateInput())
    purposes = PurposesField(label="Цели обработки (для всех)")

    def __init__(self, *args: Any, people: list[GridPerson], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.today = today
        self.fields["signed_on"].initial = today
        self.fields["purposes"].initial = list(PURPOSES)
        for who in people:
            pk = who.person.pk
            for suffix, _giver in GRID_GIVERS:
                if not who.needs[suffix]:
                    continue
                self.fields[f"p{pk}-{suffix}"] = forms.BooleanField(
                    label="бумажное согласие получено", required=False
                )
                self.fields[f"p{pk}-{suffix}-date"] = forms.DateField(
                    label="дата", required=False, widget=DateInput()
                )
            if who.needs["rep"]:
                self.fields[f"p{pk}-rep-by"] = forms.ChoiceField(
                    label="кто дал",
                    required=False,
                    choices=[("", "—")] + [(str(g.pk), g.full_name) for g in who.guardians],
                    initial=str(who.guardians[0].pk) if len(who.guardians) == 1 else "",
                )
            self.fields[f"p{pk}-purposes"] = PurposesField(required=False)

    def clean_signed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["signed_on"]
        if day > self.today:
            raise forms.ValidationError("Дата получения не может быть в будущем.")
        return day

    def grid_rows(self) -> list[GridRow]:
        rows = []
        for who in self.people:
            pk = who.person.pk
            consents = []
            for suffix, giver in GRID_GIVERS:
                label = "Представитель" if giver == ConsentGiver.REPRESENTATIVE else "Сам(а)"
                fields = {
                    part: self[name]
                    for part, name in (
                        ("tick", f"p{pk}-{suffix}"),
                        ("date", f"p{pk}-{suffix}-date"),
                        ("by", f"p{pk}-{suffix}-by"),
                    )
                    if name in self.fields
                }
                consents.append((label, who.status[suffix], fields))
            rows.append(GridRow(who, consents, self[f"p{pk}-purposes"]))
        return rows

    def consent_rows(self) -> list[ClassConsentRow]:
        """The ticked consents, with the defaults filled in, as the service takes them."""
        data = self.cleaned_data
        rows = []
        for who in self.people:
            pk = who.person.pk
            purposes = tuple(data.get(f"p{pk}-purposes") or data.get("purposes") or ())
            for suffix, giver in GRID_GIVERS:
                if not data.get(f"p{pk}-{suffix}"):
                    continue
                by = data.get(f"p{pk}-rep-by") if suffix == "rep" else ""
                rows.append(
                    ClassConsentRow(
                        subject_id=pk,
                        given_by=giver,
                        signed_on=data.get(f"p{pk}-{suffix}-date") or data["signed_on"],
                        purposes=purposes,
                        representative_id=int(by) if by else None,
                    )
                )
        return rows

    def add_row_errors(self, row_errors: dict[tuple[int, str], dict[str, str]]) -> None:
        """Put the service's per-row messages on the fields of those rows."""
        suffixes: dict[str, str] = {str(giver): suffix for suffix, giver in GRID_GIVERS}
        for (pk, giver), errors in row_errors.items():
            suffix = suffixes.get(giver, "self")
            places = {
                "signed_on": f"p{pk}-{suffix}-date",
                "representative": f"p{pk}-rep-by",
                "purposes": f"p{pk}-purposes",
            }
            for field, message in errors.items():
                name = places.get(field, f"p{pk}-{suffix}")
                self.add_error(name if name in self.fields else None, message)
