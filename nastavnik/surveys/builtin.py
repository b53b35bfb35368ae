"""Built-in questionnaire templates, written from the ЦМН methodology (Р-145, МР-42/02) and the
schools' roadmaps (../shared/seeds): entry questionnaires of mentees and mentors, information
from third parties, the preference questionnaire after the general meeting, diagnostics before
and after, satisfaction of mentors and mentees (items 1–10 and yes/no) and program quality.

Plain data: `load_survey_templates` adds a template that is missing. A new database gets the
templates from the data migration surveys 0002, which carries a frozen copy of this data (a
migration never changes); so a change here needs a migration of its own for existing and new
databases (tests/surveys/test_builtin_migration.py fails until there is one). A program works on
its own copy (services/questionnaires.py: questionnaire_copy).

Question codes are stable keys that matching and monitoring read (`latest_answers`); choice ids
are stable too, so answers stay comparable across versions and copies.
"""

from __future__ import annotations

from typing import Any

YES_NO = [("yes", "Да"), ("no", "Нет")]

SCALE10_HELP = "1 — совсем нет, 10 — полностью да."

# The satisfaction questionnaires of mentees and mentors ask the same first two items and close
# with the same section (the same codes, each side's own wording), so monitoring compares them.
SATISFACTION_EXPECTATIONS: list[dict[str, Any]] = [
    {
        "code": "sat_expected",
        "kind": "scale10",
        "text": "Насколько эффективной вы ожидали программу до её начала?",
        "required": True,
    },
    {
        "code": "sat_real",
        "kind": "scale10",
        "text": "Насколько эффективной программа оказалась на деле?",
        "required": True,
    },
]


def satisfaction_results(*, continue_text: str, best_text: str, improve_text: str) -> dict[str, Any]:
    """The closing section «Итоги» of a satisfaction questionnaire."""
    return {
        "title": "Итоги",
        "questions": [
            {
                "code": "sat_glad",
                "kind": "single",
                "text": "Рады ли вы, что участвовали в программе?",
                "required": True,
                "choices": YES_NO,
            },
            {
                "code": "sat_continue",
                "kind": "single",
                "text": continue_text,
                "required": True,
                "choices": YES_NO,
            },
            {"code": "sat_best", "kind": "long_text", "text": best_text},
            {"code": "sat_improve", "kind": "long_text", "text": improve_text},
            {"code": "sat_comment", "kind": "long_text", "text": "Что ещё вы хотели бы сказать?"},
        ],
    }


TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "mentee_entry",
        "kind": "mentee_entry",
        "title": "Анкета наставляемого",
        "description": (
            "Ответьте, пожалуйста, на вопросы о себе: что вы хотите получить от наставничества, "
            "что вас интересует и в чём бывает трудно. По ответам куратор подберёт вам наставника. "
            "Ответы сохраняются сразу, их можно изменить до окончания срока."
        ),
        "sections": [
            {
                "title": "Запросы и интересы",
                "questions": [
                    {
                        "code": "mentee_goals",
                        "kind": "multiple",
                        "text": "Что вы хотите получить от участия в программе наставничества?",
                        "required": True,
                        "choices": [
                            ("study", "Помощь в учёбе по предметам"),
                            ("exams", "Подготовку к экзаменам (ОГЭ, ЕГЭ)"),
                            ("career", "Помощь в выборе профессии"),
                            ("projects", "Участие в проектах, олимпиадах, конкурсах"),
                            ("adaptation", "Помощь в адаптации в новом классе или школе"),
                            ("soft", "Развитие общения, уверенности, лидерских качеств"),
                            ("hobby", "Творчество, спорт, увлечения"),
                            ("other", "Другое"),
                        ],
                    },
                    {
                        "code": "mentee_goals_other",
                        "kind": "short_text",
                        "text": "Уточните, что ещё",
                        "condition": ("mentee_goals", ["other"]),
                    },
                    {
                        "code": "mentee_subjects",
                        "kind": "tags",
                        "vocabulary": "subject",
                        "text": "По каким предметам нужна помощь?",
                        "condition": ("mentee_goals", ["study", "exams"]),
                    },
                    {
                        "code": "mentee_requests",
                        "kind": "tags",
                        "vocabulary": "request",
                        "text": "Отметьте запросы, которые вам ближе",
                    },
                    {
                        "code": "mentee_interests",
                        "kind": "tags",
                        "vocabulary": "interest",
                        "text": "Ваши интересы и увлечения",
                    },
                ],
            },
            {
                "title": "Трудности",
                "questions": [
                    {
                        "code": "mentee_difficulties",
                        "kind": "multiple",
                        "text": "С какими трудностями вы сталкиваетесь?",
                        "choices": [
                            ("understanding", "Трудно понимать материал на уроках"),
                            ("motivation", "Не хватает желания учиться"),
                            ("communication", "Трудно общаться с одноклассниками"),
                            ("planning", "Трудно планировать время"),
                            ("anxiety", "Волнуюсь на контрольных и экзаменах"),
                            ("none", "Трудностей нет"),
                        ],
                    },
                    {
                        "code": "mentee_difficulties_text",
                        "kind": "long_text",
                        "text": "Расскажите подробнее, если хотите",
                    },
                ],
            },
            {
                "title": "Формат работы",
                "questions": [
                    {
                        "code": "mentee_preferred_mentor",
                        "kind": "single",
                        "text": "Кого вы хотели бы видеть своим наставником?",
                        "required": True,
                        "choices": [
                            ("student", "Ученика старших классов"),
                            ("teacher", "Учителя"),
                            ("college_student", "Студента"),
                            ("employer", "Специалиста с предприятия"),
                            ("any", "Не важно"),
                        ],
                    },
                    {
                        "code": "mentee_format",
                        "kind": "single",
                        "text": "Какой формат встреч вам удобнее?",
                        "choices": [
                            ("one_to_one", "Один на один"),
                            ("group", "В небольшой группе"),
                            ("online", "Онлайн"),
                            ("any", "Не важно"),
                        ],
                    },
                    {
                        "code": "mentee_frequency",
                        "kind": "single",
                        "text": "Как часто вы готовы встречаться с наставником?",
                        "choices": [
                            ("weekly", "Раз в неделю"),
                            ("biweekly", "Раз в две недели"),
                            ("monthly", "Раз в месяц"),
                        ],
                    },
                    {
                        "code": "mentee_motivation",
                        "kind": "scale5",
                        "text": "Насколько вам хочется участвовать в программе?",
                        "help_text": "1 — совсем не хочется, 5 — очень хочется.",
                    },
                ],
            },
        ],
    },
    {
        "code": "mentor_entry",
        "kind": "mentor_entry",
        "title": "Анкета наставника",
        "description": (
            "Спасибо, что готовы стать наставником. Расскажите, в чём вы можете помочь, сколько "
            "у вас времени и со сколькими наставляемыми вы готовы работать."
        ),
        "sections": [
            {
                "title": "Компетенции и опыт",
                "questions": [
                    {
                        "code": "mentor_competencies",
                        "kind": "tags",
                        "vocabulary": "competency",
                        "text": "В чём вы могли бы помочь наставляемому?",
                        "required": True,
                    },
                    {
                        "code": "mentor_subjects",
                        "kind": "tags",
                        "vocabulary": "subject",
                        "text": "По каким предметам вы можете помогать?",
                    },
                    {
                        "code": "mentor_interests",
                        "kind": "tags",
                        "vocabulary": "interest",
                        "text": "Ваши интересы и увлечения",
                    },
                    {
                        "code": "mentor_has_experience",
                        "kind": "single",
                        "text": "Был ли у вас опыт наставничества?",
                        "required": True,
                        "choices": YES_NO,
                    },
                    {
                        "code": "mentor_experience",
                        "kind": "long_text",
                        "text": "Опишите ваш опыт наставничества",
                        "condition": ("mentor_has_experience", ["yes"]),
                    },
                ],
            },
            {
                "title": "Время и нагрузка",
                "questions": [
                    {
                        "code": "mentor_hours",
                        "kind": "single",
                        "text": "Сколько времени в неделю вы готовы уделять наставничеству?",
                        "required": True,
                        "choices": [
                            ("lt1", "До 1 часа"),
                            ("1-2", "1–2 часа"),
                            ("2-4", "2–4 часа"),
                            ("gt4", "Больше 4 часов"),
                        ],
                    },
                    {
                        "code": "mentor_capacity",
                        "kind": "single",
                        "text": "Сколько наставляемых вы готовы взять?",
                        "required": True,
                        "choices": [("1", "Одного"), ("2", "Двоих"), ("3", "Троих"), ("4", "Больше трёх")],
                    },
                    {
                        "code": "mentor_mentee_types",
                        "kind": "multiple",
                        "text": "С кем вам было бы интереснее работать?",
                        "choices": [
                            ("low_achieving", "С теми, кому трудно учиться"),
                            ("gifted", "С одарёнными, мотивированными"),
                            ("adapting", "С теми, кто адаптируется к новому коллективу"),
                            ("passive", "С пассивными, неуверенными в себе"),
                            ("young_teachers", "С молодыми специалистами"),
                            ("any", "Не важно"),
                        ],
                    },
                    {
                        "code": "mentor_format",
                        "kind": "single",
                        "text": "Какой формат встреч вам удобнее?",
                        "choices": [
                            ("one_to_one", "Один на один"),
                            ("group", "С группой"),
                            ("online", "Онлайн"),
                            ("any", "Не важно"),
                        ],
                    },
                    {
                        "code": "mentor_start",
                        "kind": "date",
                        "text": "С какой даты вы можете начать?",
                    },
                ],
            },
        ],
    },
    {
        "code": "third_party",
        "kind": "third_party",
        "about_other": True,
        "title": "Информация о наставляемом (от классного руководителя, психолога, родителей)",
        "description": (
            "Куратор программы наставничества просит вас рассказать о наставляемом: какие "
            "трудности вы замечаете и в чём ему или ей нужна поддержка. Ответы видит только "
            "куратор программы."
        ),
        "sections": [
            {
                "title": "О наставляемом",
                "questions": [
                    {
                        "code": "third_party_relation",
                        "kind": "single",
                        "text": "Кем вы приходитесь наставляемому?",
                        "required": True,
                        "choices": [
                            ("class_teacher", "Классный руководитель"),
                            ("psychologist", "Педагог-психолог"),
                            ("social_pedagogue", "Социальный педагог"),
                            ("teacher", "Учитель-предметник"),
                            ("parent", "Родитель (законный представитель)"),
                            ("other", "Другое"),
                        ],
                    },
                    {
                        "code": "third_party_difficulties",
                        "kind": "multiple",
                        "text": "Какие трудности вы замечаете?",
                        "choices": [
                            ("academic", "Неуспеваемость по предметам"),
                            ("motivation", "Низкая учебная мотивация"),
                            ("communication", "Трудности в общении"),
                            ("behaviour", "Трудности в поведении"),
                            ("adaptation", "Адаптация (новый ученик, переход в 5-й или 10-й класс)"),
                            ("none", "Трудностей не замечаю"),
                        ],
                    },
                    {
                        "code": "third_party_requests",
                        "kind": "tags",
                        "vocabulary": "request",
                        "text": "В чём, по-вашему, нужна поддержка наставника?",
                    },
                    {
                        "code": "third_party_strengths",
                        "kind": "long_text",
                        "text": "Сильные стороны и интересы наставляемого",
                    },
                    {
                        "code": "third_party_form",
                        "kind": "single",
                        "text": "Какая форма наставничества, на ваш взгляд, подойдёт лучше?",
                        "choices": [
                            ("student-student", "Ученик – ученик"),
                            ("teacher-student", "Учитель – ученик"),
                            ("student-pupil", "Студент – ученик"),
                            ("employer-pupil", "Работодатель – ученик"),
                            ("unsure", "Затрудняюсь ответить"),
                        ],
                    },
                    {
                        "code": "third_party_notes",
                        "kind": "long_text",
                        "text": "Что ещё важно знать куратору?",
                    },
                ],
            },
        ],
    },
    {
        "code": "preference",
        "kind": "preference",
        "title": "Анкета предпочтений после общей встречи",
        "description": (
            "Вы познакомились на общей встрече наставников и наставляемых. Выберите тех, с кем "
            "вам хотелось бы работать, и расположите их по порядку: первым — самого "
            "желанного. Куратор постарается учесть выбор обеих сторон."
        ),
        "sections": [
            {
                "title": "Ваш выбор",
                "questions": [
                    {
                        "code": "preference_ranking",
                        "kind": "rank_people",
                        "text": "С кем вы хотели бы работать в паре? Выберите до трёх человек по порядку",
                        "required": True,
                        "rank_pool": "opposite",
                        "max_ranked": 3,
                    },
                    {
                        "code": "preference_reason",
                        "kind": "long_text",
                        "text": "Почему вы сделали такой выбор?",
                    },
                    {
                        "code": "preference_meeting_rating",
                        "kind": "scale5",
                        "text": "Насколько полезной была для вас общая встреча?",
                        "help_text": "1 — бесполезной, 5 — очень полезной.",
                    },
                ],
            },
        ],
    },
    {
        "code": "diagnostic",
        "kind": "diagnostic",
        "title": "Диагностика участника (входная и итоговая)",
        "description": (
            "Эти вопросы задаются в начале и в конце программы, чтобы увидеть, что изменилось. "
            "Отвечайте честно: правильных и неправильных ответов нет."
        ),
        "sections": [
            {
                "title": "Самооценка",
                "description": "Оцените, насколько вы согласны с каждым утверждением. " + SCALE10_HELP,
                "questions": [
                    {
                        "code": "diag_motivation",
                        "kind": "scale10",
                        "text": "Мне интересно учиться",
                        "required": True,
                    },
                    {
                        "code": "diag_goals",
                        "kind": "scale10",
                        "text": "Я умею ставить цели и планировать свою работу",
                        "required": True,
                    },
                    {
                        "code": "diag_communication",
                        "kind": "scale10",
                        "text": "Я свободно общаюсь со сверстниками и взрослыми",
                        "required": True,
                    },
                    {
                        "code": "diag_teamwork",
                        "kind": "scale10",
                        "text": "Я умею работать в команде",
                        "required": True,
                    },
                    {
                        "code": "diag_confidence",
                        "kind": "scale10",
                        "text": "Я уверен(а) в своих силах",
                        "required": True,
                    },
                    {
                        "code": "diag_involvement",
                        "kind": "scale10",
                        "text": "Я участвую в жизни школы: мероприятиях, проектах, кружках",
                        "required": True,
                    },
                    {
                        "code": "diag_career",
                        "kind": "scale10",
                        "text": "Я знаю, кем хочу стать, и понимаю, что для этого нужно",
                        "required": True,
                    },
                ],
            },
            {
                "title": "Учёба и достижения",
                "questions": [
                    {
                        "code": "diag_average_mark",
                        "kind": "single",
                        "text": "Средний балл за последнюю четверть (триместр)",
                        "choices": [
                            ("lt3", "Ниже 3"),
                            ("3-3.5", "От 3 до 3,5"),
                            ("3.5-4", "От 3,5 до 4"),
                            ("4-4.5", "От 4 до 4,5"),
                            ("4.5-5", "От 4,5 до 5"),
                        ],
                    },
                    {
                        "code": "diag_contests",
                        "kind": "single",
                        "text": "В скольких олимпиадах, конкурсах, проектах вы участвовали за полгода?",
                        "choices": [
                            ("0", "Ни в одном"),
                            ("1", "В одном"),
                            ("2-3", "В 2–3"),
                            ("4", "Больше трёх"),
                        ],
                    },
                ],
            },
        ],
    },
    {
        "code": "satisfaction_mentee",
        "kind": "satisfaction_mentee",
        "title": "Анкета удовлетворённости наставляемого",
        "description": (
            "Программа наставничества подходит к концу. Оцените, пожалуйста, как она прошла для вас. "
            + SCALE10_HELP
        ),
        "sections": [
            {
                "title": "Оценки",
                "questions": [
                    *SATISFACTION_EXPECTATIONS,
                    {
                        "code": "sat_comfort",
                        "kind": "scale10",
                        "text": "Насколько комфортно было общаться с наставником?",
                        "required": True,
                    },
                    {
                        "code": "sat_meetings",
                        "kind": "scale10",
                        "text": "Насколько полезными были встречи с наставником?",
                        "required": True,
                    },
                    {
                        "code": "sat_clarity",
                        "kind": "scale10",
                        "text": "Насколько понятны были задачи и план работы?",
                        "required": True,
                    },
                    {
                        "code": "sat_support",
                        "kind": "scale10",
                        "text": "Насколько вы чувствовали поддержку наставника, когда она была нужна?",
                        "required": True,
                    },
                ],
            },
            satisfaction_results(
                continue_text="Хотели бы вы продолжить работу в программе?",
                best_text="Что было самым полезным?",
                improve_text="Что стоит изменить в программе?",
            ),
        ],
    },
    {
        "code": "satisfaction_mentor",
        "kind": "satisfaction_mentor",
        "title": "Анкета удовлетворённости наставника",
        "description": (
            "Спасибо за вашу работу наставником. Оцените, пожалуйста, как прошла программа. " + SCALE10_HELP
        ),
        "sections": [
            {
                "title": "Оценки",
                "questions": [
                    *SATISFACTION_EXPECTATIONS,
                    {
                        "code": "sat_comfort",
                        "kind": "scale10",
                        "text": "Насколько комфортно было работать с наставляемым?",
                        "required": True,
                    },
                    {
                        "code": "sat_meetings",
                        "kind": "scale10",
                        "text": "Насколько полезными, по-вашему, были встречи для наставляемого?",
                        "required": True,
                    },
                    {
                        "code": "sat_clarity",
                        "kind": "scale10",
                        "text": "Насколько понятны были цели, задачи и этапы программы?",
                        "required": True,
                    },
                    {
                        "code": "sat_support",
                        "kind": "scale10",
                        "text": "Насколько вы чувствовали поддержку куратора программы?",
                        "required": True,
                    },
                    {
                        "code": "sat_self_realisation",
                        "kind": "scale10",
                        "text": "Насколько вам удалось реализовать себя как наставнику?",
                        "required": True,
                    },
                ],
            },
            satisfaction_results(
                continue_text="Хотели бы вы снова стать наставником?",
                best_text="Что получилось лучше всего?",
                improve_text="Чего вам не хватало?",
            ),
        ],
    },
    {
        "code": "program_quality",
        "kind": "program_quality",
        "title": "Анкета качества реализации программы наставничества",
        "description": (
            "Мониторинг качества процесса реализации программы: оценки участников и SWOT-анализ. "
            + SCALE10_HELP
        ),
        "sections": [
            {
                "title": "Оценки",
                "questions": [
                    {
                        "code": "quality_role",
                        "kind": "single",
                        "text": "Ваша роль в программе",
                        "required": True,
                        "choices": [
                            ("mentor", "Наставник"),
                            ("mentee", "Наставляемый"),
                            ("curator", "Куратор"),
                            ("parent", "Родитель"),
                            ("other", "Другое"),
                        ],
                    },
                    {
                        "code": "quality_organisation",
                        "kind": "scale10",
                        "text": "Организация программы в целом",
                        "required": True,
                    },
                    {
                        "code": "quality_goals",
                        "kind": "scale10",
                        "text": "Понятность целей и этапов программы",
                        "required": True,
                    },
                    {
                        "code": "quality_information",
                        "kind": "scale10",
                        "text": "Информирование участников куратором",
                        "required": True,
                    },
                    {
                        "code": "quality_schedule",
                        "kind": "scale10",
                        "text": "Удобство графика встреч",
                        "required": True,
                    },
                    {
                        "code": "quality_conditions",
                        "kind": "scale10",
                        "text": "Условия для встреч: помещение, время, материалы",
                        "required": True,
                    },
                ],
            },
            {
                "title": "SWOT-анализ программы",
                "questions": [
                    {"code": "swot_strengths", "kind": "long_text", "text": "Сильные стороны программы"},
                    {"code": "swot_weaknesses", "kind": "long_text", "text": "Слабые стороны программы"},
                    {"code": "swot_opportunities", "kind": "long_text", "text": "Возможности для развития"},
                    {"code": "swot_threats", "kind": "long_text", "text": "Риски и угрозы"},
                ],
            },
        ],
    },
]


