// Number and text formatting for the screen, in plain Swift (no locale, no Foundation), so a frame
// is deterministic and testable: "1,234", "12.3k", "35 µs", "23.4 MiB", "01:23:45", "1 thread".

enum Format {
    /// 1234567 → "1,234,567".
    static func grouped<N: BinaryInteger>(_ value: N) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// `value` rounded to `decimals` places: fixed(3.14159, 1) → "3.1".
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return "-" }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = String(units / divisor)
        if decimals > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return value < 0 && scaled > 0 ? "-" + text : text
    }

    /// A rate or count in at most three digits and a unit: 950 → "950", 12_345 → "12.3k", 120_000 → "120k".
    static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        if magnitude < 999.5 { return fixed(value, 0) }
        if magnitude < 99_950 { return fixed(value / 1e3, 1) + "k" }
        if magnitude < 999_500 { return fixed(value / 1e3, 0) + "k" }
        if magnitude < 99_950_000 { return fixed(value / 1e6, 1) + "M" }
        if magnitude < 999_500_000 { return fixed(value / 1e6, 0) + "M" }
        return fixed(value / 1e9, 1) + "G"
    }

    /// A duration: "850 ns", "3.5 µs", "35 µs", "1.2 ms", "120 ms", "1.2 s", "2m05s", "1h02m".
    static func duration(_ nanos: UInt64, _ glyphs: Glyphs) -> String {
        let value = Double(nanos)
        if nanos < 1_000 { return "\(nanos) ns" }
        if value < 9_999.5 { return fixed(value / 1e3, 1) + " \(glyphs.micro)s" }
        if value < 999_500 { return fixed(value / 1e3, 0) + " \(glyphs.micro)s" }
        if value < 9_999_500 { return fixed(value / 1e6, 1) + " ms" }
        if value < 999_500_000 { return fixed(value / 1e6, 0) + " ms" }
        if value < 59_950_000_000 { return fixed(value / 1e9, 1) + " s" }
        let seconds = nanos / 1_000_000_000
        if seconds < 3_600 { return "\(seconds / 60)m" + twoDigits(seconds % 60) + "s" }
        return "\(seconds / 3_600)h" + twoDigits(seconds / 60 % 60) + "m"
    }

    /// Nanoseconds since an origin, at most 11 columns so a timeline column never runs into the next:
    /// "+0.035 ms", "+999.999 ms", then seconds "+1.250 s", "+999.999 s", then "+16m40s", "+1h02m".
    static func offset(_ nanos: UInt64) -> String {
        if nanos < 999_999_500 { return "+" + fixed(Double(nanos) / 1e6, 3) + " ms" }
        if nanos < 999_999_500_000 { return "+" + fixed(Double(nanos) / 1e9, 3) + " s" }
        let seconds = nanos / 1_000_000_000
        if seconds < 3_600 { return "+\(seconds / 60)m" + twoDigits(seconds % 60) + "s" }
        return "+\(seconds / 3_600)h" + twoDigits(seconds / 60 % 60) + "m"
    }

    /// A count and its noun, singular for exactly one: "1 thread", "3 threads", "0 threads".
    /// `plural` is for nouns that do not just take an "s".
    static func counted<N: BinaryInteger>(_ count: N, _ noun: String, plural: String? = nil) -> String {
        "\(grouped(count)) " + (count == 1 ? noun : plural ?? noun + "s")
    }

    /// Uptime as "01:23:45" (hours grow past 99 if they must).
    static func clock(_ nanos: UInt64) -> String {
        let seconds = nanos / 1_000_000_000
        return twoDigits(seconds / 3_600) + ":" + twoDigits(seconds / 60 % 60) + ":" + twoDigits(seconds % 60)
    }

    /// Bytes in binary units: "512 B", "1.5 KiB", "23.4 MiB", "1.2 GiB".
    static func bytes(_ count: Double) -> String {
        guard count.isFinite else { return "-" }
        if count < 1_024 { return fixed(count, 0) + " B" }
        if count < 1_048_576 { return fixed(count / 1_024, 1) + " KiB" }
        if count < 1_073_741_824 { return fixed(count / 1_048_576, 1) + " MiB" }
        return fixed(count / 1_073_741_824, 1) + " GiB"
    }

    /// A 0...1 ratio as a right-aligned percentage, four columns: "  7%", " 73%", "100%".
    static func percent(_ ratio: Double) -> String {
        leftPad(fixed(min(max(ratio, 0), 1) * 100, 0) + "%", 4)
    }

    /// `text` cut to `width` columns, ending in an ellipsis when cut.
    static func clip(_ text: String, _ width: Int, _ glyphs: Glyphs) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        let mark = glyphs.ellipsis
        guard width > mark.count else { return String(text.prefix(width)) }
        return String(text.prefix(width - mark.count)) + mark
    }

    /// `text` clipped and padded with spaces to exactly `width` columns.
    static func column(_ text: String, _ width: Int, _ glyphs: Glyphs) -> String {
        let clipped = clip(text, width, glyphs)
        return clipped + String(repeating: " ", count: max(0, width - clipped.count))
    }

    /// `text` right-aligned in `width` columns (never cut).
    static func leftPad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// One paragraph line wrapped at spaces into lines of at most `width` columns; words longer than
    /// the width are cut. Leading indentation is kept on the first line.
    static func wrap(_ line: String, _ width: Int) -> [String] {
        guard width > 0 else { return [] }
        guard line.count > width else { return [line] }
        var out: [String] = []
        var rest = Substring(line)
        while rest.count > width {
            let window = rest.prefix(width + 1)
            if let space = window.lastIndex(of: " "), space > rest.startIndex {
                out.append(String(rest[..<space]))
                rest = rest[rest.index(after: space)...]
            } else {
                out.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
        }
        if !rest.isEmpty { out.append(String(rest)) }
        return out
    }

    private static func twoDigits(_ value: UInt64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
