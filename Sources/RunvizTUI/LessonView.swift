// The open lesson overlay: the lesson shown and how far it is scrolled (in wrapped lines).

public struct LessonView: Equatable, Sendable {
    public var lesson: Lesson
    public var scroll: Int

    public init(lesson: Lesson, scroll: Int = 0) {
        self.lesson = lesson
        self.scroll = scroll
    }
}
