// One line of the help overlay: the keys as written on screen and what they do. The key map's
// bindings list is the single source of the help text, and tests check it against the key map.

struct KeyBinding: Equatable, Sendable {
    /// The keys as the help shows them ("c / C", "Tab / S-Tab").
    var keys: String
    var effect: String
    /// Example keys this line documents (tests check each is mapped).
    var examples: [Key]

    init(_ keys: String, _ effect: String, _ examples: [Key]) {
        self.keys = keys
        self.effect = effect
        self.examples = examples
    }
}
