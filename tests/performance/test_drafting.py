"""Sentences with figures drafted from the records, editable before they are saved."""

from django.urls import reverse

from performance.models import ReportSection
from performance.selectors import narrative_drafts


def test_the_drafts_carry_the_years_figures(demo_2024):
    drafts = narrative_drafts(demo_2024)
    assert drafts["budget"] == (
        "2024年基本支出665.78万元，项目支出417万元，其中人员经费562.58万元，公用经费103.2万元。"
    )
    assert drafts["government_funds"] == "2024年政府性基金预算支出20万元。"
    assert "（5577人天次）" in drafts["performance"] and "护送返乡107人" in drafts["performance"]
    assert "全年未发生一起安全责任事故。" in drafts["performance"]
    assert "99.2分" in drafts["performance"]
    assert "1、流浪乞讨救助人次数目标值为7500，全年实际完成值为5577。原因是" in drafts["problems"]
    assert drafts["next_steps"].startswith("（一）进一步加强预算绩效管理")


def test_a_draft_is_shown_for_editing_and_saved_only_on_save(demo_2024, client_for):
    client = client_for("finance_officer")
    url = reverse("performance:narrative", args=[demo_2024.pk])
    before = ReportSection.objects.get(evaluation__framework=demo_2024, key="budget").body
    ReportSection.objects.filter(evaluation__framework=demo_2024, key="budget").update(body="")
    page = client.get(url + "?draft=1")
    form = page.context["form"]
    assert "562.58" in form["budget"].initial  # an empty section takes its draft
    written = form.fields["performance"]
    assert written.initial.startswith("（一）整体支出绩效情况")  # a written one keeps its text
    assert "（5577人天次）" in written.help_text  # with the draft beside it
    before = ""
    assert ReportSection.objects.get(evaluation__framework=demo_2024, key="budget").body == before
    data = {name: form[name].initial for name in form.fields}
    data["budget"] = "改写后的预算说明。"
    assert client.post(url, data).status_code == 302
    assert (
        ReportSection.objects.get(evaluation__framework=demo_2024, key="budget").body
        == "改写后的预算说明。"
    )
