// The lessons the CLI loaded (id → text), and which lesson explains which panel or demo. The TUI
// never reads files: the caller fills the catalog once at start-up and passes it with each key.

import RunvizObservation

public struct LessonCatalog: Equatable, Sendable {
    /// Every lesson id, in teaching order (`←`/`→` in the lesson overlay walk this order).
    public static let order: [String] = [
        "01-why-async", "02-mental-model", "03-futures-are-lazy", "04-the-runtime", "05-join", "06-spawn",
        "07-sleep", "08-blocking", "09-forgetting-await", "10-references-across-await", "11-mutex",
        "12-shared-state-and-channels", "13-echo-server", "14-wakeup-timeline", "15-interest-list",
    ]

    private var lessons: [String: Lesson] = [:]

    init() {}

    /// A catalog from id → Markdown text.
    public init(texts: [String: String]) {
        for (id, text) in texts { add(id: id, text: text) }
    }

    mutating func add(id: String, text: String) {
        lessons[id] = Lesson(id: id, text: text)
    }

    mutating func add(_ lesson: Lesson) {
        lessons[lesson.id] = lesson
    }

    func lesson(_ id: String) -> Lesson? { lessons[id] }

    var ids: [String] {
        let known = Set(Self.order)
        return Self.order.filter { lessons[$0] != nil } + lessons.keys.filter { !known.contains($0) }.sorted()
    }

    /// The lesson a missing id shows: it says which file is missing instead of failing.
    func lessonOrPlaceholder(_ id: String) -> Lesson {
        lessons[id] ?? Lesson(id: id, title: id, lines: ["This lesson (\(id)) was not loaded."])
    }

    /// The lesson `offset` places after `id` in teaching order, among the loaded ones (wrapping).
    func neighbour(of id: String, offset: Int) -> String? {
        let ids = self.ids
        guard !ids.isEmpty else { return nil }
        guard let index = ids.firstIndex(of: id) else { return ids[offset >= 0 ? 0 : ids.count - 1] }
        return ids[((index + offset) % ids.count + ids.count) % ids.count]
    }

    /// The lesson a demo or action illustrates (the view remembers the last one for `L`).
    static func lessonID(for command: Command) -> String? {
        switch command {
        case .spawnTasks: return "06-spawn"
        case .blockWorker, .blockOnPool: return "08-blocking"
        case .addClients, .removeClients: return "13-echo-server"
        case .joinDemo: return "05-join"
        case .lockDemo: return "11-mutex"
        case .channelDemo: return "12-shared-state-and-channels"
        case .toggleServerMode: return "01-why-async"
        case .lazyDemo: return "03-futures-are-lazy"
        case .follow: return "14-wakeup-timeline"
        case .toggleInstrumentation: return nil
        }
    }

    static func lessonID(for panel: Panel) -> String { panel.lessonID }
}
