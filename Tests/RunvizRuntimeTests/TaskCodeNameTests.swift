// TaskCodeName shortens demangled entry-point symbols (literal strings, as `swift demangle` and the
// runtime's `swift_demangle` print them on Swift 6.3.1) to a task name; ExecutableSymbols reads this
// test binary's own symbol table, and a file that has none gives no index (the named fallback).

import Foundation
import Testing

@testable import RunvizRuntime

@_cdecl("runviz_test_symbol_marker") func symbolMarker() -> Int32 { 7 }

struct TaskCodeNameTests {
    static let order = "static dm.Shop.order(_: Swift.Int, inventory: dm.Inventory) async throws -> Swift.Int"

    @Test func aClosureIsNamedByTheFunctionThatHoldsItWithItsArgumentLabels() {
        #expect(
            TaskCodeName.short("closure #1 () async -> Swift.Int in \(Self.order)")
                == "Shop.order(_:inventory:) closure")
    }

    @Test func aPartialApplyForwarderIsDropped() {
        #expect(
            TaskCodeName.short("partial apply forwarder for closure #1 () async -> Swift.Int in \(Self.order)")
                == "Shop.order(_:inventory:) closure")
        #expect(
            TaskCodeName.short("partial apply for closure #1 () async -> Swift.Int in \(Self.order)")
                == "Shop.order(_:inventory:) closure")
    }

    @Test func aNestedClosureIsNamedByItsFunctionAndItsOwnNumber() {
        let nested =
            "closure #2 () async -> Swift.Int in closure #2 (inout Swift.TaskGroup<Swift.Int>) async -> Swift.Int in "
            + Self.order
        #expect(TaskCodeName.short(nested) == "Shop.order(_:inventory:) closure #2")
        let first = "closure #1 @Sendable () async -> () in closure #3 () async -> () in Shop.main() -> ()"
        #expect(TaskCodeName.short(first) == "main() closure")
    }

    @Test func anAsyncLetsImplicitClosureReadsAsAClosure() {
        #expect(
            TaskCodeName.short(
                "partial apply forwarder for implicit closure #1 @Sendable () async -> Swift.Int in \(Self.order)")
                == "Shop.order(_:inventory:) closure")
    }

    @Test func genericArgumentsAndConstraintsAreDropped() {
        #expect(
            TaskCodeName.short(
                "closure #1 () async throws -> Swift.Int in dm.Box.run<A where A1: Swift.Sendable>(A1) async -> Swift.Int"
            )
                == "Box.run(_:) closure")
        #expect(
            TaskCodeName.short(
                "generic specialization <Swift.Int> of closure #1 () async -> A in dm.Box<A>.run(_: A) async -> A")
                == "Box.run(_:) closure")
        #expect(
            TaskCodeName.short(
                "closure #1 @Sendable () async -> () in (extension in NIOCore):NIOCore.EventLoop.makeFutureWithTask<A>"
                    + "(@Sendable () async throws -> A) -> NIOCore.EventLoopFuture<A>")
                == "EventLoop.makeFutureWithTask(_:) closure")
    }

    @Test func aPrivateNameLosesItsFileDiscriminator() {
        #expect(
            TaskCodeName.short(
                "closure #1 () async -> () in NIOPosix.(SocketChannelLifecycleManager in _7F4F544BB68CD2CFABA0C799)"
                    + ".(beginClosing in _7F4F544BB68CD2CFABA0C799)(mode: NIOCore.CloseMode) -> ()")
                == "SocketChannelLifecycleManager.beginClosing(mode:) closure")
    }

    @Test func aLocalFunctionIsNamedInItsFunction() {
        #expect(
            TaskCodeName.short(
                "setupChannel #1 @Sendable () -> NIOCore.EventLoopFuture<NIOCore.Channel> in "
                    + "NIOPosix.ClientBootstrap.withConnectedSocket(_: Swift.Int32) -> ()")
                == "ClientBootstrap.withConnectedSocket(_:) setupChannel")
        #expect(
            TaskCodeName.short(
                "partial apply forwarder for closure #2 @Sendable () -> NIOCore.EventLoopFuture<()> in setupChannel #1 "
                    + "@Sendable () -> NIOCore.EventLoopFuture<NIOCore.Channel> in "
                    + "NIOPosix.ClientBootstrap.withConnectedSocket(_: Swift.Int32) -> ()")
                == "ClientBootstrap.withConnectedSocket(_:) closure #2")
    }

    @Test func everyKindOfSpecializationIsDropped() {
        #expect(
            TaskCodeName.short(
                "generic not re-abstracted specialization <_NIOFileSystem.FileSystem, Swift.Int64> of closure #1 () "
                    + "async throws -> A1 in (extension in _NIOFileSystem):_NIOFileSystem.FileSystemProtocol"
                    + ".withFileHandle<A>(forReadingAt: SystemPackage.FilePath) async throws -> A1")
                == "FileSystemProtocol.withFileHandle(forReadingAt:) closure")
        let thunk =
            "generic specialization <serialized, ()> of reabstraction thunk helper <A, B where A: Swift.Sendable, "
            + "B == Swift.Never> from @escaping @isolated(any) @callee_guaranteed @async () -> (@out A) to @escaping "
            + "@callee_guaranteed @async () -> (@out A, @error @owned Swift.Error)"
        #expect(TaskCodeName.short(thunk) == nil)
        #expect(TaskCodeName.isForwardingThunk(thunk))
    }

    @Test func aThunkWithItsFunctionBuiltInIsNamedByThatFunction() {
        let asyncLet =
            "function signature specialization <Arg[1] = [Constant Propagated Function : implicit closure #1 () "
            + "async -> Swift.Int in closure #1 () async -> Swift.Int in closure #1 @Sendable () async -> Swift.Int in "
            + "GlobalExecutorProbe.lifecycle() -> ()]> of reabstraction thunk helper from @escaping @callee_guaranteed "
            + "@async () -> (@unowned Swift.Int) to @escaping @callee_guaranteed @async () -> sending (@out Swift.Int, "
            + "@error @owned Swift.Error)"
        #expect(TaskCodeName.short(asyncLet) == "lifecycle() closure")
        #expect(!TaskCodeName.isForwardingThunk(asyncLet))
        let specialized =
            "function signature specialization <Arg[1] = [Constant Propagated Function : function signature "
            + "specialization <Arg[0] = [Constant Propagated Struct : Swift.Int][Constant Propagated Integer : 15]> of "
            + "implicit closure #2 () async -> Swift.Int in GlobalExecutorProbe.fib(Swift.Int) async -> Swift.Int]> of "
            + "reabstraction thunk helper from @escaping @callee_guaranteed @async () -> (@unowned Swift.Int) to "
            + "@escaping @callee_guaranteed @async () -> sending (@out Swift.Int, @error @owned Swift.Error)"
        #expect(TaskCodeName.short(specialized) == "fib(_:) closure #2")
    }

    @Test func argumentTypesWithArrowsColonsAndBracketsLeaveOnlyLabels() {
        #expect(
            TaskCodeName.short(
                "dm.Shop.serve(handler: (Swift.Int) async throws -> Swift.String, port: Swift.Int) async throws -> ()")
                == "Shop.serve(handler:port:)")
        #expect(
            TaskCodeName.short("dm.tally(_: [Swift.String : Swift.Int], by: (Swift.Int, Swift.Int)) -> ()")
                == "tally(_:by:)")
        #expect(TaskCodeName.short("Shop.Cart.total.getter : Swift.Int") == "Cart.total.getter")
    }

    @Test func aSendableFunctionPrintedAsItsTypeKeepsItsName() {
        #expect(TaskCodeName.short("GlobalExecutorProbe.nap@Sendable () async -> Swift.Int") == "nap()")
        #expect(
            TaskCodeName.short("partial apply forwarder for GlobalExecutorProbe.nap@Sendable () async -> Swift.Int")
                == "nap()")
    }

    @Test func aReabstractionThunkNamesNoUserCodeAndForwards() {
        let thunk =
            "partial apply forwarder for reabstraction thunk helper <A where A: Swift.Sendable> from @escaping "
            + "@isolated(any) @callee_guaranteed @async () -> (@out A) to @escaping @callee_guaranteed @async () -> "
            + "(@out A, @error @owned Swift.Error) with unmangled suffix \".171\""
        #expect(TaskCodeName.short(thunk) == nil)
        #expect(TaskCodeName.isForwardingThunk(thunk))
        #expect(!TaskCodeName.isForwardingThunk("closure #1 () async -> Swift.Int in \(Self.order)"))
    }

    @Test func aLocalSuffixIsDropped() {
        #expect(
            TaskCodeName.short(
                "closure #1 () async -> () in Shop.main() -> () with unmangled suffix \".resume.0\"")
                == "main() closure")
    }

    @Test func theExecutablesSymbolTableHoldsItsFunctions() throws {
        let symbols = try #require(ExecutableSymbols.read())
        #expect(symbols.functions.count > 1000)
        let marker = unsafeBitCast(symbolMarker as @convention(c) () -> Int32, to: UInt.self)
        let name = try #require(symbols.name(containing: marker, exactly: true))
        #expect(String(cString: name) == "runviz_test_symbol_marker")
        #expect(symbols.isMapped(marker, count: 8))
        #expect(!symbols.isMapped(0x10, count: 8))
    }

    @Test func aFileWithoutASymbolTableGivesNoIndexAndNoNames() {
        #expect(ExecutableSymbols.read(path: "/dev/null") == nil)
        #expect(ExecutableSymbols.read(path: "/nonexistent/runviz") == nil)
        let names = CodeNames()
        names.index(path: "/dev/null")
        #expect(names.isSettled)
        #expect(!names.isReady())
        #expect(names.symbolCount == 0)
        #expect(names.code(at: unsafeBitCast(symbolMarker as @convention(c) () -> Int32, to: UInt.self)) == .unnamed)
    }
}
