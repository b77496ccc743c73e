// The lessons built into the binary: Assets/lessons as it stood at build time, embedded by the
// EmbedLessons plugin, so a runviz copied out of the build folder or installed on the PATH still
// teaches. `--lessons DIR` replaces them with a folder's files.

extension LessonCatalog {
    public static let shipped = LessonCatalog(texts: EmbeddedLessons.texts)

    /// The file names a lesson folder must hold: one per lesson of the teaching order.
    public static var fileNames: [String] { order.map { "\($0).md" } }
}
