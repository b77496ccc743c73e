// Reading what a scrape returns: the exposition as a set of lines (the registry emits families
// and series in no fixed order), and one sample's value.

import Prometheus

extension PrometheusCollectorRegistry {
    /// Every line of the current exposition.
    var lines: Set<String> { Set(emitToString().split(separator: "\n").map(String.init)) }
}

/// The value of the sample whose name and labels are `series` (e.g. `runviz_tasks{state="ready"}`).
func sample(_ series: String, in text: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}
