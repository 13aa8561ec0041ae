"""The live panel redraws every grade, and grows or shrinks when its lines change."""

from __future__ import annotations

from textual.app import App, ComposeResult

from failtui.models import Grade, KeyPointResult, RedFlagResult
from failtui.ui.widgets.live_panel import LivePanel


def grade(words: int, flags: int = 0) -> Grade:
    return Grade(
        card="c",
        deck="d",
        key_points=(KeyPointResult("lesson", "What you learned", covered=words > 20, score=90.0),),
        red_flags=tuple(RedFlagResult(f"f{n}", f"Flag {n}", "", "") for n in range(flags)),
        coverage=1.0 if words > 20 else 0.0,
        words=words,
        speaking_seconds=words / 130 * 60,
        lesson_share=0.5,
        suggested_rating="good",
    )


class PanelApp(App):
    def compose(self) -> ComposeResult:
        yield LivePanel()


async def test_panel_shows_each_grade_and_resizes_with_its_lines():
    app = PanelApp()
    async with app.run_test(size=(60, 30)) as pilot:
        panel = app.query_one(LivePanel)
        panel.show(grade(11), 5.0)
        await pilot.pause()
        short = panel.size.height
        panel.show(grade(12), 5.0)  # lines of the same lengths: same height, new text
        await pilot.pause()
        assert "12 words" in str(panel.render()) and panel.size.height == short
        panel.show(grade(12, flags=2), 5.0)  # red flags appear: the panel grows
        await pilot.pause()
        assert "Flag 1" in str(panel.render())
        assert panel.size.height == short + 4
        panel.show(grade(13), 5.0)
        await pilot.pause()
        assert "Flag" not in str(panel.render()) and panel.size.height == short
