// Finds the lesson files (Assets/lessons) and loads them into the TUI's catalog: from --lessons,
// else $RUNVIZ_LESSONS, else next to the executable's package (the checkout it was built from).

import Foundation
import RunvizTUI

enum LessonLoader {
    static func load(from folder: String?) -> LessonCatalog {
        var catalog = LessonCatalog()
        guard
            let dir = candidates(folder).first(where: {
                FileManager.default.fileExists(atPath: $0 + "/01-why-async.md")
            })
        else { return catalog }
        for id in LessonCatalog.order {
            if let text = try? String(contentsOfFile: "\(dir)/\(id).md", encoding: .utf8) {
                catalog.add(id: id, text: text)
            }
        }
        return catalog
    }

    static func candidates(_ folder: String?) -> [String] {
        var out: [String] = []
        if let folder { out.append(folder) }
        if let env = ProcessInfo.processInfo.environment["RUNVIZ_LESSONS"] { out.append(env) }
        // .build/<triple>/<config>/runviz → the package root is four levels up.
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<5 {
            url.deleteLastPathComponent()
            out.append(url.path + "/Assets/lessons")
        }
        out.append(FileManager.default.currentDirectoryPath + "/Assets/lessons")
        return out
    }
}
