"""Fill the station and fiscal year that expenditures now repeat from their budget lines."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    BudgetLine = apps.get_model("budget", "BudgetLine")
    line = BudgetLine.objects.filter(pk=OuterRef("line_id"))
    for name in ("Expenditure", "HistoricalExpenditure"):
        model = apps.get_model("budget", name)
        model.objects.update(
            station_id=Subquery(line.values("station_id")[:1]),
            fiscal_year=Subquery(line.values("year")[:1]),
        )
    # A history row of a line deleted since: the year of its date.
    History = apps.get_model("budget", "HistoricalExpenditure")
    for row in History.objects.filter(fiscal_year__isnull=True).only("pk", "date"):
        History.objects.filter(pk=row.pk).update(fiscal_year=row.date.year)


class Migration(migrations.Migration):
    dependencies = [("budget", "0004_expenditure_station_year_and_voiding")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
