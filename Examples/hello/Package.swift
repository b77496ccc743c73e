// swift-tools-version: 6.1
// hello: the smallest program on runviz's core runtime. It depends on the RunvizRuntime product
// with no traits, so swift-collections is the one package that resolves beside runviz
// (Tests/e2e/core-only.sh checks it).
import PackageDescription

let package = Package(
    name: "hello",
    dependencies: [.package(name: "runviz", path: "../..", traits: [])],
    targets: [.executableTarget(name: "hello", dependencies: [.product(name: "RunvizRuntime", package: "runviz")])]
)
