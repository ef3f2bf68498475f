"""Accessibility in the real browser: axe-core on every page, and the controls that matter by keyboard.

axe-core ships inside `axe-playwright-python` (axe.min.js), so this runs offline. Every page gets
no serious or critical violation from our own content. Violations that come from Streamlit's own
markup are listed in KNOWN, each matched narrowly (rule id + the Streamlit element it sits in +
optionally a detail of axe's message), never by disabling a rule. The full results per page are
saved under screenshots/axe/ (git-ignored) for reading.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from harness.browser import COLD_START_MS, assert_page_healthy, open_page, wait_script_done, wait_until_idle
from tests.conftest import SCREENSHOTS
from tests.test_browser_pages import PAGES
from ui.demos import DEMOS

pytestmark = pytest.mark.browser

AXE_DIR = SCREENSHOTS / "axe"
BLOCKING = {"serious", "critical"}
HOME_TITLE = PAGES[0][1]
AXE_PAGES = PAGES + [("?presenter=1", HOME_TITLE, "home-presenter")]


@dataclass(frozen=True)
class Known:
    rule: str  # axe rule id
    within: str  # CSS selector of the Streamlit element the offending node must sit in (or be)
    why: str  # one line: why this is not ours to fix here
    detail: str = ""  # optional text that must appear in axe's failure summary for the node


KNOWN: tuple[Known, ...] = (
    Known(
        "list",
        '[data-testid="stSidebarNavItems"]',
        "Streamlit's multipage navigation puts each section's <div> straight inside its <ul>.",
    ),
    Known(
        "listitem",
        '[data-testid="stSidebarNavItems"]',
        "Same Streamlit navigation markup: its <li>s sit in a section <div>, not directly in the <ul>.",
    ),
)

_matched: dict[Known, int] = {}
_pages_checked: set[str] = set()


def is_known(page: Page, rule: str, node: dict) -> Known | None:
    """The KNOWN entry this node matches, if any (the node must resolve to a single element)."""
    if len(node["target"]) != 1:  # inside an iframe or shadow root: never ours to excuse blindly
        return None
    for known in KNOWN:
        if known.rule != rule or known.detail not in node.get("failureSummary", ""):
            continue
        inside = page.evaluate(
            "([target, within]) => { const el = document.querySelector(target); return !!(el && el.closest(within)); }",
            [node["target"][0], known.within],
        )
        if inside:
            return known
    return None


def run_axe(page: Page, name: str) -> dict:
    results = Axe().run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    kept = {k: results[k] for k in ("url", "timestamp", "testEngine", "violations", "incomplete") if k in results}
    (AXE_DIR / f"{name}.json").write_text(json.dumps(kept, indent=2))
    return results


@pytest.fixture
def tall_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 2400})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize(("slug", "title", "name"), AXE_PAGES, ids=[p[2] for p in AXE_PAGES])
def test_page_has_no_serious_axe_violation(tall_page, server_url, slug, title, name):
    open_page(tall_page, f"{server_url}/{slug}", title)
    wait_script_done(tall_page)
    assert_page_healthy(tall_page)
    results = run_axe(tall_page, name)
    ours = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            known = is_known(tall_page, violation["id"], node)
            if known is None:
                summary = node.get("failureSummary", "").replace("\n", " ")
                ours.append(f"{violation['id']} ({violation['impact']}): {node['html'][:200]} -- {summary[:300]}")
            else:
                _matched[known] = _matched.get(known, 0) + 1
    _pages_checked.add(name)
    assert not ours, f"{len(ours)} serious/critical accessibility problem(s) on {name}:\n" + "\n".join(ours)


def test_known_entries_still_needed():
    """A KNOWN entry that matched nothing on any page is stale (e.g. the theme was fixed): delete it."""
    if _pages_checked != {p[2] for p in AXE_PAGES}:
        pytest.skip("needs every page's axe run in this session")
    stale = [f"{k.rule} in {k.within}: {k.why}" for k in KNOWN if k not in _matched]
    assert not stale, "remove these KNOWN entries, they no longer match anything:\n" + "\n".join(stale)


def test_known_matching_is_narrow(tall_page, server_url):
    """The excuse list must not swallow a real problem: an unlabelled image we add is still reported."""
    open_page(tall_page, server_url, HOME_TITLE)
    tall_page.evaluate(
        "() => { const img = document.createElement('img'); img.id = 'probe-no-alt';"
        " img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.querySelector('#stMain').appendChild(img); }"
    )
    results = Axe().run(tall_page, context="#stMain").response
    nodes = [(v["id"], n) for v in results["violations"] if v["impact"] in BLOCKING for n in v["nodes"]]
    probe = [(rule, n) for rule, n in nodes if "probe-no-alt" in n["html"]]
    assert probe and all(is_known(tall_page, rule, n) is None for rule, n in probe), nodes


# --- keyboard ---------------------------------------------------------------------------------

FOCUSED = """() => { const e = document.activeElement; if (!e) return {};
  return {tag: e.tagName, role: e.getAttribute('role'), label: e.getAttribute('aria-label') || '',
          text: (e.innerText || '').trim(), testid: e.getAttribute('data-testid') || '',
          href: e.getAttribute('href') || '', checked: e.getAttribute('aria-checked'),
          sidebar: !!e.closest('[data-testid="stSidebar"]')}; }"""
MAX_TABS = 80


def tab_until(page: Page, wanted, limit: int = MAX_TABS) -> dict:
    """Press Tab until `wanted(focused)` holds; fail if the element is never reached."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
        seen.append(focused.get("label") or focused.get("text", "")[:30] or focused.get("tag"))
    raise AssertionError(f"not reachable with Tab in {limit} presses; focus went through: {seen}")


