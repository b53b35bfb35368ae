"""A guard on the rule «views never read personal data around the access layer»: no view module
looks people or consents up by key with the bare model manager."""

import re
from pathlib import Path

import nastavnik

PERSONAL_MODELS = ("Person", "Consent", "GuardianLink")
_NAMES = "|".join(PERSONAL_MODELS)
BYPASS = re.compile(rf"(?:get_object_or_404\(\s*(?:{_NAMES})\s*,)|(?:\b(?:{_NAMES})\.objects\.(?:get|all)\()")


def view_modules():
    root = Path(nastavnik.__file__).parent
    return sorted(p for p in root.rglob("views*.py")) + sorted(root.rglob("views/*.py"))


def test_view_modules_exist():
    assert any(p.name == "views.py" for p in view_modules())


def test_no_view_reads_people_or_consents_around_the_access_layer():
    offenders = []
    for path in view_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if BYPASS.search(line):
                offenders.append(
                    f"{path.relative_to(Path(nastavnik.__file__).parent)}:{number}: {line.strip()}"
                )
    assert offenders == [], "Use visible_<things>_for(user) / get_<thing>_for_user:\n" + "\n".join(offenders)