def install_builtin_templates(questionnaire_model: Any, section_model: Any, question_model: Any) -> int:
    """Create every built-in template that is missing (by code). Returns how many were created.

    Takes the model classes so that a data migration can pass its historical models.
    """
    created = 0
    existing = set(
        questionnaire_model.objects.filter(program__isnull=True, is_latest=True).values_list(
            "builtin_code", flat=True
        )
    )
    for template in TEMPLATES:
        if template["code"] in existing:
            continue
        questionnaire = questionnaire_model.objects.create(
            program=None,
            kind=template["kind"],
            title=template["title"],
            description=template.get("description", ""),
            about_other=template.get("about_other", False),
            builtin_code=template["code"],
        )
        by_code: dict[str, Any] = {}
        for section_position, section_data in enumerate(template["sections"], start=1):
            section = section_model.objects.create(
                questionnaire=questionnaire,
                title=section_data["title"],
                description=section_data.get("description", ""),
                position=section_position,
            )
            for position, data in enumerate(section_data["questions"], start=1):
                condition = data.get("condition")
                question = question_model.objects.create(
                    questionnaire=questionnaire,
                    section=section,
                    position=position,
                    code=data["code"],
                    kind=data["kind"],
                    text=data["text"],
                    help_text=data.get("help_text", ""),
                    required=data.get("required", False),
                    choices=[{"id": cid, "label": label} for cid, label in data.get("choices", [])],
                    vocabulary=data.get("vocabulary", ""),
                    rank_pool=data.get("rank_pool", "opposite"),
                    max_ranked=data.get("max_ranked", 3),
                    condition_question=by_code[condition[0]] if condition else None,
                    condition_choices=list(condition[1]) if condition else [],
                )
                by_code[question.code] = question
        created += 1
    return created
