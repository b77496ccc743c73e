// A rectangle of the screen in cells; the layout hands one to every panel and the panel draws
// only inside it.

struct Rect: Equatable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    var maxY: Int { y + height }
    var isEmpty: Bool { width == 0 || height == 0 }

    /// The same rectangle shrunk by `by` cells on every side.
    func inset(_ by: Int) -> Rect {
        Rect(x: x + by, y: y + by, width: width - 2 * by, height: height - 2 * by)
    }

    /// The rows from `top` (relative) down, `count` of them (clipped to this rectangle).
    func rows(from top: Int, count: Int) -> Rect {
        let start = min(max(0, top), height)
        return Rect(x: x, y: y + start, width: width, height: min(count, height - start))
    }
}
