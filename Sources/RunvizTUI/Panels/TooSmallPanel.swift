// Shown instead of the dashboard when the terminal is smaller than the compact layout needs.

enum TooSmallPanel {
    static func message(width: Int, height: Int, glyphs: Glyphs) -> String {
        let need = "\(DashboardLayout.minimumWidth)\(glyphs.times)\(DashboardLayout.minimumHeight)"
        return "terminal too small: \(width)\(glyphs.times)\(height), need \(need)"
    }

    static func draw(on screen: inout Screen, glyphs: Glyphs) {
        let text = message(width: screen.width, height: screen.height, glyphs: glyphs)
        let hint = "resize it, or press q to quit"
        let y = max(0, screen.height / 2 - 1)
        screen.put(text, x: max(0, (screen.width - text.count) / 2), y: y, style: .warning)
        screen.put(hint, x: max(0, (screen.width - hint.count) / 2), y: y + 1, style: .dim)
    }
}
