"""Checking that a screen fits (800×480 and 1024×768): what a person can tap is in view, not
cut off, not under a bar or a window, and there is a way back. Used by the walk over every
screen (tests/browser/test_screens_fit.py) and by the walks that add screens of their own."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.support.browser import in_viewport, save_screenshot

# What a person can tap, seen from the page: buttons, links, the grid's <summary>.
PROBLEMS = """(fixed) => {
  const root = document.documentElement;
  const vw = root.clientWidth, vh = window.innerHeight;
  const out = [];
  const name = (e) => (e.getAttribute('aria-label') || e.textContent || e.value || e.tagName)
      .trim().replace(/\\s+/g, ' ').slice(0, 50);
  if (root.scrollWidth > vw) out.push(`the page scrolls sideways (${root.scrollWidth} > ${vw})`);
  if (fixed && root.scrollHeight > vh) out.push(`the page scrolls (${root.scrollHeight} > ${vh})`);
  // Text cut inside a box: a receipt or a table wider than the space it was given.
  for (const e of document.querySelectorAll('pre, table, .ticket, .side, .status, .modal-box')) {
    if (!e.checkVisibility()) continue;
    const style = getComputedStyle(e);
    if (e.scrollWidth > e.clientWidth + 1 && style.textOverflow !== 'ellipsis')
      out.push(`cut off sideways inside ${e.tagName.toLowerCase()}.${e.className} (${e.scrollWidth} > ${e.clientWidth})`);
  }
  // A table or a receipt wider than the column it sits in runs under what is beside it.
  for (const e of document.querySelectorAll('main table, main pre, main form, main .panel')) {
    if (!e.checkVisibility() || !e.parentElement) continue;
    const outer = e.parentElement.getBoundingClientRect(), r = e.getBoundingClientRect();
    if (r.right > outer.right + 1 && getComputedStyle(e.parentElement).overflowX === 'visible')
      out.push(`wider than its column: ${e.tagName.toLowerCase()}.${e.className} (${Math.round(r.right)} > ${Math.round(outer.right)})`);
  }
  const scroller = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const y = getComputedStyle(p).overflowY;
      if ((y === 'auto' || y === 'scroll') && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  };
  for (const e of document.querySelectorAll('button, a[href], summary, input[type=submit]')) {
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    let r = e.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.left < -0.5 || r.right > vw + 0.5) out.push(`cut off sideways: ${name(e)}`);
    const box = scroller(e);
    if (fixed && !box && (r.top < -0.5 || r.bottom > vh + 0.5)) out.push(`out of view: ${name(e)}`);
    if (box) {
      const b = box.getBoundingClientRect();
      if (b.top < -0.5 || b.bottom > vh + 0.5) out.push(`its list is out of view: ${name(e)}`);
    }
  }
  return out;
}"""

# Each action, scrolled to as a person would, is then not under a sticky bar or a window.
HIDDEN = """() => {
  const out = [];
  // Put every scrolled box back as it was: the screenshots and the taps that follow see the
  // screen as the person left it.
  const boxes = [document.scrollingElement, ...document.querySelectorAll('main *, #modal *')]
    .filter((e) => e.scrollHeight > e.clientHeight).map((e) => [e, e.scrollTop]);
  const scope = document.querySelector('#modal:not(:empty), main .modal') ? '.modal ' : 'main ';
  const all = ['button', 'a[href]', 'summary'].map((t) => scope + t).join(', ');
  for (const e of document.querySelectorAll(all)) {
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true}) || e.closest('#messages')) continue;
    e.scrollIntoView({block: 'nearest', inline: 'nearest'});
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && !e.contains(hit) && !hit.contains(e) && !hit.closest('#messages'))
      out.push(`hidden under ${hit.tagName.toLowerCase()}.${hit.className}: ${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40)}`);
  }
  for (const [e, top] of boxes) e.scrollTop = top;
  return out;
}"""


class Screens:
    """Visits screens, screenshots each one (what is on screen, and the whole page), and
    collects what does not fit; the test fails once at the end with the full list."""

    def __init__(self, page, shoot, folder, size):
        self.page, self.shoot, self.folder, self.size = page, shoot, folder, size
        self.problems = []
        self.seen = []

    def check(self, name, *, fixed=True, in_view=(), back=None):
        page = self.page
        page.wait_for_load_state()
        self.seen.append(name)
        self.shoot(page, name)
        save_screenshot(page, self.folder / f"{len(self.seen):02d}-{name}-in-view.png")
        found = page.evaluate(PROBLEMS, fixed) + page.evaluate(HIDDEN)
        for locator in in_view:
            if not locator.is_visible() or not in_viewport(page, locator):
                found.append(f"not in view: {locator}")
            elif not _on_top(locator):
                found.append(f"under something else (a message, a bar): {locator}")
        if back is not None:
            if not back.is_visible():
                found.append(f"no way back: {back}")
            elif not _on_top(back):
                found.append(f"way back hidden: {back}")
        self.problems += [f"{self.size} {name}: {p}" for p in found]

    def refusal(self, text):
        """The refusal is shown, whole, on the part of the page the person is looking at."""
        alert = self.page.get_by_role("alert").filter(has_text=text)
        expect(alert).to_be_visible()
        if not in_viewport(self.page, alert):
            self.problems.append(f"{self.size}: refusal out of view: {text}")

    def go_back(self, back, fallback: str):
        """Take the way back; without one, note the dead end and leave by the address bar."""
        if back.count():
            back.first.tap()
        else:
            self.problems.append(f"{self.size}: dead end, no {back}")
            self.page.goto(fallback)

    def at_bottom(self):
        self.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")

    def at_top(self):
        self.page.evaluate("window.scrollTo(0, 0)")


_ON_TOP = """(e) => { const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (e.contains(hit) || hit.contains(e)); }"""


def _on_top(locator, settle_ms: int = 3000) -> bool:
    """What a tap at the middle of it would hit is this action (not a message over it) — once
    the page has settled: a message just closed may still be leaving. Waits on the condition,
    never on a clock."""
    try:
        locator.page.wait_for_function(
            _ON_TOP, arg=locator.element_handle(timeout=settle_ms), timeout=settle_ms
        )
        return True
    except PlaywrightTimeout:
        return False


def button(page, name, scope=None):
    return (scope or page).get_by_role("button", name=name, exact=True)


def link(page, name, scope=None):
    return (scope or page).get_by_role("link", name=name, exact=True)
