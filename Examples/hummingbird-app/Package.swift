// swift-tools-version: 6.1
// hummingbird-app: a Hummingbird 2 web server, written with nothing of runviz's but the two lines at the
// top of its async main that put it on runviz and make it watchable by `runviz attach`.
import PackageDescription

let package = Package(
    name: "hummingbird-app",
    dependencies: [
        .package(name: "runviz", path: "../.."),
        // traits: [] leaves out swift-configuration and full Foundation, which the server does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: []),
    ],
    targets: [
        .executableTarget(
            name: "hummingbird-app",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "RunvizRuntime", package: "runviz"), .product(name: "RunvizWatch", package: "runviz"),
            ])
    ]
)
