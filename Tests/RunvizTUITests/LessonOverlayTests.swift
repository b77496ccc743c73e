// LessonOverlay and LessonCatalog: parsing, wrapping, scrolling, ASCII, panel and demo mapping.

import RunvizTelemetry
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
        #expect(lines[2].hasPrefix("┌─ Lesson 05-join: Join: concurrent awaits ─"))
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
                """)
        let lines = LessonOverlay.wrappedLines(markdown, width: 40, glyphs: .unicode).map(\.text)
        #expect(
            lines == [
                " tokio │ Swift ", "───────────────", "  a    │   b   ", "", "  let x = 1",
                "• one item that is long enough to wrap", "  onto a second line of the lesson",
            ])
    }

    @Test func aLessonDocksBesideTheDashboardWhenThereIsRoom() {
        var view = ViewState()
        view.lesson = LessonView(lesson: lesson)
        let lines = Rendered(Fixtures.snapshot, view, width: 120, height: 40).lines
        #expect(String(lines[0].dropFirst(80)).hasPrefix("┌─ Lesson 05-join"), "the lesson's column starts at 80")
        #expect(lines[0].hasPrefix("runviz │ workers 2"), "the dashboard keeps drawing beside it")
        #expect(
            lines.contains { $0.hasPrefix("▶ Workers 2") || $0.hasPrefix("─ Workers 2") || $0.contains("Workers 2") })
        #expect(Rendered(Fixtures.snapshot, view, width: 110, height: 40).lines[3].hasPrefix("┌─ Lesson 05-join"))
    }
}