def test_home_demo_links_work_by_keyboard(page, server_url):
    open_page(page, server_url, HOME_TITLE)
    reached = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused.get("testid") == "stPageLink-NavLink":
            reached.add(focused["href"].rstrip("/").rsplit("/", 1)[-1])
        if reached >= {d.slug for d in DEMOS}:
            break
    assert reached >= {d.slug for d in DEMOS}, f"demo links reached by Tab: {sorted(reached)}"

    target = DEMOS[1]  # Tab wraps around the page, so any card's link can be reached again
    tab_until(page, lambda f: f.get("testid") == "stPageLink-NavLink" and f["href"].endswith(target.slug))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{target.slug}")
    expect(page.get_by_role("heading", name=target.title, level=1)).to_be_visible(timeout=COLD_START_MS)


def test_presenter_toggle_works_by_keyboard(page, server_url):
    open_page(page, server_url, HOME_TITLE)
    switch = page.get_by_role("switch", name="Presenter mode")
    expect(switch).to_be_visible(timeout=COLD_START_MS)  # on a busy machine a second run may redraw the sidebar
    expect(switch).not_to_be_checked()
    tab_until(page, lambda f: f.get("role") == "switch" and f.get("label") == "Presenter mode" and f["sidebar"])
    page.keyboard.press("Space")
    wait_until_idle(page)
    expect(switch).to_be_checked()
    expect(page.get_by_text("Talking points").first).to_be_visible()
    assert "presenter=1" in page.url
    assert_page_healthy(page)


def test_audience_switch_works_by_keyboard(page, server_url):
    open_page(page, server_url, HOME_TITLE)
    sidebar = page.get_by_test_id("stSidebar")
    beginner = sidebar.get_by_role("radio", name="Beginner")
    engineer = sidebar.get_by_role("radio", name="Engineer")
    expect(engineer).to_be_visible(timeout=COLD_START_MS)  # as above
    expect(engineer).to_have_attribute("aria-checked", "true")

    tab_until(page, lambda f: f.get("role") == "radio" and f["text"] == "Beginner" and f["sidebar"])
    page.keyboard.press("Enter")
    wait_until_idle(page)
    expect(beginner).to_have_attribute("aria-checked", "true")
    expect(engineer).to_have_attribute("aria-checked", "false")

    # A radio group is one Tab stop; the arrow keys move between its options (WAI-ARIA radio pattern).
    focused = tab_until(page, lambda f: f.get("role") == "radio" and f["sidebar"])
    for _ in range(3):
        if focused["text"] == "Engineer":
            break
        page.keyboard.press("ArrowRight")
        focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Engineer", focused
    page.keyboard.press("Space")
    wait_until_idle(page)
    expect(engineer).to_have_attribute("aria-checked", "true")
    assert_page_healthy(page)
