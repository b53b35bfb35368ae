"""The built-in forms of encouragement (the federal recommendations on mentoring of teachers list
material and non-material ones); an organisation adds its own. The migration carries its own
frozen copy; this one restores them where a database was emptied (demo, live-server tests)."""

from __future__ import annotations

from .models import AwardKind

BUILTIN_AWARD_KINDS = [
    ("Благодарность", "Объявить благодарность {ФИО}", "datv", False, "letter", 10),
    ("Почётная грамота", "Наградить почётной грамотой {ФИО}", "accs", False, "diploma", 20),
    ("Премия", "Выплатить премию {ФИО} в размере {сумма} руб.", "datv", True, "none", 30),
    (
        "Надбавка за наставничество",
        "Установить ежемесячную надбавку за осуществление наставнической деятельности {ФИО} в размере {сумма} руб.",
        "datv",
        True,
        "none",
        40,
    ),
    ("Включение в кадровый резерв", "Включить {ФИО} в кадровый резерв", "accs", False, "none", 50),
    (
        "Представление к ведомственной награде",
        "Ходатайствовать о представлении {ФИО} к ведомственной награде Министерства просвещения Российской Федерации",
        "gent",
        False,
        "none",
        60,
    ),
]


def ensure_builtin_award_kinds() -> None:
    for name, clause, case, material, certificate, order in BUILTIN_AWARD_KINDS:
        AwardKind.objects.get_or_create(
            organisation=None,
            name=name,
            defaults={
                "clause": clause,
                "name_case": case,
                "is_material": material,
                "certificate": certificate,
                "sort_order": order,
            },
        )
