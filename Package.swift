// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "AshFlare",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AshFlare", targets: ["AshFlare"]),
        .library(name: "AshFlareTestKit", targets: ["AshFlareTestKit"]),
        .library(name: "AshFlareServiceLifecycle", targets: ["AshFlareServiceLifecycle"]),
        .library(name: "AshFlareDashboard", targets: ["AshFlareDashboard"]),
        .library(name: "AshFlareTerminal", targets: ["AshFlareTerminal"]),
        .library(name: "AshFlareRemote", targets: ["AshFlareRemote"]),
        .executable(name: "flare", targets: ["flare"]),
        .executable(name: "flare-demo", targets: ["flare-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
    ],
    targets: [
        .target(
            name: "AshFlare",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "AshFlareTestKit",
            dependencies: ["AshFlare"]
        ),
        .target(
            name: "AshFlareServiceLifecycle",
            dependencies: ["AshFlare", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        .target(
            name: "AshFlareDashboard",
            dependencies: ["AshFlare"]
        ),
        .systemLibrary(
            name: "CNCurses",
            path: "Sources/CNCurses"
        ),
        .target(
            name: "AshFlareTerminal",
            dependencies: ["AshFlare", "AshFlareDashboard", "CNCurses"]
        ),
        .target(
            name: "AshFlareRemote",
            dependencies: [
                "AshFlare",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "flare",
            dependencies: [
                "AshFlare",
                "AshFlareRemote",
                "AshFlareDashboard",
                "AshFlareTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "flare-demo",
            dependencies: [
                "AshFlare", "AshFlareDashboard", "AshFlareTerminal", "AshFlareRemote",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Demo"
        ),
        .executableTarget(
            name: "flare-soak",
            dependencies: ["AshFlare", "AshFlareTestKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Soak"
        ),
        .executableTarget(
            name: "flare-fuzz",
            dependencies: ["AshFlare", "AshFlareTestKit", "AshFlareRemote", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Fuzz"
        ),
        .executableTarget(
            name: "flare-fixture",
            dependencies: ["AshFlare", "AshFlareTestKit", "AshFlareRemote", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Fixture"
        ),
        .executableTarget(
            name: "quick-start",
            dependencies: ["AshFlare"],
            path: "Examples/QuickStart"
        ),
        .testTarget(
            name: "AshFlareTests",
            dependencies: [
                "AshFlare", "AshFlareTestKit",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "AshFlareServiceLifecycleTests",
            dependencies: [
                "AshFlare", "AshFlareTestKit", "AshFlareServiceLifecycle", "AshFlareRemote",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "AshFlareDashboardTests",
            dependencies: ["AshFlare", "AshFlareTestKit", "AshFlareDashboard"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "AshFlareRemoteTests",
            dependencies: [
                "AshFlare",
                "AshFlareRemote",
                "AshFlareDashboard",
                "AshFlareTestKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
