// KeyMap: every key's meaning, in each view.

import RunvizObservation
import RunvizTelemetry
import Testing

@testable import RunvizTUI

@Suite struct KeyMapTests {
    let dashboard = ViewState()

    @Test func runtimeKeysProduceCommands() {
        let expected: [(Character, Command)] = [
            ("s", .spawnTasks(count: 1)), ("S", .spawnTasks(count: 100)), ("b", .blockWorker), ("B", .blockOnPool),
            ("c", .addClients(10)), ("C", .removeClients(10)), ("a", .joinDemo), ("m", .lockDemo(blocking: true)),
            ("M", .lockDemo(blocking: false)), ("n", .channelDemo), ("t", .toggleServerMode), ("f", .lazyDemo),
            ("i", .toggleInstrumentation),
        ]
        for (character, command) in expected {
            #expect(KeyMap.action(for: .character(character), in: dashboard) == .command(command), "\(character)")
        }
        #expect(KeyMap.action(for: .character("q"), in: dashboard) == .quit)
        #expect(KeyMap.action(for: .interrupt, in: dashboard) == .quit)
    }

    @Test func viewKeysProduceViewActions() {
        let expected: [(Key, Action)] = [
            (.space, .togglePause), (.tab, .focusNext),
            (.backtab, .focusPrevious), (.up, .move(-1)), (.character("k"), .move(-1)), (.down, .move(1)),
            (.character("j"), .move(1)), (.pageUp, .page(-1)), (.pageDown, .page(1)), (.enter, .openDetail),
            (.character("w"), .stepMode), (.character("L"), .openLesson), (.character("?"), .toggleHelp),
        ]
        for (key, action) in expected {
            #expect(KeyMap.action(for: key, in: dashboard) == action, "\(key)")
        }
    }

    @Test func unmappedKeysDoNothing() {
        #expect(KeyMap.action(for: .character("x"), in: dashboard) == nil)
        #expect(KeyMap.action(for: .resize, in: dashboard) == nil)
        #expect(KeyMap.action(for: .escape, in: dashboard) == nil)
    }

    @Test func helpSwallowsEverythingButClosingAndQuitting() {
        var view = ViewState()
        view.helpOpen = true
        #expect(KeyMap.action(for: .escape, in: view) == .toggleHelp)
        #expect(KeyMap.action(for: .character("?"), in: view) == .toggleHelp)
        #expect(KeyMap.action(for: .character("s"), in: view) == nil)
        #expect(KeyMap.action(for: .down, in: view) == nil)
        #expect(KeyMap.action(for: .character("q"), in: view) == .quit)
        #expect(KeyMap.action(for: .interrupt, in: view) == .quit)
    }

    @Test func lessonKeysScrollAndSwitch() {
        var view = ViewState()
        view.lesson = LessonView(lesson: Lesson(id: "05-join", text: "x"))
        #expect(KeyMap.action(for: .down, in: view) == .move(1))
        #expect(KeyMap.action(for: .character("k"), in: view) == .move(-1))
        #expect(KeyMap.action(for: .space, in: view) == .page(1))
        #expect(KeyMap.action(for: .pageUp, in: view) == .page(-1))
        #expect(KeyMap.action(for: .right, in: view) == .switchLesson(1))
        #expect(KeyMap.action(for: .left, in: view) == .switchLesson(-1))
        #expect(KeyMap.action(for: .escape, in: view) == .leave)
        #expect(
            KeyMap.action(for: .character("s"), in: view) == .command(.spawnTasks(count: 1)),
            "runtime keys work while reading: press X and watch Y")
        #expect(KeyMap.action(for: .character("?"), in: view) == .toggleHelp)
    }

    @Test func stepModeKeysAdvanceAndStillDriveTheRuntime() {
        var view = ViewState()
        view.step = StepState(task: TaskID(42))
        #expect(KeyMap.action(for: .space, in: view) == .nextStep)
        #expect(KeyMap.action(for: .right, in: view) == .nextStep)
        #expect(KeyMap.action(for: .character("w"), in: view) == .nextStep)
        #expect(KeyMap.action(for: .left, in: view) == .previousStep)
        #expect(KeyMap.action(for: .escape, in: view) == .leave)
        #expect(KeyMap.action(for: .character("c"), in: view) == .command(.addClients(10)))
        #expect(KeyMap.action(for: .tab, in: view) == nil)
        #expect(KeyMap.action(for: .character("L"), in: view) == .openLesson)
    }

    @Test func detailKeysScrollStepAndLeave() {
        var view = ViewState()
        view.detail = TaskID(42)
        #expect(KeyMap.action(for: .escape, in: view) == .leave)
        #expect(KeyMap.action(for: .character("w"), in: view) == .stepMode)
        #expect(KeyMap.action(for: .up, in: view) == .move(-1))
        #expect(KeyMap.action(for: .space, in: view) == .togglePause)
        #expect(KeyMap.action(for: .enter, in: view) == nil)
        #expect(KeyMap.action(for: .character("b"), in: view) == .command(.blockWorker))
    }

    @Test func everyDocumentedKeyIsMapped() {
        var stepping = ViewState()
        stepping.step = StepState(task: TaskID(1))
        for binding in KeyMap.bindings(.unicode) {
            for key in binding.examples {
                let mapped = KeyMap.action(for: key, in: dashboard) ?? KeyMap.action(for: key, in: stepping)
                #expect(mapped != nil, "\(binding.keys): \(key)")
            }
        }
    }

    @Test func everyMappedDashboardKeyIsDocumented() {
        let documented = Set(KeyMap.bindings(.unicode).flatMap(\.examples))
        let candidates: [Key] =
            "sSbBcCamMntfiqwLjk?".map { Key.character($0) } + [
                .space, .tab, .backtab, .up, .down, .left, .right, .pageUp, .pageDown, .enter, .escape, .interrupt,
            ]
        for key in candidates where KeyMap.action(for: key, in: dashboard) != nil {
            #expect(documented.contains(key), "\(key)")
        }
    }
}
