// KeyBarPanel: the bottom line follows the view.

import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct KeyBarPanelTests {
    @Test func dashboardKeys() {
        #expect(
            Rendered(width: 80, height: 24).panel(\.keyBar) == [
                "q quit  ? help  Tab panel  ↑↓ move  Enter detail  w step  L lesson  space pause"
            ])
        var paused = ViewState(ascii: true)
        paused.paused = true
        #expect(
            Rendered(Fixtures.snapshot, paused, width: 80, height: 24).panel(\.keyBar) == [
                "q quit  ? help  Tab panel  Up/Dn move  Enter detail  w step  L lesson"
            ])
    }

    @Test func everyKeyHasRoomAt120Columns() {
        #expect(
            Rendered().panel(\.keyBar) == [
                "q quit  ? help  Tab panel  ↑↓ move  Enter detail  w step  L lesson  space pause",
                "s/S spawn  b/B block/pool  c/C clients  a join  m/M lock  n channel  t mode  f lazy  i instr  o / order/filter",
            ])
    }

    @Test func aKeyThatDoesNotFitIsLeftOutWhole() {
        var view = ViewState()
        view.detail = TaskID(42)
        #expect(
            Rendered(Fixtures.snapshot, view, width: 80, height: 24).panel(\.keyBar) == [
                "Esc back  w step  ↑↓ scroll  L lesson  ? help  q quit  s/S spawn  b/B block/pool"
            ])
    }

    @Test func modalKeys() {
        var view = ViewState()
        view.step = StepState(task: TaskID(42))
        #expect(
            Rendered(Fixtures.snapshot, view).panel(\.keyBar) == [
                "space → w next step  ← back  End latest  Esc leave  L lesson  ? help  q quit",
                "s/S spawn  b/B block/pool  c/C clients  a join  m/M lock  n channel  t mode  f lazy  i instr  o / order/filter",
            ])
        view.step = nil
        view.detail = TaskID(42)
        #expect(
            Rendered(Fixtures.snapshot, view).panel(\.keyBar)[0]
                == "Esc back  w step  ↑↓ scroll  L lesson  ? help  q quit")
        view.detail = nil
        view.lesson = LessonView(lesson: Lesson(id: "05-join", text: "x"))
        // 110 columns: too narrow to dock the lesson beside the dashboard, so it covers it.
        #expect(
            Rendered(Fixtures.snapshot, view, width: 110).panel(\.keyBar) == [
                "↑↓ scroll  PgUp PgDn page  ← → other lessons  Esc close  q quit",
                "s/S spawn  b/B block/pool  c/C clients  a join  m/M lock  n channel  t mode  f lazy  i instr  o / order/filter",
            ], "the runtime keys work with a lesson open")
        view.helpOpen = true
        #expect(Rendered(Fixtures.snapshot, view, width: 110).panel(\.keyBar) == ["Esc close help  q quit", ""])
    }

    @Test func keysAreBoldAndEffectsDim() {
        let rendered = Rendered()
        let y = rendered.layout!.keyBar.y
        #expect(rendered.screen[0, y].style == .bold)
        #expect(rendered.screen[2, y].style == .dim)
    }
}
