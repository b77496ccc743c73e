// The open lesson overlay: the lesson shown and how far it is scrolled (in wrapped lines).

struct LessonView: Equatable, Sendable {
    var lesson: Lesson
    var scroll: Int

    init(lesson: Lesson, scroll: Int = 0) {
        self.lesson = lesson
        self.scroll = scroll
    }
}
