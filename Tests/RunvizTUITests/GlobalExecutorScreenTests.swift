// The screen of a program that has runviz as its global executor (Runtime.installAsGlobalExecutor,
// watched and attached): what its configuration says decides what shows. Nothing of runviz's echo
// server or demos: the Program panel's own figures, no demo keys in the legend or the help, lint
// advice the program's author can act on, the observer's CPU. Literal rows at 120 × 40 and 80 × 24.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct GlobalExecutorScreenTests {
    /// The fixture's runtime as a plain program's: a global executor, no echo server, no socket on
    /// the reactor (so no replies), no demo run, one blocked-worker lint.
    static var program: DashboardSnapshot {
        var snapshot = Fixtures.snapshot
        snapshot.runtime.configuration.globalExecutor = true
        snapshot.echo = EchoSnapshot()
        snapshot.runtime.fds = []
        snapshot.runtime.replies = ReplyLatency()
        snapshot.runtime.latency = LatencyBreakdownSnapshot()
        snapshot.demos = DemoSnapshot()
        snapshot.syntheticClients = 0
        return snapshot
    }

    @Test func theHeaderSaysWhatIsOffScreenAndWhoseCPUItShows() {
        #expect(
            Rendered(Self.program).panel(\.header) == [
                "runviz │ workers 2 · blocking pool ≤ 512 · blocked ≥ 100 ms │ up 01:23:45",
                "tasks 9 · events 120k/s · dropped 0 · instr on 85 ns/job · observer CPU 1.5% · finished 1,234",
                "global executor: every task of this program runs here · @MainActor code runs off screen "
                    + "(Dispatch's main queue)",
            ])
    }

    @Test func theProgramPanelShowsItsProcessNotAnEchoServer() {
        #expect(
            Rendered(Self.program).panel(\.echo) == [
                "─ Program its process " + String(repeating: "─", count: 41),
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
                "CPU 45% · jobs 12.3k/s on 2 workers",
                "no socket on runviz's reactor: replies are not timed",
                "", "", "", "",
            ])
        #expect(
            Rendered(Self.program, width: 80, height: 24).panel(\.echo) == [
                "program CPU 45% · jobs 12.3k/s on 2 workers",
                "process threads 14 · tasks 9 · RSS 23.4 MiB · VSZ 1.2 GiB",
            ])
    }

    /// Every wake's wait for a worker and its run, from the last second: a worker blocked 300 ms
    /// shows as the wait's p99, stressed, with the job the tasks waited behind.
    @Test func theWakesSplitSaysWhyLatencyMoved() {
        var snapshot = Self.program
        let ms: UInt64 = 1_000_000
        snapshot.runtime.latency = LatencyBreakdownSnapshot(
            wakes: 42_100, wakeQueueWait: .init(p50Nanos: 4_000, p99Nanos: 290 * ms, maxNanos: 301 * ms),
            wakeRun: .init(p50Nanos: 20_000, p99Nanos: 310_000, maxNanos: 300 * ms),
            blame: [
                LatencyBlame(
                    queue: .worker(0), wakeups: 6_423, worstWaitNanos: 290 * ms, blocker: TaskID(46),
                    blockerName: "Task {}", worker: 0, blockedNanos: 300 * ms, ongoing: false)
            ])
        let rows = Rendered(snapshot).panel(\.echo)
        #expect(rows[3] == "wakes 42.1k/s queued p50 4.0 µs · p99 290 ms · max 301 ms")
        #expect(rows[4] == "then ran p50 20 µs · p99 310 µs · max 300 ms")
        #expect(rows[5] == "no socket on runviz's reactor: replies are not timed")
        #expect(rows[6] == "6,423 tasks waited 290 ms behind t46 Task {} on W0")
        #expect(
            Rendered(snapshot, width: 80, height: 24).panel(\.echo)[1]
                == "6,423 tasks waited 290 ms behind t46 Task {} on W0")
    }

    /// Sockets on runviz's reactor (a program using runviz's own TCP streams) are timed as the echo
    /// server's are.
    @Test func repliesShowOnceASocketIsOnTheReactor() {
        var snapshot = Self.program
        snapshot.runtime.replies = Fixtures.snapshot.runtime.replies
        #expect(
            Rendered(snapshot).panel(\.echo)[3] == "server: fd ready → reply p50 35 µs · p99 120 µs · max 1.2 ms")
    }

    @Test func theLintsAdviceIsInTheProgramsTerms() {
        #expect(
            Rendered(Self.program).panel(\.lints) == [
                "▲ blocked worker: W1 blocked 1.2 s by t7 blocker · "
                    + "run blocking calls off the async path: NIOThreadPool, a DispatchQueue"
            ])
        #expect(
            Rendered(Self.program, width: 80, height: 24).panel(\.lints) == [
                "▲ W1 blocked 1.2 s by t7 blocker · move blocking calls off async code"
            ])
        var snapshot = Self.program
        snapshot.lints = [Lint(kind: .longPoll, task: TaskID(3), taskName: "child task", nanos: 40_000_000)]
        // The facts of a request's task leave room for the short advice only, as under wrk.
        #expect(
            LintsPanel.line(
                LintGroup.groups([
                    Lint(
                        kind: .blockedWorker, task: TaskID(57), taskName: "task group child", worker: 0,
                        nanos: 300_000_000, endedAgoNanos: 3_200_000_000)
                ])[0], suffix: "", width: 120, .forMode(ascii: false), globalExecutor: true
            ).text
                == "▲ blocked worker: W0 was blocked 300 ms by t57 task group child (ended 3.2 s ago) · "
                + "move blocking calls off async code")
        // A task named by its code: the name is cut before the advice goes.
        #expect(
            LintsPanel.line(
                LintGroup.groups([
                    Lint(
                        kind: .blockedWorker, task: TaskID(273), taskName: "Server.run() closure · group child",
                        worker: 1, nanos: 300_000_000, endedAgoNanos: 188_000_000)
                ])[0], suffix: "", width: 118, .forMode(ascii: false), globalExecutor: true
            ).text
                == "▲ W1 was blocked 300 ms by t273 Server.run() closure · group … (ended 188 ms ago) · "
                + "move blocking calls off async code")
        #expect(
            Rendered(snapshot).panel(\.lints) == [
                "▲ long poll: t3 child task has run 40 ms without yielding · "
                    + "a job that never awaits holds its worker: call Task.yield()"
            ])
    }

    @Test func noDemoKeyIsOffered() {
        let rendered = Rendered(Self.program)
        #expect(rendered.panel(\.demos) == [""])
        #expect(
            rendered.panel(\.keyBar) == [
                "q quit  ? help  Tab panel  ↑↓ move  Enter detail  w step  L lesson  space pause",
                "T worker timeline  [ ]  { } back/fwd 0.1 s / 1 s  End live  o / order/filter tasks",
            ])
        var detail = ViewState()
        detail.detail = TaskID(7)
        #expect(
            Rendered(Self.program, detail).panel(\.keyBar)[1]
                == "T worker timeline  [ ]  { } back/fwd 0.1 s / 1 s  End live  o / order/filter tasks")
        #expect(
            Rendered(Self.program, width: 80, height: 24).panel(\.keyBar) == [
                "q quit  ? help  Tab panel  ↑↓ move  Enter detail  w step  L lesson  space pause"
            ])
    }

    @Test func theHelpListsOnlyKeysThatAct() {
        var view = ViewState()
        view.helpOpen = true
        let lines = Rendered(Self.program, view, width: 80, height: 24).lines
        #expect(lines[2] == "┌─ Keys " + String(repeating: "─", count: 71) + "┐")
        #expect(
            Array(lines[3...13]) == [
                "│ Swift job run = tokio poll · suspended = Pending · resume = Waker.wake()     │",
                "│                                                                              │",
                "│ T           worker timeline            Enter       task detail and timeline  │",
                "│ o  /        order / filter tasks       w / End     step a task / latest step │",
                "│ space       pause the view / live      → ←         next/prev step or lesson  │",
                "│ [ ]  { }    back/fwd 100 ms / 1 s      Esc         close help/lesson/detail  │",
                "│ Home End    oldest instant / live      L           lesson: last demo/panel   │",
                "│ Tab / S-Tab next / previous panel      ?           this help                 │",
                "│ ↑↓ j k      move the selection         q / Ctrl-C  quit                      │",
                "│ PgUp PgDn   move a page                                                      │",
                "└─ Esc or ? closes " + String(repeating: "─", count: 60) + "┘",
            ])
        let text = lines.joined(separator: "\n")
        for binding in KeyMap.bindings(view.glyphs, runtimeKeys: false) {
            #expect(text.contains(Format.column(binding.keys, 12, view.glyphs) + binding.effect), "\(binding.keys)")
        }
        #expect(KeyMap.bindings(view.glyphs, runtimeKeys: false).count == 15)
    }

    /// Nothing on the whole screen speaks of the echo server, its replies or the demo keys.
    @Test(arguments: [(120, 40), (80, 24)])
    func nothingOfTheEchoServerShows(width: Int, height: Int) {
        let text = Rendered(Self.program, width: width, height: height).lines.joined(separator: "\n")
        for phrase in ["echo server", "Echo", "fd ready", "spawnBlocking", "s/S", "demos:", "UI CPU", "clients"] {
            #expect(!text.contains(phrase), "\(phrase)")
        }
    }
}
