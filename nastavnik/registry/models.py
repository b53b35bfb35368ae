"""The registry (база наставников и наставляемых): people of an organisation, the categories
target indicators count, guardians of minors, participation in programs, and consents."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.base.time import full_years_between, today_in, years_before
from nastavnik.orgs.models import Organisation, Program


class PersonKind(models.TextChoices):
    STUDENT = "student", "Обучающийся"
    COLLEGE_STUDENT = "college_student", "Студент СПО"
    TEACHER = "teacher", "Педагог"
    STAFF = "staff", "Сотрудник (не педагог)"
    PARENT = "parent", "Родитель (законный представитель)"
    GRADUATE = "graduate", "Выпускник"
    PARTNER_EMPLOYEE = "partner_employee", "Сотрудник организации-партнёра"


# People whose age decides whether a legal representative must consent.
LEARNER_KINDS = frozenset({PersonKind.STUDENT, PersonKind.COLLEGE_STUDENT})

SCHOOL_CLASS_RE = re.compile(r"^\s*(?P<grade>1[0-2]|[1-9])\s*[-–]?\s*(?P<letter>[А-ЯЁа-яё]{0,2})\s*$")


def parse_school_class(value: str) -> tuple[int, str] | None:
    """«7Б», «7 б», «11-А» → (7, "Б"). None if the value is not a class name."""
    match = SCHOOL_CLASS_RE.match(value or "")
    if not match:
        return None
    return int(match["grade"]), match["letter"].upper()


def normalise_for_search(*parts: str) -> str:
    return " ".join(p for p in parts if p).lower().replace("ё", "е")


class Category(models.Model):
    """A category that target indicators count (ОВЗ, трудная жизненная ситуация, …).

    Reference data: built-ins are created by a data migration, a region may add its own.
    """

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("название", max_length=200)
    short_name = models.CharField("кратко", max_length=40)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = "категория участников"
        verbose_name_plural = "категории участников"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class TagVocabulary(models.TextChoices):
    SUBJECT = "subject", "Предметы"
    INTEREST = "interest", "Интересы"
    COMPETENCY = "competency", "Компетенции"
    REQUEST = "request", "Запросы"


class Tag(models.Model):
    vocabulary = models.CharField("словарь", max_length=20, choices=TagVocabulary.choices)
    name = models.CharField("название", max_length=150)

    class Meta:
        verbose_name = "тег"
        verbose_name_plural = "теги"
        ordering = ["vocabulary", "name"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "name"], name="tag_unique_in_vocabulary")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    kind = models.CharField("кто это", max_length=20, choices=PersonKind.choices)
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    # A student's class: grade and letter are stored apart so that «7–9 классы» is a range query.
    grade = models.PositiveSmallIntegerField("класс (параллель)", null=True, blank=True)
    class_letter = models.CharField("литера класса", max_length=2, blank=True)
    study_group = models.CharField("группа / курс (СПО)", max_length=50, blank=True)
    position = models.CharField("должность", max_length=200, blank=True)
    subjects = models.CharField("преподаваемые предметы", max_length=300, blank=True)
    experience_years = models.PositiveSmallIntegerField("педагогический стаж, лет", null=True, blank=True)
    # Experience grows with time: the value is kept with the date it was true on, and the start of
    # the career is derived from both, so experience on any date is exact (a young specialist in
    # 2021 is not one in 2024, and indicators for past dates must know that).
    experience_on = models.DateField("стаж указан на дату", null=True, blank=True)
    teaching_since = models.DateField("педагогический стаж с", null=True, blank=True, editable=False)
    is_young_specialist = models.BooleanField("молодой специалист", default=False)
    employer = models.CharField("место работы (для партнёров)", max_length=300, blank=True)
    graduation_year = models.PositiveSmallIntegerField("год выпуска", null=True, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=30, blank=True)
    categories = models.ManyToManyField(Category, verbose_name="категории", blank=True)
    joined_on = models.DateField("в организации с", null=True, blank=True)
    left_on = models.DateField("выбыл(а)", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="учётная запись",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    notes = models.TextField("примечание", blank=True)
    # Lower-cased name and e-mail with ё→е: SQLite's LIKE folds only ASCII case, so search
    # for «орло» must not depend on the database's idea of Cyrillic case.
    search_text = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "участник"
        verbose_name_plural = "участники"
        ordering = ["last_name", "first_name", "middle_name", "id"]
        indexes = [
            models.Index(fields=["organisation", "kind"]),
            models.Index(fields=["organisation", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],  # type: ignore[misc]
                "search_text",
                "experience_on",
                "teaching_since",
            }
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def fill_derived_fields(self) -> None:
        """The search key and the start of the career; bulk creation must call this itself."""
        self.search_text = normalise_for_search(self.last_name, self.first_name, self.middle_name, self.email)
        if self.experience_years is None:
            self.teaching_since = None
        else:
            self.experience_on = self.experience_on or today_in()
            self.teaching_since = years_before(self.experience_on, self.experience_years)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{self.last_name} {initials}".strip()

    @property
    def school_class(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        return full_years_between(self.birth_date, day)

    def experience_at(self, day: dt.date) -> int | None:
        """Pedagogical experience in whole years on `day`."""
        if self.teaching_since is None:
            return self.experience_years
        return max(0, full_years_between(self.teaching_since, day))

    @property
    def experience_today(self) -> int | None:
        return self.experience_at(today_in())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind in LEARNER_KINDS and self.birth_date is None:
            errors["birth_date"] = (
                "Для обучающегося укажите дату рождения: от неё зависит, чьё согласие нужно."
            )
        if self.birth_date and self.birth_date > today_in():
            errors["birth_date"] = "Дата рождения не может быть в будущем."
        if self.grade is not None and self.kind != PersonKind.STUDENT:
            errors["grade"] = "Класс указывается только для обучающихся школы."
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = "Дата выбытия раньше даты прихода."
        if errors:
            raise ValidationError(errors)


# The person's own fields a curator edits, in the order the form shows them.
PERSON_FORM_FIELDS = (
    "kind",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "study_group",
    "position",
    "subjects",
    "experience_years",
    "is_young_specialist",
    "employer",
    "graduation_year",
    "email",
    "phone",
    "joined_on",
    "left_on",
    "notes",
)


class GuardianLink(models.Model):
    """A legal representative (законный представитель) of a minor."""

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ward_links")
    relation = models.CharField("кем приходится", max_length=50, default="родитель")

    class Meta:
        verbose_name = "законный представитель"
        verbose_name_plural = "законные представители"
        constraints = [models.UniqueConstraint(fields=["child", "guardian"], name="guardian_link_unique")]

    def __str__(self) -> str:
        return f"{self.guardian} — {self.relation} {self.child}"


class ParticipationRole(models.TextChoices):
    MENTOR = "mentor", "Наставник"
    MENTEE = "mentee", "Наставляемый"


class ParticipationStatus(models.TextChoices):
    CANDIDATE = "candidate", "Кандидат"
    ADMITTED = "admitted", "Допущен(а)"
    IN_PAIR = "in_pair", "В паре / группе"
    COMPLETED = "completed", "Завершил(а) программу"
    WITHDRAWN = "withdrawn", "Выбыл(а)"


class Participation(models.Model):
    """A person's place in a program: a candidate mentor or mentee, with requests/competencies."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField("роль", max_length=10, choices=ParticipationRole.choices)
    status = models.CharField(
        "статус", max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.CANDIDATE
    )
    preferred_form = models.ForeignKey(
        "orgs.MentoringForm",
        verbose_name="форма наставничества",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    tags = models.ManyToManyField(Tag, verbose_name="запросы / компетенции", blank=True)
    details = models.TextField("запрос наставляемого / опыт наставника", blank=True)
    capacity = models.PositiveSmallIntegerField("сколько наставляемых может взять", null=True, blank=True)
    added_on = models.DateField("добавлен(а)", default=today_in)

    class Meta:
        verbose_name = "участие в программе"
        verbose_name_plural = "участие в программах"
        ordering = ["program", "role", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person", "role"], name="participation_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.program})"


