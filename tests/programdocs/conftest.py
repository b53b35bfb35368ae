import pytest

from nastavnik.mentoring.services import plans
from tests.mentoring.conftest import (  # noqa: F401 — fixtures shared with the pairs' tests
    account_for,
    make_pair,
    mentee_user,
    mentor_user,
    pair,
    parent_user,
    program,
)


@pytest.fixture
def documented_program(program, school_x, school_x_curator):  # noqa: F811 — the imported fixture
    school_x.name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»"
    school_x.head_name = "Кузнецова Елена Викторовна"
    school_x.head_position = "Директор"
    school_x.address = "г. Энск, ул. Ленина, 5"
    school_x.save()
    program.title = "Шаг в будущее"
    program.curator = school_x_curator
    program.goals = "Раскрытие личностного потенциала каждого обучающегося"
    program.tasks = "Адаптация пятиклассников\nПрофориентация старшеклассников"
    program.expected_results = "Рост успеваемости наставляемых"
    program.target_groups = "Обучающиеся 5–9 классов"
    program.save()
    return program


@pytest.fixture
def plan(pair, mentor_user):  # noqa: F811 — the imported fixtures
    return plans.plan_create(acting_user=mentor_user, group=pair)
