// The lessons the dashboard shows: the ones built into the binary, or those of a folder given with
// --lessons (else $RUNVIZ_LESSONS) — for editing a lesson and seeing it without a rebuild. A folder
// must hold every lesson file of the teaching order: one that lacks any is refused at start with
// one line naming what is missing, never shown as placeholders.

import FoundationEssentials
import RunvizTUI

enum LessonLoader {
    /// The folder that overrides the built-in lessons, and how it was named (for errors).
    static func override(_ folder: String?) -> (path: String, source: String)? {
        if let folder { return (folder, "--lessons \(folder)") }
        if let env = ProcessInfo.processInfo.environment["RUNVIZ_LESSONS"], !env.isEmpty {
            return (env, "RUNVIZ_LESSONS=\(env)")
        }
        return nil
    }

    /// The built-in lessons, or every lesson of the override folder; throws one line when the
    /// folder is missing, or lacks or cannot read a lesson file.
    static func load(from folder: String?) throws(Failure) -> LessonCatalog {
        guard let (path, source) = override(folder) else { return .shipped }
        var isFolder = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder else {
            throw Failure("\(source): no such folder")
        }
        var texts: [String: String] = [:]
        var missing: [String] = []
        for (id, file) in zip(LessonCatalog.order, LessonCatalog.fileNames) {
            let url = URL(fileURLWithPath: path).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                missing.append(file)
                continue
            }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw Failure("\(source): cannot read \(file) as UTF-8 text")
            }
            texts[id] = text
        }
        if !missing.isEmpty {
            let shown = missing.prefix(3).joined(separator: ", ") + (missing.count > 3 ? ", …" : "")
            throw Failure(
                "\(source) lacks \(missing.count) of the \(LessonCatalog.order.count) lesson files (\(shown))")
        }
        return LessonCatalog(texts: texts)
    }
}
