"""What a restore must give back, as JSON: the rows of every model, the audit log entry by
entry, and every stored file by its checksum. `python -m tests.base.instance_snapshot` prints it
for the instance of the environment (the restored one); the tests compute it in-process too."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def describe() -> dict[str, Any]:
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.db import models

    from nastavnik.base.backup import model_counts

    # Values as canonical JSON: a dict read back from a JSON column may keep its keys in another
    # order, which is not a change.
    audit = [
        json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)
        for row in LogEntry.objects.order_by("pk").values_list(
            "pk",
            "content_type__app_label",
            "content_type__model",
            "object_pk",
            "action",
            "changes",
            "actor_id",
            "timestamp",
            "remote_addr",
        )
    ]
    files = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                for name in model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                ):
                    with field.storage.open(name) as handle:
                        files[f"{model._meta.label}.{field.name}:{name}"] = hashlib.sha256(
                            handle.read()
                        ).hexdigest()
    return {"counts": model_counts(), "audit": audit, "files": files}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(describe(), ensure_ascii=False))
