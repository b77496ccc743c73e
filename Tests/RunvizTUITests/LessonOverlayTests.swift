// LessonOverlay and LessonCatalog: parsing, wrapping, scrolling, ASCII, panel and demo mapping, and a
// lesson that fits its box whole at every width it is drawn in (docked at 40 or 50 columns, or at 80).

import Testing

@testable import RunvizTUI

@Suite struct LessonOverlayTests {
    let lesson = Lesson(
        id: "05-join",
        text: "# Join: concurrent awaits\n\nIn tokio, `join!` polls two futures → total = max(a, b).\n\n## Swift\n"
            + String(repeating: "async let runs both at once. ", count: 6) + "\n")

    @Test func parsesTitleAndBody() {
        #expect(lesson.title == "Join: concurrent awaits")
        #expect(lesson.lines.count == 4)
        #expect(lesson.lines[0].hasPrefix("In tokio"))
        #expect(Lesson(id: "x", text: "no heading\nsecond").title == "x")
    }

    @Test func drawsWrappedTextWithHeadings() {
        var view = ViewState()
        view.lesson = LessonView(lesson: lesson)
        let rendered = Rendered(Fixtures.snapshot, view, width: 80, height: 24)
        let lines = rendered.lines
        #expect(lines[2].hasPrefix("┌─ Join: concurrent awaits · 5/15 ─"))
        #expect(
            Array(lines[3...8]) == [
                "│ In tokio, join! polls two futures → total = max(a, b).                       │",
                "│                                                                              │",
                "│ Swift                                                                        │",
                "│ async let runs both at once. async let runs both at once. async let runs     │",
                "│ both at once. async let runs both at once. async let runs both at once.      │",
                "│ async let runs both at once.                                                 │",
            ])
        #expect(rendered.screen[2, 5].style == .title)
        #expect(lines[22].hasPrefix("└─ lines 1-6 of 6 · ← → other lessons · Esc closes ─"))
    }

    @Test func asciiLessonsAreTransliterated() {
        var view = ViewState(ascii: true)
        view.lesson = LessonView(lesson: lesson)
        let lines = Rendered(Fixtures.snapshot, view, width: 80, height: 24).lines
        #expect(lines[3].hasPrefix("| In tokio, join! polls two futures -> total = max(a, b)."))
        #expect(lines.allSatisfy { $0.isASCIIOnly })
    }

    @Test func scrolledLessonShowsItsWindow() {
        let long = Lesson(id: "06-spawn", title: "Spawn", lines: (1...50).map { "- line \($0)" })
        var view = ViewState()
        view.lesson = LessonView(lesson: long, scroll: 10)
        let lines = Rendered(Fixtures.snapshot, view, width: 80, height: 24).lines
        #expect(lines[3].hasPrefix("│ • line 11 "))
        #expect(lines[21].hasPrefix("│ • line 29 "))
        #expect(lines[22].hasPrefix("└─ lines 11-29 of 50 ·"))
    }

    @Test func catalogOrderAndMapping() {
        let catalog = LessonCatalog(texts: ["14-wakeup-timeline": "# T\nx", "01-why-async": "# W\ny", "99-extra": "z"])
        #expect(catalog.ids == ["01-why-async", "14-wakeup-timeline", "99-extra"])
        #expect(catalog.neighbour(of: "14-wakeup-timeline", offset: 1) == "99-extra")
        #expect(catalog.neighbour(of: "01-why-async", offset: -1) == "99-extra")
        #expect(LessonCatalog.order.count == 15)
        #expect(LessonCatalog.lessonID(for: .fds) == "15-interest-list")
        #expect(LessonCatalog.lessonID(for: .wakeups) == "14-wakeup-timeline")
        #expect(LessonCatalog.lessonID(for: .joinDemo) == "05-join")
        #expect(LessonCatalog.lessonID(for: .lockDemo(blocking: false)) == "11-mutex")
        #expect(LessonCatalog.lessonID(for: .blockOnPool) == "08-blocking")
        #expect(LessonCatalog.lessonID(for: .lazyDemo) == "03-futures-are-lazy")
        #expect(LessonCatalog.lessonID(for: .toggleInstrumentation) == nil)
        for panel in Panel.allCases { #expect(LessonCatalog.order.contains(panel.lessonID)) }
    }

    @Test func markdownIsRenderedForTheTerminal() {
        let markdown = Lesson(
            id: "13-echo-server",
            text: """
                # Echo
                | tokio | Swift |
                |-------|-------|
                | `a`   | **b** |

                ```swift
                let x = 1
                ```
                - one item that is long enough to wrap onto a second line of the lesson
                | x | y |
                prose on one line
                and the next
                """)
        let lines = LessonOverlay.wrappedLines(markdown, width: 40, glyphs: .unicode).map(\.text)
        #expect(
            lines == [
                " tokio │ Swift ", "───────────────", "  a    │   b   ", "", "  let x = 1",
                "• one item that is long enough to wrap", "  onto a second line of the lesson", " x │ y ",
                "prose on one line and the next",
            ])
    }

    @Test func aLessonDocksBesideTheDashboardWhenThereIsRoom() {
        var view = ViewState()
        view.lesson = LessonView(lesson: lesson)
        let lines = Rendered(Fixtures.snapshot, view, width: 120, height: 40).lines
        #expect(
            String(lines[0].dropFirst(80)).hasPrefix("┌─ Join: concurrent awaits · 5/15 ─"), "its column starts at 80")
        #expect(lines[0].hasPrefix("runviz │ workers 2"), "the dashboard keeps drawing beside it")
        #expect(
            lines.contains { $0.hasPrefix("▶ Workers 2") || $0.hasPrefix("─ Workers 2") || $0.contains("Workers 2") })
        #expect(
            Rendered(Fixtures.snapshot, view, width: 110, height: 40).lines[3].hasPrefix("┌─ Join: concurrent awaits"))
    }

    /// Docked at 40 columns (120 × 40), at 50 (160 × 40) and over the dashboard at 80 × 24: the title,
    /// the footer, code and table rows all fit the box, wrapped rather than cut.
    let pitfall = Lesson(
        id: "08-blocking",
        text: """
            # 08 · Blocking inside async (pitfall #1)

            A job must return quickly.

            ```swift
            async let a: Void = sleep(for: .milliseconds(300))
            ```

            | tokio / Rust              | Swift / runviz                         |
            |---------------------------|----------------------------------------|
            | `tokio::join!(a, b)`      | `async let a = ...; async let b = ...` |
            |                           | then `await (a, b)`                    |
            """)

    /// `text` in a box row `width` columns wide: "│ text   │".
    func boxed(_ text: String, _ width: Int) -> String {
        "│ " + text + String(repeating: " ", count: width - 4 - text.count) + " │"
    }

    func rendered(width: Int, height: Int) -> [String] {
        var view = ViewState()
        view.lesson = LessonView(lesson: pitfall)
        return Rendered(Fixtures.snapshot, view, width: width, height: height).lines
    }

    @Test func dockedAt40ColumnsTheTitleOpensTheTextAndEveryRowWraps() {
        let dock = rendered(width: 120, height: 40).map { String($0.dropFirst(80)) }
        #expect(dock[0] == "┌─ Lesson 8/15 " + String(repeating: "─", count: 24) + "┐")
        #expect(
            Array(dock[1...13])
                == [
                    "08 · Blocking inside async (pitfall", "#1)", "", "A job must return quickly.", "",
                    "  async let a: Void = sleep(for:", "    .milliseconds(300))", "",
                    "tokio / Rust → Swift / runviz", "tokio::join!(a, b) → async let a =",
                    "  ...; async let b = ... then await", "  (a, b)", "",
                ].map { boxed($0, 40) })
        #expect(dock[39] == "└─ 1-12/12 · ←→ lessons · Esc closes ──┘")
    }

    @Test func dockedAt50ColumnsTheTitleFitsAlone() {
        let dock = rendered(width: 160, height: 40).map { String($0.dropFirst(110)) }
        #expect(dock[0] == "┌─ 08 · Blocking inside async (pitfall #1) ──────┐")
        #expect(
            Array(dock[1...9])
                == [
                    "A job must return quickly.", "", "  async let a: Void = sleep(for:", "    .milliseconds(300))", "",
                    "tokio / Rust → Swift / runviz", "tokio::join!(a, b) → async let a = ...; async",
                    "  let b = ... then await (a, b)", "",
                ].map { boxed($0, 50) })
        #expect(dock[39] == "└─ lines 1-8 of 8 · ←→ lessons · Esc closes ─────┘")
    }

    @Test func overTheDashboardAt80ColumnsTablesKeepTheirColumns() {
        let lines = rendered(width: 80, height: 24)
        #expect(
            lines[2] == "┌─ 08 · Blocking inside async (pitfall #1) · 8/15 " + String(repeating: "─", count: 29) + "┐")
        #expect(
            Array(lines[3...10])
                == [
                    "A job must return quickly.", "", "  async let a: Void = sleep(for: .milliseconds(300))", "",
                    " tokio / Rust              │ Swift / runviz                         ",
                    String(repeating: "─", count: 68),
                    "  tokio::join!(a, b)       │  async let a = ...; async let b = ...  ",
                    "                           │ then  await (a, b)                     ",
                ].map { boxed($0, 80) })
        #expect(
            lines[22] == "└─ lines 1-8 of 8 · ← → other lessons · Esc closes " + String(repeating: "─", count: 28) + "┘"
        )
    }

    @Test func aLessonNotInTheTeachingOrderHasNoPosition() {
        let extra = Lesson(id: "99-extra", text: "# Extra\n\nText.")
        let lines = LessonOverlay.bodyLines(extra, in: Rect(x: 0, y: 0, width: 40, height: 10), glyphs: .unicode)
        #expect(lines.map(\.text) == ["Text."])
        #expect(LessonOverlay.boxTitle(extra, in: Rect(x: 0, y: 0, width: 40, height: 10), glyphs: .unicode) == "Extra")
    }

    @Test(arguments: [Glyphs.unicode, .ascii])
    func everyShippedLessonFitsTheNarrowestDockWhole(_ glyphs: Glyphs) throws {
        let dock = try #require(Dashboard.lessonDock(width: 120, height: 40))
        #expect(dock.width == 40)
        for id in LessonCatalog.shipped.ids {
            let lesson = LessonCatalog.shipped.lessonOrPlaceholder(id)
            let long = LessonOverlay.bodyLines(lesson, in: dock, glyphs: glyphs).filter { $0.text.count > 36 }
            #expect(long.isEmpty, "\(id): \(long.map(\.text))")
            #expect(LessonOverlay.boxTitle(lesson, in: dock, glyphs: glyphs).count <= 34, "\(id)")
        }
    }
}
