// swift-tools-version: 6.0
// runviz: an instrumented async runtime, an echo server on it, and a live dashboard of its insides.
import PackageDescription

let package = Package(
    name: "runviz",
    products: [
        .executable(name: "runviz", targets: ["runviz"]),
        // The runtime as a library: spawn, blockOn, spawnBlocking, sleep, yield, TCP, AsyncMutex,
        // Channel, named tasks, and the telemetry `runviz attach` watches; RunvizMetrics names the
        // address of `RuntimeConfiguration.metrics` (Prometheus), RunvizWire that of `.telemetry`.
        .library(name: "RunvizRuntime", targets: ["RunvizRuntime", "RunvizMetrics", "RunvizWire"]),
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
        .systemLibrary(name: "CRunvizCurses"),
        .target(name: "RunvizTelemetry", dependencies: ["RunvizLock"]),
        .target(
            name: "RunvizMetrics",
            dependencies: [
                "RunvizTelemetry", "RunvizLock", "CRunvizLinux",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "RunvizRuntime",
            dependencies: [
                "RunvizTelemetry", "RunvizLock", "CRunvizLinux", "RunvizMetrics", "RunvizWire",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            // The compiler's opt-in for the runtime entry points declared in SwiftRuntime/SwiftRuntime.swift
            // (not an unsafe flag); without it that file takes the public API.
            swiftSettings: [.enableExperimentalFeature("AllowRuntimeSymbolDeclarations")]
        ),
        .target(name: "RunvizEcho", dependencies: ["RunvizRuntime", "RunvizLock", "CRunvizLinux"]),
        .target(
            name: "RunvizLoad",
            dependencies: ["CRunvizLinux", "RunvizLock", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(name: "RunvizWire", dependencies: ["RunvizTelemetry", "RunvizLock", "CRunvizLinux"]),
        .target(name: "RunvizTUI", dependencies: ["RunvizTelemetry", "CRunvizCurses"], plugins: ["EmbedLessons"]),
        // Assets/lessons/*.md → a generated Swift file in RunvizTUI, at every build: lessons ship in the binary.
        .executableTarget(name: "LessonEmbedder"),
        .plugin(name: "EmbedLessons", capability: .buildTool(), dependencies: ["LessonEmbedder"]),
        .target(name: "RunvizRecording", dependencies: ["RunvizTelemetry", "RunvizLock", "CRunvizLinux"]),
        .target(
            name: "RunvizDemos",
            dependencies: ["RunvizRuntime", "RunvizEcho", "RunvizLoad", "RunvizTelemetry", "RunvizLock"]),
        .target(
            name: "RunvizSession",
            dependencies: [
                "RunvizRuntime", "RunvizTelemetry", "RunvizEcho", "RunvizLoad", "RunvizDemos", "CRunvizLinux",
            ]
        ),
        .executableTarget(
            name: "runviz",
            dependencies: [
                "RunvizRuntime", "RunvizTelemetry", "RunvizEcho", "RunvizLoad", "RunvizSession", "RunvizTUI",
                "RunvizRecording", "RunvizLock", "RunvizMetrics", "RunvizWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "RunvizTestSupport", dependencies: ["RunvizRuntime", "RunvizTelemetry"],
            path: "Tests/RunvizTestSupport"),
        .testTarget(name: "RunvizLockTests", dependencies: ["RunvizLock"]),
        .testTarget(name: "RunvizTelemetryTests", dependencies: ["RunvizTelemetry"]),
        .testTarget(
            name: "RunvizRuntimeTests",
            dependencies: ["RunvizRuntime", "RunvizTelemetry", "RunvizLock", "CRunvizLinux", "RunvizTestSupport"]),
        .testTarget(
            name: "RunvizEchoTests",
            dependencies: ["RunvizEcho", "RunvizRuntime", "RunvizLoad", "RunvizLock", "RunvizTestSupport"]),
        .testTarget(name: "RunvizLoadTests", dependencies: ["RunvizLoad", "RunvizLock", "RunvizTestSupport"]),
        .testTarget(name: "RunvizTUITests", dependencies: ["RunvizTUI", "RunvizTelemetry"]),
        .testTarget(
            name: "RunvizRecordingTests",
            dependencies: ["RunvizRecording", "RunvizTelemetry", "RunvizSession", "RunvizRuntime", "RunvizTestSupport"]),
        .testTarget(
            name: "RunvizDemosTests",
            dependencies: ["RunvizDemos", "RunvizRuntime", "RunvizEcho", "RunvizTelemetry", "RunvizTestSupport"]),
        .testTarget(
            name: "RunvizSessionTests",
            dependencies: ["RunvizSession", "RunvizRuntime", "RunvizTelemetry", "RunvizTestSupport"]),
        .testTarget(
            name: "RunvizMetricsTests",
            dependencies: ["RunvizMetrics", "RunvizSession", "RunvizRuntime", "RunvizTelemetry", "RunvizTestSupport"]),
        .testTarget(
            name: "RunvizWireTests",
            dependencies: [
                "RunvizWire", "RunvizTelemetry", "RunvizSession", "RunvizRuntime", "RunvizMetrics", "RunvizTestSupport",
            ]),
        .testTarget(name: "runvizTests", dependencies: ["RunvizTelemetry", "RunvizLock", "RunvizTestSupport"]),
    ]
)
