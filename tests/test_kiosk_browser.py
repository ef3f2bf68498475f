"""The stand left alone (issue 12), in the real app: reset from every README scenario link, from mid-tour,
from a playing stream and an upload; each tour step's telling example on the first screen; and a soak
test running the tour three times with random touches and resets."""

from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.browser import assert_no_exception_box, open_page, open_tab, wait_script_done, wait_until_idle
from harness.server import ROOT
from tests.conftest import SCREENSHOTS
from ui.demos import DEMOS
from ui.tour import TOUR

pytestmark = [pytest.mark.browser, pytest.mark.timeout(3600)]

HOME_TITLE = "What does a Machine Learning Engineer build?"
SLOW = 600_000  # a cold page on a loaded 2-core machine trains its model first


def readme_scenario_links() -> list[str]:
    """Every scenario link the README offers presenters, read from the README itself."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**Scenario links**") :]
    section = section[: section.index("\n\n")]
    links = re.findall(r"`(/[^`\s]+\?[^`\s]+)`", section)
    also = re.findall(r"\(also ([^)]*)\)", section)  # "(also `romance+fan`, `family+films`)"
    extra = [name for group in also for name in re.findall(r"`([a-z+]+)`", group)]
    presets = [link for link in links if "recs_preset=" in link]
    for name in extra:
        links.append(presets[0].split("recs_preset=")[0] + f"recs_preset={name}")
    return links


def title_of(link: str) -> str:
    slug = urlsplit(link).path.strip("/")
    return next(d.title for d in DEMOS if d.slug == slug)


def reset(page: Page) -> None:
    page.get_by_role("button", name="Reset for the next visitor").click(timeout=SLOW)
    expect(page.get_by_role("heading", name=HOME_TITLE, level=1)).to_be_visible(timeout=SLOW)
    wait_until_idle(page, SLOW)


def assert_clean_home(page: Page, *, presenter: bool = False) -> None:
    assert_no_exception_box(page)
    expect(page.get_by_role("button", name="Reset for the next visitor")).to_be_visible()  # the sidebar survived
    query = parse_qs(urlsplit(page.url).query)
    assert query == ({"presenter": ["1"]} if presenter else {}), page.url
    assert urlsplit(page.url).path in ("/", "/welcome"), page.url


def test_readme_lists_the_scenario_links_we_test():
    links = readme_scenario_links()
    assert len(links) >= 7 and any("risk_glu" in link for link in links), links


@pytest.mark.parametrize("link", readme_scenario_links())
def test_reset_from_every_readme_scenario_link(page, server_url, link):
    """Widget-bound URL values made `st.query_params.clear()` raise; reset must always land on a clean home."""
    open_page(page, f"{server_url}{link}&presenter=1", title_of(link), timeout_ms=SLOW)
    assert_no_exception_box(page)
    reset(page)
    assert_clean_home(page, presenter=True)
    # The previous visitor's scenario is gone when the next visitor opens the page.
    open_page(page, f"{server_url}{urlsplit(link).path}", title_of(link), timeout_ms=SLOW)
    assert urlsplit(page.url).query == ""
    assert_no_exception_box(page)


def _step_caption(page: Page, number: int):
    return page.get_by_text(f"Guided tour · step {number} of {len(TOUR)}")


def test_reset_mid_tour_restarts_it_at_home(page, server_url):
    open_page(page, f"{server_url}/?tour=1&tour_pace=Slow", HOME_TITLE, timeout_ms=SLOW)
    for number, demo in ((2, DEMOS[0]), (3, DEMOS[1])):
        page.get_by_role("button", name="Next step").click(timeout=SLOW)
        expect(_step_caption(page, number)).to_be_visible(timeout=SLOW)
        expect(page.get_by_role("heading", name=demo.title, level=1)).to_be_visible(timeout=SLOW)
        wait_until_idle(page, SLOW)
    reset(page)
    assert_no_exception_box(page)
    expect(_step_caption(page, 1)).to_be_visible()
    assert urlsplit(page.url).path in ("/", "/welcome")


def test_reset_stops_a_playing_stream_and_forgets_an_upload(page, server_url, tmp_path: Path):
    fraud = next(d for d in DEMOS if d.key == "fraud")
    open_page(page, f"{server_url}/{fraud.slug}", fraud.title, timeout_ms=SLOW)
    page.get_by_text("Play", exact=True).click()
    scored = page.locator('[data-testid="stMetric"]', has_text="Payments scored")
    expect(scored).not_to_contain_text(re.compile(r"Payments scored\s*0$"), timeout=60_000)
    reset(page)
    assert_clean_home(page)
    open_page(page, f"{server_url}/{fraud.slug}", fraud.title, timeout_ms=SLOW)
    expect(page.get_by_role("switch", name="Play")).not_to_be_checked()
    expect(scored).to_contain_text(re.compile(r"Payments scored\s*0"))

    recs = next(d for d in DEMOS if d.key == "recs")
    open_page(page, f"{server_url}/{recs.slug}", recs.title, timeout_ms=SLOW)
    csv = tmp_path / "ratings.csv"
    csv.write_text(
        "userId,movieId,rating\n" + "\n".join(f"{u},{m},{(u + m) % 5 + 1}" for u in range(30) for m in range(25))
    )
    open_tab(page, "The data")
    page.get_by_text("Use your own ratings file").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(csv))
    expect(page.get_by_text("Using your file")).to_be_visible(timeout=SLOW)
    wait_until_idle(page, SLOW)
    reset(page)
    assert_clean_home(page)
    open_page(page, f"{server_url}/{recs.slug}", recs.title, timeout_ms=SLOW)
    expect(page.get_by_text("Using your file")).to_have_count(0)


FOCUS_JS = """(focus) => {
    const nodes = document.querySelectorAll('[data-testid="stMain"] h1, [data-testid="stMain"] h2, '
      + '[data-testid="stMain"] h3, [data-testid="stMain"] h4, [data-testid="stMetricLabel"]');
    const node = [...nodes].find(n => n.textContent.includes(focus));
    if (!node) return false;
    const box = node.getBoundingClientRect();
    const banner = document.querySelector(".st-key-tour_banner");  // sticky: the example must not hide under it
    const covered = banner ? banner.getBoundingClientRect().bottom : 0;
    return box.top >= covered && box.bottom <= window.innerHeight * 0.6;
}"""


def wait_for_step(page: Page, number: int) -> None:
    """Step `number` (1-based) is on screen, its example scrolled into the top of the first screen."""
    step = TOUR[number - 1]
    expect(_step_caption(page, number)).to_be_visible(timeout=SLOW)
    wait_script_done(page, SLOW)
    if step.focus:  # the tour's script marks the step once its example has stayed put for a second
        page.wait_for_function(
            "(n) => (document.body.getAttribute('data-tour-focused') || '').startsWith(n + '-')",
            arg=number - 1,
            timeout=SLOW,
        )
        assert page.evaluate(FOCUS_JS, step.focus), f"step {number}: '{step.focus}' is not just below the banner"


def test_each_tour_step_shows_its_example_on_the_first_screen(page, server_url):
    """Screenshots of each step's first screen go to screenshots/tour/ (the viewport, not the whole page)."""
    folder = SCREENSHOTS / "tour"
    folder.mkdir(parents=True, exist_ok=True)
    open_page(page, f"{server_url}/?tour=1&tour_pace=Slow&presenter=1", HOME_TITLE, timeout_ms=SLOW)
    page.get_by_role("button", name="Pause", exact=True).click(timeout=SLOW)  # hold step 1 however slow this machine is
    for number in range(1, len(TOUR) + 1):
        if number > 1:
            page.get_by_role("button", name="Next step").click(timeout=SLOW)  # and un-pauses the tour
        wait_for_step(page, number)
        assert_no_exception_box(page)
        if TOUR[number - 1].state.get("fraud_playing"):  # the step's action: the stream plays by itself
            expect(page.get_by_role("switch", name="Play")).to_be_checked()
            expect(page.get_by_text("No alert yet.")).to_have_count(0, timeout=120_000)
        if "people_person" in TOUR[number - 1].state:  # the step's action: David is picked
            expect(page.get_by_text("David Costa").first).to_be_visible()
        if number > 1:  # hold the step while a slow machine takes the picture (the banner then says "Paused")
            page.get_by_role("button", name="Pause", exact=True).click(timeout=SLOW)
            expect(page.get_by_role("button", name="Resume")).to_be_visible(timeout=SLOW)
            wait_script_done(page, SLOW)
            if TOUR[number - 1].focus:  # pausing redraws the banner: the example must stay in view
                page.wait_for_timeout(1000)
                assert page.evaluate(FOCUS_JS, TOUR[number - 1].focus), f"step {number}: example hidden after Pause"
        page.wait_for_timeout(500)  # let the last element paint: the picture is for people
        page.screenshot(path=str(folder / f"step-{number}.png"), timeout=SLOW)


