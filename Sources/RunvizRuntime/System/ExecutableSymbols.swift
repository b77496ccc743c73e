// The function symbols of this process's executable, read from its ELF `.symtab`: the one place in
// RunvizRuntime that reads an ELF file. `dladdr` sees only the dynamic symbol table, which holds no
// local function (a closure is one), so this maps `/proc/self/exe` and reads the static one.
//
// Invariants:
// - Addresses are run-time addresses: the file's values plus the load bias, found from the
//   program headers the kernel handed over (`getauxval(AT_PHDR)`) and the file's own PT_PHDR.
// - Only defined STT_FUNC symbols are kept, sorted by address; a name points into the mapped string
//   table, which stays mapped for the life of the process (it is file-backed: page cache, not heap).
// - A stripped executable (no `.symtab`), a file that is not 64-bit little-endian ELF, or any read
//   that fails gives nil: the caller names tasks without symbols. Shared objects are not read.

import CRunvizLinux
import Glibc

struct ExecutableSymbols: @unchecked Sendable {
    struct Function {
        let start: UInt
        let size: UInt
        /// Offset of the name in the string table.
        let name: UInt32
    }

    /// Sorted by `start`.
    let functions: [Function]
    /// The executable's loaded segments (PT_LOAD), run-time addresses: what may be read in place.
    let segments: [Range<UInt>]
    private let strings: UnsafePointer<CChar>
    private let stringsSize: Int

    /// The name of the function whose code holds `address` (its entry point, usually; `exactly`: only
    /// a function that starts there), or nil.
    func name(containing address: UInt, exactly: Bool = false) -> UnsafePointer<CChar>? {
        var low = 0
        var high = functions.count
        while low < high {
            let middle = (low + high) / 2
            if functions[middle].start <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let function = functions[low - 1]
        guard address == function.start || (!exactly && address - function.start < function.size),
            Int(function.name) < stringsSize
        else { return nil }
        return strings + Int(function.name)
    }

    /// Whether `count` bytes from `address` lie in one of the executable's loaded segments.
    func isMapped(_ address: UInt, count: UInt) -> Bool {
        segments.contains {
            $0.lowerBound <= address && address &+ count <= $0.upperBound && address &+ count > address
        }
    }

    /// The executable's function symbols, or nil when it has none to read.
    static func read(path: String = "/proc/self/exe") -> ExecutableSymbols? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 64 else { return nil }
        let size = Int(status.st_size)
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else { return nil }
        let file = UnsafeRawPointer(mapping)
        guard let symbols = read(file, size: size) else {
            munmap(mapping, size)
            return nil
        }
        return symbols
    }

    private static func read(_ file: UnsafeRawPointer, size: Int) -> ExecutableSymbols? {
        // Elf64_Ehdr: e_ident "\x7fELF", class 2 (64-bit), data 1 (little-endian).
        guard file.load(as: UInt32.self) == 0x464C_457F, file.load(fromByteOffset: 4, as: UInt8.self) == 2,
            file.load(fromByteOffset: 5, as: UInt8.self) == 1
        else { return nil }
        func word<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T? {
            guard offset >= 0, offset + MemoryLayout<T>.size <= size else { return nil }
            return file.loadUnaligned(fromByteOffset: offset, as: T.self)
        }
        guard let bias = loadBias(file, size: size), let sectionsAt = word(0x28, UInt64.self),
            let sectionSize = word(0x3A, UInt16.self), let sectionCount = word(0x3C, UInt16.self), sectionSize >= 64
        else { return nil }
        func section(_ index: Int) -> Int { Int(sectionsAt) + index * Int(sectionSize) }
        // Elf64_Shdr: sh_type @4 (SHT_SYMTAB = 2), sh_offset @24, sh_size @32, sh_link @40, sh_entsize @56.
        guard
            let table = (0..<Int(sectionCount)).first(where: { word(section($0) + 4, UInt32.self) == 2 }),
            let symbolsAt = word(section(table) + 24, UInt64.self),
            let symbolsSize = word(section(table) + 32, UInt64.self),
            let link = word(section(table) + 40, UInt32.self), let entrySize = word(section(table) + 56, UInt64.self),
            entrySize >= 24, Int(link) < Int(sectionCount),
            let stringsAt = word(section(Int(link)) + 24, UInt64.self),
            let stringsSize = word(section(Int(link)) + 32, UInt64.self),
            Int(stringsAt) + Int(stringsSize) <= size, Int(symbolsAt) + Int(symbolsSize) <= size
        else { return nil }
        var functions: [Function] = []
        functions.reserveCapacity(Int(symbolsSize / entrySize))
        // Elf64_Sym: st_name @0, st_info @4 (type in the low nibble, STT_FUNC = 2), st_shndx @6
        // (0: undefined), st_value @8, st_size @16.
        var at = Int(symbolsAt)
        while at + 24 <= Int(symbolsAt) + Int(symbolsSize) {
            let info = file.load(fromByteOffset: at + 4, as: UInt8.self)
            let value = file.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)
            if info & 0xF == 2, file.loadUnaligned(fromByteOffset: at + 6, as: UInt16.self) != 0, value != 0 {
                functions.append(
                    Function(
                        start: UInt(value) &+ bias,
                        size: UInt(file.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self)),
                        name: file.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            }
            at += Int(entrySize)
        }
        guard !functions.isEmpty else { return nil }
        functions.sort { $0.start < $1.start }
        return ExecutableSymbols(
            functions: functions, segments: loadedSegments(file, size: size, bias: bias),
            strings: (file + Int(stringsAt)).assumingMemoryBound(to: CChar.self),
            stringsSize: Int(stringsSize))
    }

    /// Elf64_Phdr entries: p_type @0, p_vaddr @16, p_memsz @40.
    private static func programHeaders(_ file: UnsafeRawPointer, size: Int) -> [(
        type: UInt32, address: UInt, size: UInt
    )] {
        let at = Int(file.loadUnaligned(fromByteOffset: 0x20, as: UInt64.self))
        let entrySize = Int(file.loadUnaligned(fromByteOffset: 0x36, as: UInt16.self))
        let count = Int(file.loadUnaligned(fromByteOffset: 0x38, as: UInt16.self))
        guard entrySize >= 56, at > 0, at + count * entrySize <= size else { return [] }
        return (0..<count).map { index in
            let entry = at + index * entrySize
            return (
                file.loadUnaligned(fromByteOffset: entry, as: UInt32.self),
                UInt(file.loadUnaligned(fromByteOffset: entry + 16, as: UInt64.self)),
                UInt(file.loadUnaligned(fromByteOffset: entry + 40, as: UInt64.self))
            )
        }
    }

    /// Run-time address minus file address: where the kernel put the program headers (AT_PHDR) minus
    /// where the file says they are (PT_PHDR = 6).
    private static func loadBias(_ file: UnsafeRawPointer, size: Int) -> UInt? {
        let headersInMemory = UInt(runviz_program_headers())
        guard headersInMemory != 0, let headers = programHeaders(file, size: size).first(where: { $0.type == 6 })
        else { return nil }
        return headersInMemory &- headers.address
    }

    /// PT_LOAD = 1.
    private static func loadedSegments(_ file: UnsafeRawPointer, size: Int, bias: UInt) -> [Range<UInt>] {
        programHeaders(file, size: size).filter { $0.type == 1 && $0.size > 0 }.map {
            ($0.address &+ bias)..<($0.address &+ bias &+ $0.size)
        }
    }
}
