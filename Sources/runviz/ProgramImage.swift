// What `runviz run` reads of a program before starting it, from its ELF file alone (nothing of it
// runs): whether it is dynamically linked, the libraries it needs (DT_NEEDED), where the loader
// looks for them (DT_RPATH, DT_RUNPATH with $ORIGIN), and whether it holds Swift code (the swift5_*
// metadata sections every Swift image carries). From these, `verdict` says whether runviz can be
// injected: only into a dynamically linked Swift program whose libswiftCore.so resolves to the very
// file runviz itself loaded — there is no Swift ABI stability on Linux, and a program built with
// `--static-swift-stdlib` has its own copy of the executor hooks, which the injected library cannot
// reach. The path search follows ld.so(8): DT_RPATH (when there is no DT_RUNPATH), LD_LIBRARY_PATH,
// DT_RUNPATH, then the default directories (not /etc/ld.so.cache; the injected library's own check
// of the library actually loaded covers what this misses). 64-bit little-endian ELF only.

import FoundationEssentials
import Glibc
import RunvizSystem

struct ProgramImage {
    /// The program's file, as given (absolute or relative to the current directory).
    let path: String
    /// Whether it has a PT_INTERP: the dynamic loader starts it, so LD_PRELOAD applies.
    var dynamic = false
    var needed: [String] = []
    var rpath: [String] = []
    var runpath: [String] = []
    /// Whether it has Swift metadata sections (swift5_protocols, swift5_typeref, …).
    var hasSwiftCode = false

    /// Why runviz cannot watch a program, one line each.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        case notExecutable(String)
        case notELF(String)
        case notSwift(String)
        case staticSwift(String)
        case swiftCoreNotFound(String)
        case otherSwiftRuntime(program: String, loads: String, runviz: String)

