// What every panel needs besides its data: the glyph set, the view state and the snapshot's
// "now" (durations such as "parked for 1.2 s" are measured against the time the snapshot was
// taken, never against the wall clock, so a frame is a pure function of its inputs).

struct RenderContext {
    let glyphs: Glyphs
    let view: ViewState
    /// `RuntimeSnapshot.takenAt`.
    let now: UInt64

    /// Nanoseconds from `time` to now (0 if `time` is later).
    func age(_ time: UInt64) -> UInt64 { now >= time ? now - time : 0 }

    func duration(_ nanos: UInt64) -> String { Format.duration(nanos, glyphs) }

    /// Whether `panel` has the focus and no overlay hides it.
    func isFocused(_ panel: Panel) -> Bool {
        view.focus == panel && view.detail == nil && view.step == nil && view.lesson == nil && !view.helpOpen
    }
}
