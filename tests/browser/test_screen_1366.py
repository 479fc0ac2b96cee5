"""A county office's screen, 1366×768: on the county's queue and the lists, no name, date, ID
number or state wraps; "select only the ready ones" ticks exactly the rows ready for their step."""

import pytest

from gongyi.enums import Role
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Round
from posts.models import Post
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.onboarding.queue_data import make_queue_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The cells that must stay on one line (``static/css/gongyi.css``).
ONE_LINE = "table.grid td.name, table.grid td.date, table.grid td.mono, table.grid td.nowrap"
#: The text of each such cell that takes more than one line: its pieces' boxes (text, links,
#: small labels) grouped into lines by their top edge, half a line apart at least.
WRAPPED = """(selector) => Array.from(document.querySelectorAll(selector)).filter((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = Array.from(range.getClientRects()).map((r) => r.top).sort((a, b) => a - b);
  const half = parseFloat(getComputedStyle(cell).lineHeight) / 2 || 8;
  return tops.some((top, i) => i > 0 && top - tops[i - 1] > half);
}).map((cell) => cell.innerText)"""


def test_lists_keep_names_dates_ids_and_states_on_one_line(
    live_server, users, area, password, browser
):
    make_queue_rows(40, mix={S.REVIEWED: 0.5, S.PUBLICITY: 0.5})
    # Titles as long as real ones: they take the width the one-line cells must keep.
    Round.objects.update(title="2026年第四批城乡公益性岗位（乡村公益性岗位）公开招聘公告")
    Post.objects.update(title="村容村貌保洁及村内公共设施日常维护管理员")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, live_server, users[Role.COUNTY].username, password)
        wrapped = {}
        for path in ("/onboarding/queue/", "/people/", "/posts/", "/onboarding/rounds/"):
            page.goto(f"{live_server.url}{path}")
            assert page.locator(ONE_LINE).count() > 0, path
            wrapped[path] = page.evaluate(WRAPPED, ONE_LINE)
        page.goto(f"{live_server.url}/onboarding/queue/")
        page.click("[data-select-ready]")
        ticked = page.locator("tr:has(input[name=applications]:checked)").count()
        ready = page.locator("tr[data-ready]").count()
        unready_ticked = page.locator("tr:not([data-ready]) input[name=applications]:checked")
        ticked_unready = unready_ticked.count()
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "county-queue-1366.png"))
    finally:
        context.close()

    assert wrapped == {path: [] for path in wrapped}
    assert (ticked, ticked_unready) == (ready, 0)
    assert ready > 0
