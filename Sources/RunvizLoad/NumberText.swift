// NumberText: the few number formats reports need (grouped integers, fixed decimals, byte sizes), without
// Foundation. Pure functions of their input.

/// Formatting helpers for report and progress text.
enum NumberText {
    /// 1234567 → "1,234,567".
    static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// Fixed-point with `places` decimals and grouped thousands: 12345.678, 1 → "12,345.7".
    static func fixed(_ value: Double, _ places: Int = 1) -> String {
        guard value.isFinite else { return "-" }
        let negative = value < 0
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 1.8e19 else { return "-" }
        let units = UInt64(scaled)
        var text = grouped(units / scale)
        if places > 0 {
            let fraction = String(units % scale)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return negative ? "-" + text : text
    }

    /// Byte counts in binary units: "512 B", "1.5 KiB", "12.0 MiB", "3.2 GiB".
    static func bytes(_ value: UInt64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard value >= 1_024 else { return "\(value) B" }
        var amount = Double(value) / 1_024
        var unit = 0
        while amount >= 1_024 && unit < units.count - 1 {
            amount /= 1_024
            unit += 1
        }
        return fixed(amount, 1) + " " + units[unit]
    }
}
