// The name runviz gives a task that has no `Task(name:)`: where its code was written, as
// tokio-console shows a spawn location. The task's entry point is a function symbol; demangled, it
// reads `partial apply forwarder for closure #1 () async -> Swift.Int in static Shop.Shop.order(_:
// Swift.Int, inventory: Shop.Inventory) async throws -> Swift.Int`, and a task-name cell is 15 to 20
// columns wide. `short(_:)` keeps what a person recognises, most telling first (cells clip the end):
//
//   the function that holds the closure, its type path without the module and without generic
//   arguments, its argument labels without their types, then "closure" (with "#N" when the
//   innermost closure is not the first of its function): `Shop.order(_:inventory:) closure`.
//
// Thunks and specialisations around the closure (`partial apply forwarder for`, `merged`,
// `specialized`, `generic specialization <…> of`, `(extension in M):`) are dropped; a reabstraction
// thunk names no user code, so it gives nil and the caller falls back to the task's kind.

enum TaskCodeName {
    /// The short name of a demangled entry-point symbol, or nil when it names no user code.
    static func short(_ demangled: String) -> String? {
        if let propagated = propagatedFunction(demangled) { return short(String(propagated)) }
        guard var text = unwrapped(demangled), !isThunk(text) else { return nil }
        // Closures, innermost first: "closure #2 () async -> () in closure #1 (…) in Shop.f() -> ()".
        // Local functions count as closures do: "setupChannel #1 () -> () in M.Bootstrap.bind(to:)".
        var innermost: (number: Int, local: Substring?)? = nil
        while let closure = closurePrefix(text) {
            if innermost == nil { innermost = (closure.number, closure.local) }
            guard let into = topLevelRange(of: " in ", in: text[closure.typeStart...]) else { return nil }
            text = text[into.upperBound...]
            if text.hasPrefix("static ") { text = text.dropFirst("static ".count) }
        }
        guard let function = functionName(text), !function.isEmpty else { return nil }
        guard let innermost else { return function }
        if let local = innermost.local { return "\(function) \(local)" }
        return innermost.number > 1 ? "\(function) closure #\(innermost.number)" : "\(function) closure"
    }

    /// Whether the symbol is a thunk that forwards to a function it captured (a reabstraction thunk):
    /// the code worth naming is then the captured one.
    static func isForwardingThunk(_ demangled: String) -> Bool {
        propagatedFunction(demangled) == nil && (unwrapped(demangled).map(isThunk) ?? false)
    }

    /// The function the optimizer built into a thunk (`function signature specialization
    /// <Arg[1] = [Constant Propagated Function : implicit closure #1 … in M.f() -> ()]> of
    /// reabstraction thunk helper …`): what an optimized `async let` runs.
    private static func propagatedFunction(_ demangled: String) -> Substring? {
        let marker = "[Constant Propagated Function : "
        let text = Substring(demangled)
        guard text.hasPrefix("function signature specialization <"), let thunk = unwrapped(demangled), isThunk(thunk)
        else { return nil }
        var start = text.startIndex
        while start < text.endIndex && !text[start...].hasPrefix(marker) { start = text.index(after: start) }
        guard start < text.endIndex else { return nil }
        let function = text[text.index(start, offsetBy: marker.count)...]
        var depth = 0
        for index in function.indices {
            switch function[index] {
            case "(", "[": depth += 1
            case "<" where function[..<index].last != "-": depth += 1
            case ")", ">":
                if function[index] == ">" && function[..<index].last == "-" { continue }
                depth -= 1
            case "]":
                if depth == 0 { return function[..<index] }
                depth -= 1
            default: break
            }
        }
        return nil
    }

    private static func isThunk(_ text: Substring) -> Bool {
        text.hasPrefix("reabstraction thunk") || text.hasPrefix("thunk for")
    }

    /// The symbol without the forwarders and specialisations around it.
    private static func unwrapped(_ demangled: String) -> Substring? {
        var text = Substring(demangled)
        stripping: while true {
            for prefix in [
                "partial apply forwarder for ", "partial apply for ", "merged ", "specialized ", "static ",
                "dispatch thunk of ", "@objc ",
            ] where text.hasPrefix(prefix) {
                text = text.dropFirst(prefix.count)
                continue stripping
            }
            // "generic specialization <Swift.Int> of closure #1 …", "generic not re-abstracted
            // specialization <…> of …", "function signature specialization <…> of …".
            if let kind = topLevelRange(of: "specialization <", in: text),
                text[..<kind.lowerBound].allSatisfy({ $0.isLetter || $0 == " " || $0 == "-" })
            {
                guard let of = topLevelRange(of: " of ", in: text[text.index(before: kind.upperBound)...]) else {
                    return nil
                }
                text = text[of.upperBound...]
                continue stripping
            }
            return text
        }
    }

