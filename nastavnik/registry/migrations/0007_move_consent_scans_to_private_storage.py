"""Move the consent scans stored under MEDIA_ROOT (served by /media/ under `make run`) into the private
storage under random names. Files missing on disk are left as they are (the row keeps its name;
the download view answers 404). Frozen: settings and the file system only, no live code."""

import shutil
import uuid
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import migrations

MOVES = [("Consent", "document", "consents")]


def move_files_to_private_storage(apps, schema_editor):
    media = Path(settings.MEDIA_ROOT).resolve()
    private = Path(settings.PRIVATE_FILE_ROOT)
    for model_name, field, folder in MOVES:
        model = apps.get_model("registry", model_name)
        rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
        for pk, old_name in list(rows):
            source = (media / old_name).resolve()
            if media not in source.parents or not source.is_file():
                continue
            suffix = PurePosixPath(old_name).suffix.lower()
            if not suffix[1:].isalnum() or len(suffix) > 6:
                suffix = ""
            new_name = f"{folder}/{uuid.uuid4().hex}{suffix}"
            target = private / new_name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), str(target))
            model.objects.filter(pk=pk).update(**{field: new_name})


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_consent_scans_in_private_storage")]

    operations = [migrations.RunPython(move_files_to_private_storage, migrations.RunPython.noop)]
