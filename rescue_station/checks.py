"""System checks of the project's own rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models


def project_models() -> list[type[models.Model]]:
    """The concrete models of the project's own apps (not Django's, not a library's), without
    the history tables and many-to-many tables made for them."""
    from simple_history.models import HistoricalChanges

    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        for model in config.get_models():
            if not (model._meta.auto_created or issubclass(model, HistoricalChanges)):
                found.append(model)
    return found


@checks.register(checks.Tags.models)
def check_plausible_models(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every model of the project derives from ``Plausible``, so that its dates and texts obey
    the rules of ``rescue_station.plausible`` like every other record's."""
    from .models import Plausible

    return [
        checks.Error(
            f"{model._meta.label} does not derive from rescue_station.models.Plausible.",
            hint="Derive it from Plausible (or Versioned), as every model of the project does.",
            obj=model,
            id="rescue_station.E001",
        )
        for model in project_models()
        if not issubclass(model, Plausible)
    ]
