// swift-tools-version: 6.0
// relay: a small publish/subscribe chat relay written against runviz's runtime library only, with
// chatting bots to give it work, watched (RunvizWatch, one line in main.swift) by `runviz attach`.
import PackageDescription

let package = Package(
    name: "relay",
    dependencies: [.package(name: "runviz", path: "../..")],
    targets: [
        .executableTarget(
            name: "relay",
            dependencies: [
                .product(name: "RunvizRuntime", package: "runviz"), .product(name: "RunvizWatch", package: "runviz"),
            ])
    ]
)
