// Timeline rows shared by task detail and step mode: the time since the first entry, the Swift
// runtime's words and the primer's words side by side (a step before the origin has a negative time). The time column holds a two-column marker
// and any `Format.offset` (at most 11 columns) with a space to spare, so it never runs into the words.

import RunvizObservation

enum TimelineTable {
    static let timeWidth = 14

    static func swiftWidth(_ width: Int) -> Int { max(10, (width - timeWidth) * 3 / 5) }

    /// `time`: what the time column counts from, in at most 12 columns.
    static func header(width: Int, time: String = "time", glyphs: Glyphs) -> Line {
        Line(
            Format.column("  " + time, timeWidth, glyphs) + Format.column("Swift runtime", swiftWidth(width), glyphs)
                + "the primer (tokio)", .dim)
    }

    static func row(_ entry: TaskTimeline.Entry, origin: UInt64, width: Int, marker: String, glyphs: Glyphs) -> Line {
        // A step before the origin reads as a negative offset ("-1.500 ms").
        let time =
            entry.time >= origin
            ? Format.offset(entry.time - origin) : "-" + Format.offset(origin - entry.time).dropFirst()
        var line = Line(Format.column(marker + time, timeWidth, glyphs))
        line.append(Format.column(entry.step.swiftWords(at: entry.time, glyphs), swiftWidth(width) - 1, glyphs) + " ")
        line.append(entry.step.tokioWords, .title)
        return line
    }
}
