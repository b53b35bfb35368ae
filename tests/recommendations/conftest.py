from tests.mentoring.conftest import (  # noqa: F401
    mentee_user,
    mentor_user,
    other_pair,
    pair,
    parent_user,
    program,
)
from tests.surveys.conftest import program_x, program_y  # noqa: F401
