"""Accessibility checks in real Chromium with axe-core (vendored for the tests only): a page
passes when axe finds no violation at all (serious and critical ones, and the minor ones too,
such as a table header without text)."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("minor", "moderate", "serious", "critical")

_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


def axe_violations(page) -> list[str]:
    """The violations on the page as it is now, one line each."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through the debugger: no page policy stops it
    found = page.evaluate(_RUN)
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {', '.join(v['targets'])}" for v in found if v["impact"] in BLOCKING
    ]


def assert_accessible(page, where: str = "") -> None:
    problems = axe_violations(page)
    assert not problems, f"axe-core on {where or page.url}:\n" + "\n".join(problems)