        var description: String {
            switch self {
            case .notFound(let p): "\(p): not found"
            case .notExecutable(let p): "\(p): not an executable file"
            case .notELF(let p): "\(p): not a 64-bit ELF program (runviz injects into Swift programs built for Linux)"
            case .notSwift(let p): "\(p): not a Swift program (it does not load libswiftCore.so)"
            case .staticSwift(let p):
                "\(p): built with --static-swift-stdlib (it carries its own Swift runtime, which runviz cannot reach); "
                    + "rebuild it without, or add runviz's two lines to it"
            case .swiftCoreNotFound(let p):
                "\(p): the libswiftCore.so it needs is not found (DT_RUNPATH, LD_LIBRARY_PATH)"
            case .otherSwiftRuntime(let p, let loads, let runviz):
                "\(p): built with a different Swift runtime (it loads \(loads), runviz was built against \(runviz)); "
                    + "rebuild it, or runviz, with the same toolchain"
            }
        }
    }

    /// The executable `name` names: a path when it has a slash, else the first match on PATH.
    static func locate(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) throws(Refusal)
        -> String
    {
        if name.contains("/") {
            guard FileManager.default.fileExists(atPath: name) else { throw .notFound(name) }
            guard isExecutableFile(name) else { throw .notExecutable(name) }
            return name
        }
        let candidates = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { "\($0)/\(name)" }
        if let found = candidates.first(where: isExecutableFile) { return found }
        throw candidates.contains(where: { FileManager.default.fileExists(atPath: $0) })
            ? .notExecutable(name) : .notFound(name)
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory
            && access(path, X_OK) == 0
    }

    /// Reads the program's ELF headers.
    init(reading path: String) throws(Refusal) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .notFound(path) }
        defer { close(fd) }
        let file = ELFFile(fd: fd)
        guard let header = file.bytes(at: 0, count: 64), header.starts(with: [0x7F, 0x45, 0x4C, 0x46]),
            header[4] == 2, header[5] == 1  // ELFCLASS64, little-endian
        else { throw .notELF(path) }
        let phoff = header.word(at: 32)
        let phentsize = Int(header.half(at: 54))
        let phnum = Int(header.half(at: 56))
        var loads: [(vaddr: UInt64, offset: UInt64, size: UInt64)] = []
        var dynamicSegment: (offset: UInt64, size: UInt64)?
        for index in 0..<phnum {
            guard let ph = file.bytes(at: phoff + UInt64(index * phentsize), count: 56) else { throw .notELF(path) }
            switch ph.quarter(at: 0) {
            case 1: loads.append((ph.word(at: 16), ph.word(at: 8), ph.word(at: 32)))  // PT_LOAD
            case 2: dynamicSegment = (ph.word(at: 8), ph.word(at: 32))  // PT_DYNAMIC
            case 3: dynamic = true  // PT_INTERP
            default: break
            }
        }
        if let dynamicSegment, let entries = file.bytes(at: dynamicSegment.offset, count: Int(dynamicSegment.size)) {
            var strtab: UInt64?
            var names: [(tag: UInt64, offset: UInt64)] = []
            for at in stride(from: 0, to: entries.count - 15, by: 16) {
                let (tag, value) = (entries.word(at: at), entries.word(at: at + 8))
                if tag == 0 { break }  // DT_NULL
                if tag == 5 { strtab = value }  // DT_STRTAB (an address)
                if tag == 1 || tag == 15 || tag == 29 { names.append((tag, value)) }  // NEEDED, RPATH, RUNPATH
            }
            let table = strtab.flatMap { address in
                loads.first { address >= $0.vaddr && address < $0.vaddr + $0.size }.map {
                    address - $0.vaddr + $0.offset
                }
            }
            for (tag, offset) in names {
                guard let table, let text = file.string(at: table + offset) else { continue }
                switch tag {
                case 1: needed.append(text)
                case 15: rpath += text.split(separator: ":").map(String.init)
                default: runpath += text.split(separator: ":").map(String.init)
                }
            }
        }
        hasSwiftCode = Self.sectionNames(file, header).contains { $0.hasPrefix("swift5_") }
    }

    /// The names of the file's sections (none when it has no section headers).
    private static func sectionNames(_ file: ELFFile, _ header: [UInt8]) -> [String] {
        let shoff = header.word(at: 40)
        let shentsize = Int(header.half(at: 58))
        let shnum = Int(header.half(at: 60))
        let shstrndx = Int(header.half(at: 62))
        guard shoff != 0, shstrndx < shnum,
            let strings = file.bytes(at: shoff + UInt64(shstrndx * shentsize), count: 64)
        else { return [] }
        let stringsOffset = strings.word(at: 24)
        return (0..<shnum).compactMap { index in
            guard let sh = file.bytes(at: shoff + UInt64(index * shentsize), count: 64) else { return nil }
            return file.string(at: stringsOffset + UInt64(sh.quarter(at: 0)))
        }
    }

    /// Where the loader will find `library` for this program, as ld.so searches (nil: nowhere).
    func resolve(_ library: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        let origin = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
        func expand(_ directory: String) -> String {
            directory.replacing("${ORIGIN}", with: origin).replacing("$ORIGIN", with: origin)
        }
        var directories = runpath.isEmpty ? rpath.map(expand) : []
        directories += (environment["LD_LIBRARY_PATH"] ?? "").split(separator: ":").map(String.init)
        directories += runpath.map(expand)
        directories += [
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
        ]
        return directories.lazy.map { "\($0)/\(library)" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Whether runviz can be injected into this program, whose runviz loads `swiftCore` (a real
    /// path): the real path of the libswiftCore.so the program will load, or why not.
    func verdict(swiftCore: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(Refusal) -> String
    {
        let name = path
        guard needed.contains("libswiftCore.so") else {
            throw hasSwiftCode ? .staticSwift(name) : .notSwift(name)
        }
        guard dynamic else { throw .staticSwift(name) }
        guard let found = resolve("libswiftCore.so", environment: environment) else {
            throw .swiftCoreNotFound(name)
        }
        let loads = URL(fileURLWithPath: found).resolvingSymlinksInPath().path
        guard loads == swiftCore else { throw .otherSwiftRuntime(program: name, loads: loads, runviz: swiftCore) }
        return loads
    }

    /// The real path of the libswiftCore.so this process loaded, from its memory map (nil: none).
    static func ownSwiftCore() -> String? {
        guard let bytes = try? Posix.readFile("/proc/self/maps") else { return nil }
        let maps = String(decoding: bytes, as: UTF8.self)
        let mapped = maps.split(separator: "\n").lazy.compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).first.map(String.init)
        }
        guard let path = mapped.first(where: { $0.hasSuffix("/libswiftCore.so") }) else { return nil }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}

/// Reads parts of an open file by offset (pread), for the ELF headers.
private struct ELFFile {
    let fd: Int32

    func bytes(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, count <= 16 << 20, offset <= UInt64(Int.max) else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return got == count ? buffer : nil
    }

    /// The NUL-terminated string at `offset` (at most 4 KiB).
    func string(at offset: UInt64) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4096, off_t(offset)) }
        guard got > 0, let end = buffer[..<got].firstIndex(of: 0) else { return nil }
        return String(decoding: buffer[..<end], as: UTF8.self)
    }
}

extension [UInt8] {
    /// Little-endian fields of an ELF64 header at byte offset `offset`.
    fileprivate func half(at offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
    fileprivate func quarter(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(self[offset + $1]) << (8 * $1) }
    }
    fileprivate func word(at offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(self[offset + $1]) << (8 * $1) }
    }
}
