// LessonCatalog.shipped: the lessons built into the binary are Assets/lessons' files, every one of
// the teaching order, byte for byte (the EmbedLessons plugin regenerates them on every build); and
// what a lesson says is on screen is what the panels draw: each quote below is taken from a render.

import Foundation
import RunvizObservation
import Testing

@testable import RunvizTUI

@Suite struct LessonCatalogTests {
    /// Tests/RunvizTUITests/LessonCatalogTests.swift → Assets/lessons.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Assets/lessons")

    @Test func everyLessonOfTheTeachingOrderIsBuiltIn() {
        #expect(LessonCatalog.shipped.ids == LessonCatalog.order)
        #expect(LessonCatalog.shipped.lesson("08-blocking")?.title == "08 · Blocking inside async (pitfall #1)")
    }

    @Test func theBuiltInTextsAreTheFilesOfAssetsLessons() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        #expect(files == LessonCatalog.fileNames)
        for file in files {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            let id = String(file.dropLast(3))
            #expect(EmbeddedLessons.texts[id] == text, "\(file)")
            #expect(LessonCatalog.shipped.lesson(id) == Lesson(id: id, text: text))
        }
    }

    /// A shipped lesson as the overlay writes it (marks dropped, each paragraph on one line).
    static func text(_ id: String) -> String {
        let lesson = LessonCatalog.shipped.lessonOrPlaceholder(id)
        return LessonOverlay.wrappedLines(lesson, width: 10_000, glyphs: .unicode).map(\.text).joined(separator: "\n")
    }

    /// The demo line drawn for the key `name` (DemoCaptionTests' frames), without the lesson it names.
    static func caption(_ name: String) throws -> String {
        let c = try #require(DemoCaptionTests.cases.first { $0.name == name })
        return try #require(DemoCaptionTests.rows(c.snapshot, c.run, lesson: nil).first)
    }

    /// Bytes per task or per thread are measured on screen ("per conn: task 4.2 KiB · thread …"), and
    /// vary with load and history: a lesson points at that row and gives orders of magnitude only.
    @Test func lessonsGiveNoByteFigureThePerConnRowContradicts() {
        let row = EchoPanel.costLine(Fixtures.snapshot.process, mode: .tasks, .unicode).text
        let label = String(row.prefix { $0 != ":" })
        #expect(label == "per conn")
        #expect(Self.text("01-why-async").contains("\"\(label)\" row"))
        #expect(Self.text("01-why-async").contains("\(ConnectionCostProbe.minimumStep)+ connections"))
        let figure = /[0-9][0-9.,]*\s?(KB|KiB|kB|K)\b/
        for id in LessonCatalog.order {
            let found = Self.text(id).matches(of: figure).map { String($0.output.0) }
            #expect(found.isEmpty, "\(id) states \(found)")
        }
    }

    @Test func lesson03QuotesTheReadyQueueAndTheLazyDemoLine() throws {
        let counted = Rendered().panel(\.readyQueue)[1]
        #expect(counted.hasSuffix("not yet polled 1"))
        #expect(Self.text("03-futures-are-lazy").contains(/not yet polled [0-9]+/))
        let caption = try Self.caption("f")
        #expect(caption.contains("spawned tasks not yet polled (new)"))
        #expect(Self.text("03-futures-are-lazy").contains("spawned tasks not yet polled (new)"))
        let row = Rendered().panel(\.readyQueue)[4]
        #expect(row.contains("W0     waiting"))
        #expect(Self.text("03-futures-are-lazy").contains(/lazy-0 +W0 +waiting/))
    }

    @Test func lesson05QuotesTheJoinTimesAsDrawn() throws {
        let caption = try Self.caption("a")
        for word in ["ms ≈ max", "ms ≈ sum"] {
            #expect(caption.contains(word))
            #expect(Self.text("05-join").contains(word), "\(word)")
        }
    }

    @Test func lesson12QuotesTheChannelDemoLine() throws {
        let caption = try Self.caption("n")
        for word in ["0/4 empty", "senders parked on send", "receiver on receive", "sent 22/40"] {
            #expect(caption.contains(word))
        }
        let lesson = Self.text("12-shared-state-and-channels")
        for word in ["full", "senders parked on send", "receivers on receive", "sent "] {
            #expect(lesson.contains(word), "\(word)")
        }
    }

    /// Every word the awaiter column can show is explained where the column is taught (06, 09), and
    /// "blockOn" where the accept loop's caller is (04).
    @Test func theAwaiterColumnsWordsAreExplained() {
        let forms: [(JoinHandleState, Bool)] = [
            (.awaited(by: .none), false), (.dropped, false), (.held, false), (.noHandle, true), (.noHandle, false),
        ]
        let words = forms.map { handle, child in
            var task = Fixtures.task(9, "x", .parked(.other), handle: handle)
            task.isChild = child
            return task.awaiterWord
        }
        #expect(words == ["blockOn", "nobody", "not yet", "parent", "-"])
        let taught = Self.text("06-spawn") + Self.text("09-forgetting-await")
        for word in words.dropFirst().dropLast() { #expect(taught.contains("\"\(word)\""), "\(word)") }
        for end in ["nobody awaited", "not awaited yet", "awaited by t"] { #expect(taught.contains(end), "\(end)") }
        #expect(Self.text("04-the-runtime").contains("awaiter column reads \"blockOn\""))
    }

    @Test func lesson15SaysWhyTheListenerFiresLessThanTheConnectionsAccepted() {
        let echo = Rendered().panel(\.echo).joined(separator: "\n")
        let fds = Rendered().panel(\.fds).joined(separator: "\n")
        #expect(echo.contains("total"))
        #expect(fds.contains("fired"))
        let lesson = Self.text("15-interest-list")
        #expect(lesson.contains(/"fired" count is below Echo's "total"/))
        #expect(lesson.contains("EAGAIN"))
    }
}
