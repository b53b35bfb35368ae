"""Before partners had their own register, a partner was an organisation marked «партнёр» in the
admin, and a partner's employee carried the employer as free text. Both become partners here:
a marked organisation is a partner of its municipality (linked to the organisation record), and an
employer written on a partner employee is a partner («предприятие») of the employee's school, the
employee linked to it. Carries its own logic: no live code is imported."""

from django.db import migrations

PARTNER_KIND = "partner"
PARTNER_EMPLOYEE = "partner_employee"


def forwards(apps, schema_editor):
    Organisation = apps.get_model("orgs", "Organisation")
    Person = apps.get_model("registry", "Person")
    Partner = apps.get_model("partners", "Partner")
    PartnerEmployee = apps.get_model("partners", "PartnerEmployee")
    for organisation in Organisation.objects.filter(kind=PARTNER_KIND):
        Partner.objects.get_or_create(
            organisation=organisation,
            defaults={
                "owner_municipality_id": organisation.municipality_id,
                "kind": "other",
                "name": organisation.name,
                "address": organisation.address,
            },
        )
    # One partner per school and employer name, compared case-folded in Python (SQLite's LIKE
    # folds only ASCII case, and «ООО «Ромашка»» and «ооо «ромашка»» are one employer).
    partners = {
        (p.owner_organisation_id, " ".join(p.name.split()).casefold()): p
        for p in Partner.objects.filter(owner_organisation__isnull=False)
    }
    employees = Person.objects.filter(kind=PARTNER_EMPLOYEE).exclude(employer="").order_by("pk")
    for person in employees.iterator():
        name = " ".join(person.employer.split())
        key = (person.organisation_id, name.casefold())
        if key not in partners:
            partners[key] = Partner.objects.create(
                owner_organisation_id=person.organisation_id, kind="employer", name=name
            )
        PartnerEmployee.objects.get_or_create(person=person, defaults={"partner": partners[key]})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_partners_and_agreements")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
