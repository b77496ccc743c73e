// A one-row chart of recent samples, one glyph per sample, newest at the right. The scale is fixed
// by the caller (busy ratio: 0...1) or by the largest sample shown (queue depths).

enum Sparkline {
    /// The last `width` samples of `values`, each mapped to one of the eight levels of `glyphs`.
    /// `ceiling` nil scales to the largest sample shown.
    static func render(_ values: [Double], width: Int, ceiling: Double?, glyphs: Glyphs) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let top = ceiling ?? shown.max() ?? 0
        let levels = glyphs.sparkline
        var out = ""
        for value in shown {
            let ratio = top > 0 ? min(max(value / top, 0), 1) : 0
            let level = value > 0 ? max(1, Int((ratio * Double(levels.count - 1)).rounded())) : 0
            out.append(levels[level])
        }
        return out
    }
}
