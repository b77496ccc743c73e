// Dashboard: layouts at 120×40 and 80×24, too small below, ASCII mode, frame cost.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct DashboardTests {
    @Test func everyPanelIsOnScreenAt120x40() {
        let rendered = Rendered()
        let layout = rendered.layout!
        #expect(layout.wide)
        let titles = rendered.lines.joined(separator: "\n")
        for title in ["Workers", "Ready queue", "Parked tasks", "Registered fds", "Wakeups", "Echo server"] {
            #expect(titles.contains(title), "\(title)")
        }
        let rects = [
            layout.header, layout.workers, layout.readyQueue, layout.parkedTasks, layout.fds, layout.wakeups,
            layout.echo, layout.demos, layout.lints, layout.keyBar,
        ]
        var covered = Set<Int>()
        for rect in rects {
            #expect(!rect.isEmpty)
            for y in rect.y..<rect.maxY {
                for x in rect.x..<(rect.x + rect.width) {
                    #expect(covered.insert(y * 120 + x).inserted, "overlap at \(x),\(y)")
                }
            }
        }
        #expect(covered.count + layout.divider!.height == 120 * 40)
    }

    @Test func compactLayoutFillsTheScreen() {
        let layout = Rendered(width: 80, height: 24).layout!
        #expect(!layout.wide)
        let heights = [
            layout.header, layout.workers, layout.readyQueue, layout.parkedTasks, layout.fds, layout.wakeups,
            layout.echo, layout.demos, layout.lints, layout.keyBar,
        ].map(\.height)
        #expect(heights == [2, 4, 3, 4, 3, 3, 2, 1, 1, 1])
        let tall = Rendered(width: 80, height: 40).layout!
        #expect(tall.parkedTasks.height > 4 && tall.wakeups.height > 3 && tall.fds.height > 3)
        #expect(tall.keyBar.y == 39)
    }

    @Test func tooSmall() {
        let lines = Rendered(width: 70, height: 20).lines
        #expect(lines[9] == "                terminal too small: 70×20, need 80×24")
        #expect(lines[10] == "                    resize it, or press q to quit")
        let ascii = Rendered(Fixtures.snapshot, ViewState(ascii: true), width: 79, height: 30).lines
        #expect(ascii.contains { $0.contains("terminal too small: 79x30, need 80x24") })
        #expect(Rendered(width: 80, height: 23).lines.contains { $0.contains("terminal too small: 80×23") })
        #expect(!Rendered(width: 80, height: 24).lines.contains { $0.contains("too small") })
    }

    @Test(arguments: [(120, 40), (80, 24), (100, 30)])
    func asciiModeDrawsOnlyASCII(width: Int, height: Int) {
        var snapshot = Fixtures.snapshot
        snapshot.timeline = Fixtures.timeline
        snapshot.demos.lock = .init(blocking: false, tasks: 4)
        snapshot.demos.channel = .init(id: 2, capacity: 2, total: 10)
        snapshot.runtime.workers.append(WorkerSnapshot(index: 2, state: .parkedInDriver))
        var views: [ViewState] = []
        var view = ViewState(ascii: true)
        views.append(view)
        view.paused = true
        view.detail = TaskID(42)
        views.append(view)
        view.detail = nil
        view.step = StepState(task: TaskID(42), index: 4)
        views.append(view)
        view.lesson = LessonView(lesson: Lesson(id: "x", text: "# T → U\nµs — ok"))
        views.append(view)
        view.helpOpen = true
        views.append(view)
        for view in views {
            let screen = Dashboard.render(snapshot, view, width: width, height: height)
            for line in screen.lines() { #expect(line.isASCIIOnly, "\(line)") }
            #expect(!screen.lines().joined().contains("?s"))
        }
    }
}
