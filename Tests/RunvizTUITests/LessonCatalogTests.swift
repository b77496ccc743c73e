// LessonCatalog.shipped: the lessons built into the binary are Assets/lessons' files, every one of
// the teaching order, byte for byte (the EmbedLessons plugin regenerates them on every build).

import Foundation
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
}
