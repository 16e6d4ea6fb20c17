"""Seed the funding sources and the function classification codes (editable in the admin)."""

from django.db import migrations

# A copy, not an import: a migration must keep doing what it did when the module changes.
FUNDING_SOURCES = [
    ("general", "一般公共预算", "一般公共预算拨款"),
    ("government_fund", "政府性基金", "政府性基金拨款"),
    ("state_capital", "国有资本经营预算", "国有资本经营预算拨款"),
    ("social_insurance", "社会保险基金预算", "社会保险基金预算拨款"),
    ("special_account", "纳入专户管理的非税收入", "纳入专户管理的非税收入拨款"),
    ("other", "其他资金", "其他资金"),
]
TO_VERIFY = "to verify against the current year's catalogue"
FUNCTION_CLASSES = [
    ("208", "社会保障和就业支出", ""),
    ("20802", "民政管理事务", ""),
    ("2080201", "行政运行", TO_VERIFY),
    ("2080202", "一般行政管理事务", TO_VERIFY),
    ("2080299", "其他民政管理事务支出", TO_VERIFY),
    ("20805", "行政事业单位养老支出", ""),
    ("2080501", "行政单位离退休", TO_VERIFY),
    ("2080502", "事业单位离退休", TO_VERIFY),
    ("2080505", "机关事业单位基本养老保险缴费支出", ""),
    ("2080506", "机关事业单位职业年金缴费支出", TO_VERIFY),
    ("20807", "就业补助", ""),
    ("2080704", "社会保险补贴", ""),
    ("2080705", "公益性岗位补贴", ""),
    ("20810", "社会福利", ""),
    ("2081099", "其他社会福利支出", ""),
    ("20819", "最低生活保障", ""),
    ("2081901", "城市最低生活保障金支出", ""),
    ("20820", "临时救助", ""),
    ("2082001", "临时救助支出", ""),
    ("2082002", "流浪乞讨人员救助支出", ""),
    ("20821", "特困人员救助供养", ""),
    ("2082101", "城市特困人员救助供养支出", ""),
    ("20825", "其他生活救助", ""),
    ("2082501", "其他城市生活救助", ""),
    ("210", "卫生健康支出", ""),
    ("21011", "行政事业单位医疗", ""),
    ("2101101", "行政单位医疗", TO_VERIFY),
    ("2101102", "事业单位医疗", TO_VERIFY),
    ("221", "住房保障支出", ""),
    ("22102", "住房改革支出", ""),
    ("2210201", "住房公积金", TO_VERIFY),
    ("229", "其他支出", ""),
    ("22960", "彩票公益金安排的支出", ""),
    ("2296002", "用于社会福利的彩票公益金支出", ""),
]


def seed(apps, schema_editor):
    FundingSource = apps.get_model("budget", "FundingSource")
    FunctionClass = apps.get_model("budget", "FunctionClass")
    for order, (code, name, full_name) in enumerate(FUNDING_SOURCES, start=1):
        FundingSource.objects.get_or_create(
            code=code, defaults={"name": name, "full_name": full_name, "sort_order": order}
        )
    for code, name, note in FUNCTION_CLASSES:
        FunctionClass.objects.get_or_create(code=code, defaults={"name": name, "note": note})


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_ledger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
