import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_LABELS = {
    "station_staff": "业务股工作人员",
    "minors_worker": "未保中心社工",
    "finance_officer": "财务人员",
    "supervisor": "站领导",
    "bureau_supervisor": "民政局督导",
    "admin": "系统管理员",
}


@pytest.mark.parametrize("role", ROLE_LABELS)
def test_each_role_logs_in_sees_its_navigation_and_logs_out(role, users, login, page, live_server):
    login(role)
    expect(page.get_by_test_id("role")).to_have_text(ROLE_LABELS[role])
    nav = page.locator("nav.mainnav")
    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    if role == "admin":
        expect(nav.get_by_role("link", name="系统管理")).to_be_visible()
    else:
        expect(nav.get_by_role("link", name="系统管理")).to_have_count(0)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_a_wrong_password_is_refused_with_a_message_in_chinese(users, login, page):
    login("station_staff", "not-the-password")
    expect(page.locator(".form-errors")).to_contain_text("请输入一个正确的")


def test_the_language_switch_turns_the_page_to_english(users, login, page):
    login("supervisor")
    page.select_option("#language-select", "en")
    expect(page.locator("nav.mainnav").get_by_role("link", name="Home")).to_be_visible()