SCAN_FORMATS = ("pdf", "jpeg", "png")


class ConsentKind(models.TextChoices):
    PROCESSING = "processing", "Обработка персональных данных"
    DISTRIBUTION = "distribution", "Распространение (ст. 10.1 152-ФЗ)"


class ConsentGiver(models.TextChoices):
    SELF = "self", "Сам участник"
    REPRESENTATIVE = "representative", "Законный представитель"


class Consent(models.Model):
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(
        "вид согласия", max_length=20, choices=ConsentKind.choices, default=ConsentKind.PROCESSING
    )
    given_by = models.CharField("кем дано", max_length=20, choices=ConsentGiver.choices)
    representative = models.ForeignKey(
        Person,
        verbose_name="законный представитель",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_given",
    )
    purposes = models.TextField(
        "цели обработки",
        default="Участие в программе наставничества: формирование базы наставников и наставляемых, "
        "анкетирование, формирование пар и групп, мониторинг и отчётность.",
    )
    signed_on = models.DateField("дата подписания")
    valid_until = models.DateField("действует до", null=True, blank=True)
    # A private file under a random name, served by registry:consent_document to those who may see it.
    document = models.FileField(
        "скан документа",
        upload_to=RandomName("consents"),
        storage=private_storage,
        blank=True,
        validators=[FileContentValidator(SCAN_FORMATS, "SCAN_UPLOAD_MAX_MB")],
    )
    revoked_on = models.DateField("отозвано", null=True, blank=True)
    revocation_reason = models.CharField("причина отзыва", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "согласие на обработку персональных данных"
        verbose_name_plural = "согласия на обработку персональных данных"
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["subject", "kind", "given_by"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject} ({self.get_given_by_display()}, {self.signed_on:%d.%m.%Y})"

    def is_active_on(self, day: dt.date) -> bool:
        if self.signed_on > day:
            return False
        if self.revoked_on and self.revoked_on <= day:
            return False
        return not (self.valid_until and self.valid_until < day)


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "В очереди"
    CHECKING = "checking", "Проверяем строки"
    WRITING = "writing", "Записываем в базу"
    DONE = "done", "Загружено"
    REJECTED = "rejected", "В файле ошибки"
    FAILED = "failed", "Не удалось загрузить"


RUNNING_IMPORT_STATUSES = (ImportJobStatus.QUEUED, ImportJobStatus.CHECKING, ImportJobStatus.WRITING)


def stalled_import_cutoff() -> dt.datetime:
    """A running import whose last sign of work is older than this has lost its task."""
    return timezone.now() - dt.timedelta(minutes=settings.IMPORT_STALLED_MINUTES)


class ImportJob(models.Model):
    """A long class list import that runs in the background (the task runner of `TASKS`): its
    state and progress, so the page that shows it survives a reload."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто загрузил",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField("файл", max_length=255)
    token = models.CharField("загруженный файл (ключ хранения)", max_length=64, blank=True)
    mapping = models.JSONField("столбцы", default=dict)
    default_kind = models.CharField("вид участника по умолчанию", max_length=20)
    skip_existing = models.BooleanField("пропускать тех, кто уже в базе", default=True)
    status = models.CharField(
        "состояние", max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField("строк в файле", default=0)
    rows_checked = models.PositiveIntegerField("строк проверено", default=0)
    summary = models.CharField("итог", max_length=300, blank=True)
    created_total = models.PositiveIntegerField("добавлено участников", default=0)
    problems = models.JSONField("ошибки (первые)", default=list, blank=True)
    problem_count = models.PositiveIntegerField("ошибок всего", default=0)
    created_at = models.DateTimeField("начато", auto_now_add=True)
    finished_at = models.DateTimeField("закончено", null=True, blank=True)
    # The task runner's last sign of work on the job (queued, a thousand rows checked, the write
    # begun): a job running with none for `IMPORT_STALLED_MINUTES` has lost its task (the runner
    # was stopped or killed, or is not running at all) and may be started again.
    heartbeat_at = models.DateTimeField("последний признак работы", default=timezone.now)
    # Which start of the job may work on it: starting it again counts up, and a task of an
    # earlier start, if it is still alive, changes nothing more (`services.imports`).
    attempt = models.PositiveSmallIntegerField("запуск", default=0)

    class Meta:
        verbose_name = "загрузка списка"
        verbose_name_plural = "загрузки списков"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_IMPORT_STATUSES

    @property
    def is_stalled(self) -> bool:
        """Running, but without a sign of work for `IMPORT_STALLED_MINUTES` (a list of 60,000
        rows is checked a thousand at a time and written within a minute)."""
        return self.is_running and self.heartbeat_at < stalled_import_cutoff()

    @property
    def percent(self) -> int:
        """Checking the rows fills the bar to 90 %; the write, one transaction whose progress
        no other connection can see, the rest."""
        if self.status == ImportJobStatus.DONE:
            return 100
        if self.status == ImportJobStatus.WRITING:
            return 90
        if not self.rows_total:
            return 0
        return int(90 * min(self.rows_checked, self.rows_total) / self.rows_total)
