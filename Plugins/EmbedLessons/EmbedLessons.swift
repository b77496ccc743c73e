// Lessons ship inside the binary: at build time this plugin hands every Markdown file of
// Assets/lessons (but the folder's README) to LessonEmbedder, which writes them as string literals
// into one generated Swift file of the target that uses the plugin. The files are the command's
// inputs, so editing a lesson rebuilds it; the folder is listed on every build, so a new lesson is
// picked up too. Nothing to regenerate by hand, and a runviz copied anywhere carries its lessons.

import Foundation
import PackagePlugin

@main
struct EmbedLessons: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "Assets/lessons")
        let lessons = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" && $0.lastPathComponent != "README.md" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedLessons.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(lessons.count) lessons of Assets/lessons",
                executable: try context.tool(named: "LessonEmbedder").url,
                arguments: [output.path] + lessons.map(\.path),
                inputFiles: lessons,
                outputFiles: [output])
        ]
    }
}
