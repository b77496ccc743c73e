// swift-tools-version: 6.0
// relay: a small publish/subscribe chat relay written against runviz's runtime library only, with
// chatting bots to give it work, for watching your own code with `runviz attach`.
import PackageDescription

let package = Package(
    name: "relay",
    dependencies: [.package(name: "runviz", path: "../..")],
    targets: [
        .executableTarget(name: "relay", dependencies: [.product(name: "RunvizRuntime", package: "runviz")])
    ]
)
