from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from nastavnik.base.forms import DateInput
from nastavnik.orgs.models import Program
from nastavnik.registry.labels import PersonChoiceField
from nastavnik.registry.models import ParticipationRole, Person, PersonKind, TagVocabulary

from .models import (
    CHOICE_KINDS,
    Question,
    QuestionKind,
    Questionnaire,
    RankPool,
    TemplateKind,
)


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text)[:80]


class QuestionnaireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.program.title}, {obj.program.organisation.short_name}"


class QuestionnaireSettingsForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    description = forms.CharField(
        label="Обращение к респонденту",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Показывается в начале анкеты.",
    )
    about_other = forms.BooleanField(
        label="Анкета о другом человеке (отвечают специалист или родитель о наставляемом)", required=False
    )


class NewQuestionnaireForm(forms.Form):
    program = forms.ModelChoiceField(label="Программа", queryset=Program.objects.none())
    title = forms.CharField(label="Название", max_length=300)
    kind = forms.ChoiceField(label="Назначение", choices=TemplateKind.choices, initial=TemplateKind.CUSTOM)

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs


class CopyTemplateForm(forms.Form):
    program = forms.ModelChoiceField(label="В программу", queryset=Program.objects.none())
    title = forms.CharField(label="Название копии", max_length=300, required=False)

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs


class SectionForm(forms.Form):
    title = forms.CharField(label="Название раздела", max_length=300)
    description = forms.CharField(label="Пояснение", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class QuestionForm(forms.Form):
    text = forms.CharField(label="Вопрос", max_length=500)
    kind = forms.ChoiceField(label="Тип ответа", choices=QuestionKind.choices, initial=QuestionKind.SINGLE)
    help_text = forms.CharField(label="Подсказка", max_length=500, required=False)
    required = forms.BooleanField(label="Обязательный вопрос", required=False)
    choices_text = forms.CharField(
        label="Варианты ответа",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Каждый вариант с новой строки (для вопросов с вариантами).",
    )
    vocabulary = forms.ChoiceField(
        label="Словарь тегов", required=False, choices=[("", "—"), *TagVocabulary.choices]
    )
    rank_pool = forms.ChoiceField(
        label="Кого предлагать", choices=RankPool.choices, initial=RankPool.OPPOSITE
    )
    max_ranked = forms.IntegerField(label="Сколько человек выбрать", min_value=1, max_value=10, initial=3)
    condition_question = QuestionChoiceField(
        label="Показывать, только если в вопросе", queryset=Question.objects.none(), required=False
    )
    condition_choices = forms.MultipleChoiceField(
        label="выбран один из вариантов", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, questionnaire: Questionnaire, instance: Question | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "text": instance.text,
                "kind": instance.kind,
                "help_text": instance.help_text,
                "required": instance.required,
                "choices_text": "\n".join(str(c["label"]) for c in instance.choices),
                "vocabulary": instance.vocabulary,
                "rank_pool": instance.rank_pool,
                "max_ranked": instance.max_ranked,
                "condition_question": instance.condition_question_id,
                "condition_choices": [
                    f"{instance.condition_question_id}:{c}" for c in instance.condition_choices
                ],
            }
        super().__init__(*args, **kwargs)
        candidates = questionnaire.questions.filter(kind__in=CHOICE_KINDS).order_by(
            "section__position", "section_id", "position", "pk"
        )
        if instance is not None:
            candidates = candidates.exclude(pk=instance.pk)
        candidate_list = list(candidates)
        field = cast(forms.ModelChoiceField, self.fields["condition_question"])
        field.queryset = candidates
        cast(forms.MultipleChoiceField, self.fields["condition_choices"]).choices = [
            (f"{q.pk}:{c['id']}", f"{q.text[:40]} → {c['label']}") for q in candidate_list for c in q.choices
        ]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        condition = data.get("condition_question")
        prefix = f"{condition.pk}:" if condition else None
        return {
            "kind": data["kind"],
            "text": data["text"],
            "help_text": data.get("help_text", ""),
            "required": data.get("required", False),
            "vocabulary": data.get("vocabulary", ""),
            "rank_pool": data.get("rank_pool") or RankPool.OPPOSITE,
            "max_ranked": data.get("max_ranked") or 3,
            "condition_question": condition,
            "condition_choices": [
                value.split(":", 1)[1]
                for value in data.get("condition_choices", [])
                if prefix and value.startswith(prefix)
            ],
        }

    def choice_labels(self) -> list[str]:
        return str(self.cleaned_data.get("choices_text") or "").splitlines()


class CampaignForm(forms.Form):
    questionnaire = QuestionnaireChoiceField(label="Анкета", queryset=Questionnaire.objects.none())
    title = forms.CharField(
        label="Название рассылки",
        max_length=300,
        required=False,
        help_text="Например, «Анкета наставляемого, 7–9 классы». По умолчанию — название анкеты.",
    )
    deadline_on = forms.DateField(label="Заполнить до (включительно)", widget=DateInput())

    def __init__(self, *args: Any, questionnaires: QuerySet[Questionnaire], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["questionnaire"])
        field.queryset = questionnaires


class DeadlineForm(forms.Form):
    deadline_on = forms.DateField(label="Новый срок", widget=DateInput())


class RecipientFilterForm(forms.Form):
    """A selection from the registry of the campaign's organisation."""

    kind = forms.ChoiceField(label="Кто", required=False, choices=[("", "все"), *PersonKind.choices])
    grade_from = forms.IntegerField(label="Класс с", required=False, min_value=1, max_value=11)
    grade_to = forms.IntegerField(label="по", required=False, min_value=1, max_value=11)
    class_letter = forms.CharField(label="Литера", required=False, max_length=2)
    role = forms.ChoiceField(
        label="В этой программе",
        required=False,
        choices=[("", "неважно"), *ParticipationRole.choices],
    )
    q = forms.CharField(label="Поиск", required=False, max_length=100)

    def is_empty(self) -> bool:
        return not any(self.data.get(name) for name in self.fields)


class ThirdPartyForm(forms.Form):
    respondent = PersonChoiceField(
        label="Кто отвечает",
        queryset=Person.objects.none(),
        required=False,
        empty_label="законные представители каждого",
        help_text="Законные представители или один сотрудник (классный руководитель, психолог).",
    )

    def __init__(self, *args: Any, staff: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["respondent"]).queryset = staff