# Touches a visitor makes in seconds; left out: what retrains for minutes on a loaded machine (the bank's
# size, the model arena, learning curves), what leaves the tour (End tour) and what the tour's own buttons do.
HEAVY = (
    "Download",
    "Reset",
    "Browse",
    "End tour",
    "Next step",
    "Pause",
    "Resume",
    "Evaluate",
    "Compare",
    "Model arena",
    "Learns from data",
    "Who it serves",
    "Breast cancer",
    "Join",
    "Leave",
    "Cards",
    "Days",
    "intensity",
    "Trees",
    "rounds",
    "Leaves",
    "depth",
    "Learning rate",
    "Your edge list",
    "Change address",
)


def _touch_randomly(page: Page, rng: random.Random) -> str:
    """One visitor touch somewhere in the main area: a button, a tab, a star, a slider nudge."""
    main = page.locator('[data-testid="stMain"]')
    choices = [
        ('[data-testid="stBaseButton-segmented_control"]', "click"),
        ('[data-testid="stBaseButton-segmented_controlActive"]', "click"),
        ('[data-testid="stBaseButton-secondary"]', "click"),
        ('[data-testid="stSlider"]', "key"),
        ('[data-testid="stFeedback"] button, [data-testid="stFeedback"] [role="radio"]', "click"),
    ]
    rng.shuffle(choices)
    for selector, how in choices:
        items = main.locator(selector)
        candidates = []
        for i in range(min(items.count(), 30)):
            item = items.nth(i)
            try:
                label = (
                    item.inner_text(timeout=5_000) or item.get_attribute("aria-label", timeout=5_000) or selector
                ).strip()[:60]
            except PlaywrightTimeoutError:
                continue  # the page is changing under us
            if item.is_visible() and not any(word in label for word in HEAVY):
                candidates.append((item, label))
        if not candidates:
            continue
        target, label = rng.choice(candidates)
        try:  # the tour may move on between choosing and touching: then this touch did not happen
            if how == "key":
                thumb = target.locator('[role="slider"]').first
                thumb.focus(timeout=10_000)
                at_top = thumb.get_attribute("aria-valuenow", timeout=10_000) == thumb.get_attribute(
                    "aria-valuemax", timeout=10_000
                )
                page.keyboard.press("ArrowLeft" if at_top else "ArrowRight")  # always a real change
            else:
                target.click(timeout=10_000)
        except PlaywrightTimeoutError:
            return "nothing to touch"
        return label.replace("\n", " ")
    return "nothing to touch"


