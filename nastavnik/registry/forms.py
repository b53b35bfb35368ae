from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms

from nastavnik.base.forms import DateInput
from nastavnik.orgs.models import Organisation, Program

from .labels import PersonChoiceField
from .models import (
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
