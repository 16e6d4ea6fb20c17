"""The performance app's files: the self-evaluation (JSON, HTML, PDF, XLSX), the monitoring form
(JSON, PDF, XLSX), the declared targets (绩效目标表: PDF, XLSX) and a framework's indicators (XLSX).

A finalised evaluation answers from what was frozen when it was finalised: the JSON from its
snapshot, the PDF from the stored file (whose SHA-256 is on record), the HTML and the XLSX from the
report rebuilt from the snapshot (``evaluation_report``). Records changed later change none of them.
"""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from rescue_station.exporting import HTML, JSON, PDF, Export, Exporter, XlsxExporter, json_bytes

from . import declaration_rendering, monitoring_rendering
from .declaration import build_declaration
from .models import Framework
from .monitoring_report import monitoring_report
from .rendering import render_html, render_pdf, render_xlsx
from .selectors import evaluation_for, evaluation_report
from .sheets import framework_workbook

# ---- the self-evaluation -----------------------------------------------------------------------


class EvaluationExporter(Exporter):
    """The self-evaluation of a framework's year."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.evaluation = evaluation_for(framework)

    @property
    def frozen(self) -> bool:
        return self.evaluation.is_final

    def filename(self) -> str:
        framework = self.framework
        return f"{framework.year}年度{framework.station.name}整体支出绩效自评报告.{self.extension}"


class EvaluationJSON(EvaluationExporter):
    identifier = "json"
    verbose_name = "JSON"
    extension = "json"
    content_type = JSON

    def render(self) -> Export:
        if self.frozen and self.evaluation.snapshot:
            payload = self.evaluation.snapshot["evaluation"]
        else:
            payload = evaluation_report(self.framework).to_json()
        return self.export(json_bytes(payload), inline=True)


class EvaluationHTML(EvaluationExporter):
    identifier = "html"
    verbose_name = "HTML"
    extension = "html"
    content_type = HTML

    def render(self) -> Export:
        return self.export(render_html(evaluation_report(self.framework)).encode(), inline=True)


class EvaluationPDF(EvaluationExporter):
    identifier = "pdf"
    verbose_name = "PDF"
    extension = "pdf"
    content_type = PDF

    def render(self) -> Export:
        if self.frozen and self.evaluation.pdf:
            with self.evaluation.pdf.open("rb") as stored:
                content = stored.read()  # the stored PDF: its SHA-256 is on record
        else:
            content = render_pdf(evaluation_report(self.framework))
        return self.export(content)

    def ascii_filename(self) -> str:
        return f"report-{self.framework.year}.pdf"


class EvaluationXLSX(EvaluationExporter, XlsxExporter):
    identifier = "xlsx"
    verbose_name = "Excel"

    def filename(self) -> str:
        return f"{self.framework.year}年度部门（单位）整体支出绩效自评表.xlsx"

    def workbook(self) -> Workbook:
        return render_xlsx(evaluation_report(self.framework))


EVALUATION_EXPORTERS: dict[str, type[EvaluationExporter]] = {
    exporter.identifier: exporter
    for exporter in (EvaluationJSON, EvaluationHTML, EvaluationPDF, EvaluationXLSX)
}


def evaluation_export(framework: Framework, fmt: str) -> Export:
    """The self-evaluation as ``fmt`` (one of ``EVALUATION_EXPORTERS``)."""
    return EVALUATION_EXPORTERS[fmt](framework).render()


# ---- the monitoring form -----------------------------------------------------------------------


class MonitoringExporter(Exporter):
    """The monitoring form of a framework as of a day (one marked as sent answers as it was sent:
    ``monitoring_report`` decides)."""

    def __init__(self, framework: Framework, as_of: datetime.date) -> None:
        self.framework = framework
        self.as_of = as_of
        self.report = monitoring_report(framework, as_of)

    def filename(self) -> str:
        framework = self.framework
        return (
            f"{framework.year}年度{framework.station.name}绩效运行监控表"
            f"（截至{self.as_of}）.{self.extension}"
        )

    def ascii_filename(self) -> str:
        return f"monitoring-{self.framework.year}-{self.as_of}.{self.extension}"


class MonitoringJSON(MonitoringExporter):
    identifier = "json"
    verbose_name = "JSON"
    extension = "json"
    content_type = JSON

    def render(self) -> Export:
        return self.export(json_bytes(self.report.to_json()))


class MonitoringPDF(MonitoringExporter):
    identifier = "pdf"
    verbose_name = "PDF"
    extension = "pdf"
    content_type = PDF

    def render(self) -> Export:
        return self.export(monitoring_rendering.render_pdf(self.report))


class MonitoringXLSX(MonitoringExporter, XlsxExporter):
    identifier = "xlsx"
    verbose_name = "Excel"

    def workbook(self) -> Workbook:
        return monitoring_rendering.render_xlsx(self.report)


MONITORING_EXPORTERS: dict[str, type[MonitoringExporter]] = {
    exporter.identifier: exporter for exporter in (MonitoringJSON, MonitoringPDF, MonitoringXLSX)
}


def monitoring_export(framework: Framework, as_of: datetime.date, fmt: str) -> Export:
    """The monitoring form as of ``as_of`` as ``fmt`` (one of ``MONITORING_EXPORTERS``)."""
    return MONITORING_EXPORTERS[fmt](framework, as_of).render()


# ---- the declared targets (绩效目标表) ---------------------------------------------------------


class DeclarationExporter(Exporter):
    """The framework's targets as declared, approved and adjusted."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework

    def filename(self) -> str:
        framework = self.framework
        return f"{framework.year}年度{framework.station.name}整体支出绩效目标表.{self.extension}"

    def ascii_filename(self) -> str:
        return f"targets-{self.framework.year}.{self.extension}"


class DeclarationPDF(DeclarationExporter):
    identifier = "pdf"
    verbose_name = "PDF"
    extension = "pdf"
    content_type = PDF

    def render(self) -> Export:
        return self.export(declaration_rendering.render_pdf(build_declaration(self.framework)))


class DeclarationXLSX(DeclarationExporter, XlsxExporter):
    identifier = "xlsx"
    verbose_name = "Excel"

    def workbook(self) -> Workbook:
        return declaration_rendering.render_xlsx(build_declaration(self.framework))


DECLARATION_EXPORTERS: dict[str, type[DeclarationExporter]] = {
    exporter.identifier: exporter for exporter in (DeclarationPDF, DeclarationXLSX)
}


# ---- a framework's indicators ------------------------------------------------------------------


class FrameworkXLSX(XlsxExporter):
    """The indicator lines as the import template reads them back."""

    identifier = "framework"
    verbose_name = "Excel"

    def __init__(self, framework: Framework) -> None:
        self.framework = framework

    def filename(self) -> str:
        return f"{self.framework.year}年度绩效指标-{self.framework.station.name}.xlsx"

    def workbook(self) -> Workbook:
        return framework_workbook(self.framework)
