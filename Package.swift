// swift-tools-version: 6.1
// runviz: an instrumented async runtime, an echo server on it, and a live dashboard of its insides.
import PackageDescription

let package = Package(
    name: "runviz",
    products: [
        .executable(name: "runviz", targets: ["runviz"]),
        // The core runtime: spawn, blockOn, spawnBlocking, sleep, yield, TCP, AsyncMutex, Channel,
        // named tasks, and the events and counters it records (RunvizTelemetry). It needs
        // swift-collections alone: depend on it with `traits: []` and nothing else resolves.
        .library(name: "RunvizRuntime", targets: ["RunvizRuntime"]),
        // Being watched, opt in: `try runtime.watch()` serves `runviz attach` and Prometheus from an
        // observer thread of its own (trait Watch, on by default).
        .library(name: "RunvizWatch", targets: ["RunvizWatch"]),
        // What `runviz run` preloads into an unmodified Swift program: librunvizinject.so, next to
        // the runviz binary; it exports no symbol (Sources/RunvizInject/exports.map).
        .library(name: "runvizinject", type: .dynamic, targets: ["RunvizInject"]),
    ],
    // Every dependency beside swift-collections hangs on a trait: Watch (Prometheus, for
    // RunvizWatch) and Tool (the runviz command's parser and the load generator's histograms).
    traits: [
        .trait(name: "Watch", description: "RunvizWatch: telemetry for runviz attach, metrics for Prometheus"),
        .trait(name: "Tool", description: "the runviz command and its load generator"),
        .default(enabledTraits: ["Watch", "Tool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "CRunvizLinux"),
        .target(name: "RunvizLock", dependencies: ["CRunvizLinux"]),
        // The kernel, wrapped once: the syscall retry loop, the socket calls and the one thread start.
        .target(name: "RunvizSystem", dependencies: ["CRunvizLinux"]),
        .systemLibrary(name: "CRunvizCurses"),
        // The producer side: what the runtime records (events, rings, counters, names).
        .target(name: "RunvizTelemetry", dependencies: ["RunvizLock", "CRunvizLinux"]),
        .target(
            name: "RunvizRuntime",
            dependencies: [
                "RunvizTelemetry", "RunvizLock", "RunvizSystem", "CRunvizLinux",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            // The compiler's opt-in for the runtime entry points declared in SwiftRuntime/SwiftRuntime.swift
            // (not an unsafe flag); without it that file takes the public API.
            swiftSettings: [.enableExperimentalFeature("AllowRuntimeSymbolDeclarations")]
        ),
        // The consumer side: what observing makes of the events (models, snapshots, history,
        // recordings, exports, timelines). Never depends on the runtime.
        .target(name: "RunvizObservation", dependencies: ["RunvizTelemetry", "RunvizLock", "CRunvizLinux"]),
        .target(
            name: "RunvizMetrics",
            dependencies: [
                "RunvizObservation", "RunvizTelemetry", "RunvizLock", "RunvizSystem", "CRunvizLinux",
                .product(name: "Prometheus", package: "swift-prometheus", condition: .when(traits: ["Watch"])),
            ]
        ),
        .target(
            name: "RunvizWatch",
            dependencies: [
                "RunvizRuntime", "RunvizObservation", "RunvizTelemetry", "RunvizWire", "RunvizMetrics", "RunvizLock",
                "RunvizSystem", "CRunvizLinux",
            ]
        ),
        .target(
            name: "RunvizEcho",
            dependencies: ["RunvizRuntime", "RunvizLock", "RunvizSystem", "CRunvizLinux"]),
        .target(
            name: "RunvizLoad",
            dependencies: [
                "CRunvizLinux", "RunvizLock", "RunvizSystem",
                .product(name: "Histogram", package: "hdrhistogram-swift", condition: .when(traits: ["Tool"])),
            ]
        ),
        .target(
            name: "RunvizWire",
            dependencies: ["RunvizObservation", "RunvizTelemetry", "RunvizLock", "RunvizSystem", "CRunvizLinux"]),
        .target(
            name: "RunvizTUI", dependencies: ["RunvizObservation", "RunvizTelemetry", "CRunvizCurses"],
            plugins: ["EmbedLessons"]),
        // Assets/lessons/*.md → a generated Swift file in RunvizTUI, at every build: lessons ship in the binary.
        .executableTarget(name: "LessonEmbedder"),
        .plugin(name: "EmbedLessons", capability: .buildTool(), dependencies: ["LessonEmbedder"]),
        .target(
            name: "RunvizRecording",
            dependencies: ["RunvizObservation", "RunvizTelemetry", "RunvizLock", "RunvizSystem", "CRunvizLinux"]),
        .target(
            name: "RunvizDemos",
            dependencies: [
                "RunvizRuntime", "RunvizEcho", "RunvizLoad", "RunvizObservation", "RunvizTelemetry", "RunvizLock",
            ]),
        .target(
            name: "RunvizSession",
            dependencies: [
                "RunvizRuntime", "RunvizWatch", "RunvizObservation", "RunvizTelemetry", "RunvizEcho", "RunvizLoad",
                "RunvizDemos", "CRunvizLinux",
            ]
        ),
        .executableTarget(
            name: "runviz",
            dependencies: [
                "RunvizRuntime", "RunvizTelemetry", "RunvizEcho", "RunvizLoad", "RunvizSession", "RunvizTUI",
                "RunvizRecording", "RunvizLock", "RunvizMetrics", "RunvizWire", "RunvizObservation", "RunvizSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: .when(traits: ["Tool"])),
            ]
        ),
        // Installs runviz as its process's global executor and prints what ran where; run by
        // RunvizRuntimeTests' GlobalExecutorTests as a subprocess (an install takes over a process).
        .executableTarget(
            name: "GlobalExecutorProbe",
            dependencies: ["RunvizRuntime", "RunvizTelemetry", "RunvizLock", "RunvizSystem", "CRunvizLinux"],
            path: "Tests/GlobalExecutorProbe"),
        // librunvizinject.so's constructor (C: Swift has none) and its Swift half, which installs
        // runviz and serves telemetry on the socket `runviz run` names; linked to export nothing.
        .target(name: "CRunvizInject"),
        .target(
            name: "RunvizInject", dependencies: ["CRunvizInject", "RunvizRuntime", "RunvizWatch", "RunvizWire"],
            exclude: ["exports.map"],
            linkerSettings: [
                .unsafeFlags([
                    "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/RunvizInject/exports.map",
                ])
            ]),
        // An ordinary Swift concurrency program with no runviz line, for `runviz run` (Tests/e2e/run.sh).
        .executableTarget(name: "PlainAsyncProgram", path: "Tests/PlainAsyncProgram"),
        // Ordinary async work timed on Swift's default executor and with runviz installed (events on,
        // off); run by Scripts/bench-global-executor.sh, one mode per process.
        .executableTarget(
            name: "GlobalExecutorBench", dependencies: ["RunvizRuntime", "RunvizLock", "RunvizSystem", "CRunvizLinux"],
            path: "Benchmarks/GlobalExecutorBench"),
        // The blocking pool's memory with 500 concurrent jobs on a pool allowed 4,096 threads: run by
        // Scripts/bench-blocking-memory.sh.
        .executableTarget(
            name: "BlockingMemoryBench",
            dependencies: ["RunvizRuntime", "RunvizWatch", "RunvizLock", "RunvizSystem"],
            path: "Benchmarks/BlockingMemoryBench"),
        // The conformance suite's cases: ordinary Swift concurrency programs with the output the
        // language guarantees; run by the two helpers below, compared by ConformanceTests.
        .target(
            name: "ConformanceCases", dependencies: ["RunvizLock", "RunvizSystem", "CRunvizLinux"],
            path: "Tests/ConformanceCases"),
        // The cases on Swift's default executor (runviz not even linked).
        .executableTarget(
            name: "ConformanceOnDefault", dependencies: ["ConformanceCases"], path: "Tests/ConformanceOnDefault"),
        // What the helpers with runviz installed check after each case, from runviz's counters.
        .target(
            name: "ConformanceRunvizChecks", dependencies: ["ConformanceCases", "RunvizRuntime"],
            path: "Tests/ConformanceRunvizChecks"),
        // The cases with runviz installed as the global executor at the top of an async main.
        .executableTarget(
            name: "ConformanceOnRunviz",
            dependencies: ["ConformanceCases", "ConformanceRunvizChecks", "RunvizRuntime"],
            path: "Tests/ConformanceOnRunviz"),
        // The same, installed at the top of a synchronous main.
        .executableTarget(
            name: "ConformanceOnRunvizSyncMain",
            dependencies: ["ConformanceCases", "ConformanceRunvizChecks", "RunvizRuntime"],
            path: "Tests/ConformanceOnRunvizSyncMain"),
        .target(
            name: "RunvizTestSupport", dependencies: ["RunvizObservation", "RunvizRuntime", "RunvizWatch"],
            path: "Tests/RunvizTestSupport"),
        .testTarget(name: "RunvizLockTests", dependencies: ["RunvizLock"]),
        .testTarget(name: "RunvizSystemTests", dependencies: ["CRunvizLinux", "RunvizLock", "RunvizSystem"]),
        .testTarget(name: "RunvizTelemetryTests", dependencies: ["RunvizTelemetry"]),
        .testTarget(
            name: "RunvizRuntimeTests",
            dependencies: [
                "CRunvizLinux", "RunvizLock", "RunvizObservation", "RunvizRuntime", "RunvizSystem", "RunvizTelemetry",
                "RunvizTestSupport",
            ]),
        // Runs ConformanceOnDefault and ConformanceOnRunviz and compares them, case by case.
        .testTarget(name: "ConformanceTests", dependencies: ["ConformanceCases"]),
        .testTarget(name: "RunvizObservationTests", dependencies: ["RunvizObservation", "RunvizTelemetry"]),
        .testTarget(
            name: "RunvizWatchTests",
            dependencies: ["RunvizLock", "RunvizObservation", "RunvizRuntime", "RunvizWatch", "RunvizWire"]),
        .testTarget(
            name: "RunvizEchoTests",
            dependencies: [
                "RunvizEcho", "RunvizLoad", "RunvizLock", "RunvizObservation", "RunvizRuntime", "RunvizTestSupport",
            ]),
        .testTarget(
            name: "RunvizLoadTests",
            dependencies: ["CRunvizLinux", "RunvizLoad", "RunvizLock", "RunvizSystem", "RunvizTestSupport"]),
        .testTarget(name: "RunvizTUITests", dependencies: ["RunvizObservation", "RunvizTUI", "RunvizTelemetry"]),
        .testTarget(
            name: "RunvizRecordingTests",
            dependencies: [
                "RunvizObservation", "RunvizRecording", "RunvizRuntime", "RunvizSession", "RunvizTelemetry",
                "RunvizTestSupport",
            ]),
        .testTarget(
            name: "RunvizDemosTests",
            dependencies: ["RunvizDemos", "RunvizEcho", "RunvizObservation", "RunvizRuntime", "RunvizTestSupport"]),
        .testTarget(
            name: "RunvizSessionTests",
            dependencies: ["RunvizEcho", "RunvizObservation", "RunvizRuntime", "RunvizSession", "RunvizTestSupport"]),
        .testTarget(
            name: "RunvizMetricsTests",
            dependencies: [
                "RunvizEcho", "RunvizMetrics", "RunvizObservation", "RunvizRuntime", "RunvizSession", "RunvizTelemetry",
                "RunvizTestSupport", "RunvizWatch",
            ]),
        .testTarget(
            name: "RunvizWireTests",
            dependencies: [
                "CRunvizLinux", "RunvizEcho", "RunvizMetrics", "RunvizObservation", "RunvizRuntime", "RunvizSession",
                "RunvizTelemetry", "RunvizTestSupport", "RunvizWatch", "RunvizWire",
            ]),
        .testTarget(
            name: "runvizTests",
            dependencies: ["RunvizLock", "RunvizObservation", "RunvizTelemetry", "RunvizTestSupport"]),
    ]
)

// The documentation build alone (Scripts/docs.sh sets RUNVIZ_DOCS=1) adds swift-docc-plugin, so an
// ordinary build, and a package that depends on runviz, resolve nothing more.
if Context.environment["RUNVIZ_DOCS"] == "1" {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