def current_step(page: Page) -> int:
    text = page.locator(".st-key-tour_banner").first.inner_text(timeout=SLOW)
    return int(re.search(r"step (\d+) of", text).group(1))


def test_tour_soak_three_rounds_with_random_touches_and_resets(page, server_url):
    """The tour runs through all its steps three times; at random moments a visitor touches something, or a
    presenter resets. Every touch pauses the tour, and nothing may ever show an error box."""
    rng = random.Random(12)
    open_page(page, f"{server_url}/?tour=1&tour_pace=Fast&tour_idle=5", HOME_TITLE, timeout_ms=SLOW)
    log, visited, rounds = [], set(), 0
    while rounds < 3:
        wait_script_done(page, SLOW)
        number = current_step(page)
        assert_no_exception_box(page)
        if number == 1 and len(visited) == len(TOUR):
            rounds += 1
            log.append(f"round {rounds} complete")
            visited = set()
        visited.add(number)
        roll = rng.random()
        if roll < 0.5:
            touched = _touch_randomly(page, rng)
            log.append(f"step {number}: touched {touched}")
            if touched != "nothing to touch":
                expect(page.get_by_text("Paused while you explore"), "\n".join(log)).to_be_visible(timeout=60_000)
            wait_script_done(page, SLOW)
            assert_no_exception_box(page)
        elif roll < 0.6 and number > 1:
            log.append(f"step {number}: reset")
            reset(page)
            assert_no_exception_box(page)
            visited = set()
            continue
        if rng.random() < 0.5:  # half the steps move on by the button, half by the timer
            page.get_by_role("button", name="Next step").click(timeout=SLOW)
        page.wait_for_function(
            "(n) => { const b = document.querySelector('.st-key-tour_banner');"
            " return b && !b.innerText.includes('step ' + n + ' of'); }",
            arg=number,
            timeout=SLOW,
        )
    assert_no_exception_box(page)
    print("\n".join(log))
