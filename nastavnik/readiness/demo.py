"""Demo: school 1 has its Положение ticked by hand; the training of mentors is still open."""

from __future__ import annotations

from nastavnik.accounts.models import Role, RoleAssignment, User

from .models import ManualTick


def build_readiness_demo() -> bool:
    curator = User.objects.filter(username="curator1").first()
    assignment = RoleAssignment.objects.filter(user=curator, role=Role.PROGRAM_CURATOR).first()
    if assignment is None or assignment.organisation is None:
        return False
    _, created = ManualTick.objects.get_or_create(
        organisation=assignment.organisation,
        code="regulation",
        defaults={"done": True, "note": "Положение утверждено приказом № 112 от 29.08", "ticked_by": curator},
    )
    return created
