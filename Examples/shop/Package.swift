// swift-tools-version: 6.0
// shop: an ordinary Swift concurrency program (Task {}, an actor, a task group, async let,
// Task.sleep, a callback API bridged with a continuation, @MainActor) that runs on runviz with one
// line at the top of its async main, and is watched by `runviz attach` with one more.
import PackageDescription

let package = Package(
    name: "shop",
    dependencies: [.package(name: "runviz", path: "../..")],
    targets: [
        .executableTarget(
            name: "shop",
            dependencies: [
                .product(name: "RunvizRuntime", package: "runviz"), .product(name: "RunvizWatch", package: "runviz"),
            ])
    ]
)