    /// `closure #N <type>`, `implicit closure #N <type>` or a local function's `name #N <type>`: N,
    /// the local function's name, and where the type starts.
    private static func closurePrefix(
        _ text: Substring
    ) -> (number: Int, local: Substring?, typeStart: Substring.Index)? {
        var rest = text
        if rest.hasPrefix("implicit ") { rest = rest.dropFirst("implicit ".count) }
        let word = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !word.isEmpty, rest[word.endIndex...].hasPrefix(" #") else { return nil }
        rest = rest[word.endIndex...].dropFirst(2)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits) else { return nil }
        return (number, word == "closure" ? nil : word, digits.endIndex)
    }

    /// "Shop.Shop.order(_: Swift.Int, inventory: Shop.Inventory) async throws -> Swift.Int" →
    /// "Shop.order(_:inventory:)"; "Shop.Box<A>.value.getter : A" → "Box.value.getter".
    private static func functionName(_ text: Substring) -> String? {
        var path = ""
        var depth = 0
        var index = text.startIndex
        var arguments: Substring? = nil
        while index < text.endIndex {
            let character = text[index]
            if character == "<" {
                depth += 1
            } else if character == ">" && depth > 0 && text[..<index].last != "-" {
                depth -= 1
            } else if depth == 0 {
                if character == "(" {
                    if text[index...].hasPrefix("(extension in "), let close = text[index...].firstIndex(of: ")") {
                        // "(extension in NIOCore):NIOCore.EventLoop.f()": the extension's module.
                        index = text.index(after: close)
                        if index < text.endIndex && text[index] == ":" { index = text.index(after: index) }
                        continue
                    }
                    if let close = text[index...].firstIndex(of: ")"),
                        let discriminated = topLevelRange(of: " in _", in: text[text.index(after: index)..<close])
                    {
                        // A private name with its file's discriminator: "M.(Manager in _7F4F…).f()".
                        path += text[text.index(after: index)..<discriminated.lowerBound]
                        index = text.index(after: close)
                        continue
                    }
                    arguments = balanced(text[index...])
                    break
                }
                if character == "@" {
                    // A `@Sendable` function prints as its type: "M.nap@Sendable () async -> Swift.Int".
                    arguments = text[index...].firstIndex(of: "(").flatMap { balanced(text[$0...]) }
                    break
                }
                if character == " " { break }
                path.append(character)
            }
            index = text.index(after: index)
        }
        // The module is the first component (a top-level function keeps its own name).
        let components = path.split(separator: ".", omittingEmptySubsequences: false)
        let named = components.count > 1 ? components.dropFirst().joined(separator: ".") : path
        guard let arguments else { return named }
        return named + "(" + labels(arguments).joined() + ")"
    }

    /// The text inside the parentheses that open `text`, up to the one that closes them.
    private static func balanced(_ text: Substring) -> Substring? {
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "(", "[": depth += 1
            case "<" where text[..<index].last != "-": depth += 1
            case ")", "]", ">":
                if text[index] == ">" && text[..<index].last == "-" { continue }
                depth -= 1
                if depth == 0 { return text[text.index(after: text.startIndex)..<index] }
            default: break
            }
        }
        return nil
    }

    /// "_: Swift.Int, inventory: Shop.Inventory" → ["_:", "inventory:"]; an unlabelled "A1" → "_:".
    private static func labels(_ arguments: Substring) -> [String] {
        guard !arguments.isEmpty else { return [] }
        var result: [String] = []
        var start = arguments.startIndex
        var depth = 0
        var index = arguments.startIndex
        func label(_ argument: Substring) -> String {
            let trimmed = argument.drop { $0 == " " }
            let name = trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return trimmed.dropFirst(name.count).hasPrefix(": ") && !name.isEmpty ? "\(name):" : "_:"
        }
        while index < arguments.endIndex {
            switch arguments[index] {
            case "(", "[": depth += 1
            case "<" where arguments[..<index].last != "-": depth += 1
            case ")", "]": depth -= 1
            case ">" where arguments[..<index].last != "-": depth -= 1
            case "," where depth == 0:
                result.append(label(arguments[start..<index]))
                start = arguments.index(after: index)
            default: break
            }
            index = arguments.index(after: index)
        }
        result.append(label(arguments[start...]))
        return result
    }

    /// The first occurrence of `needle` in `text` outside brackets.
    private static func topLevelRange(of needle: String, in text: Substring) -> Range<Substring.Index>? {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            switch text[index] {
            case "(", "[": depth += 1
            case "<" where text[..<index].last != "-": depth += 1
            case ")", "]": depth -= 1
            case ">" where text[..<index].last != "-": depth -= 1
            default:
                if depth == 0 && text[index...].hasPrefix(needle) {
                    return index..<text.index(index, offsetBy: needle.count)
                }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
