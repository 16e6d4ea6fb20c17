from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (the Zhuzhou station, a user per role, 2024 to today) and ``load_demo``.

    One module per domain app writes that app's demo records through the app's own models and
    services; no domain app imports this one, so production ships no generated data it runs.
    """

    name = "demo"
