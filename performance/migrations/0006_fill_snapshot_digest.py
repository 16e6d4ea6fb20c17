"""The digest of the frozen figures for evaluations finalised before it was kept."""

import hashlib
import json

from django.db import migrations


def fill(apps, schema_editor):
    # The same canonical form as performance.report.snapshot_digest, written out here so that
    # this migration keeps meaning what it meant when the code changes.
    Evaluation = apps.get_model("performance", "Evaluation")
    for evaluation in Evaluation.objects.filter(status="final", snapshot_sha256="").exclude(
        snapshot=None
    ):
        canonical = json.dumps(
            evaluation.snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        evaluation.snapshot_sha256 = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        evaluation.save(update_fields=["snapshot_sha256"])


class Migration(migrations.Migration):
    dependencies = [("performance", "0005_snapshot_digest")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
