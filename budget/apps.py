from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget")
    # (url name, label, permission): see rescue_station.navigation.
    nav_items = [
        ("budget:execution", _("Budget execution"), "budget.view_budgetline"),
        ("budget:line_list", _("Budget lines"), "budget.view_budgetline"),
        ("budget:expenditure_list", _("Expenditures"), "budget.view_expenditure"),
        ("budget:project_list", _("Projects"), "budget.view_project"),
    ]
