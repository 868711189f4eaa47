// swift-tools-version: 6.2
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
        .library(name: "AshFlareRemoteTLS", targets: ["AshFlareRemoteTLS"]),
        .library(name: "AshFlareRecording", targets: ["AshFlareRecording"]),
        .library(name: "AshFlareProcess", targets: ["AshFlareProcess"]),
        .library(name: "AshFlareTreeFile", targets: ["AshFlareTreeFile"]),
        .library(name: "AshFlarePrometheus", targets: ["AshFlarePrometheus"]),
        .executable(name: "flare", targets: ["flare"]),
        .executable(name: "flare-demo", targets: ["flare-demo"]),
    ],
    // TLS for tls:// listeners and clients (swift-nio-ssl, swift-certificates): on by default.
    // Without it (`--disable-default-traits`) the package builds no TLS library — two copies of
    // BoringSSL — and a tls:// endpoint is refused with an error saying so; CI's sanitizer
    // builds use that to stay inside their time.
    traits: [
        .trait(name: "TLS", description: "TLS and mTLS for TCP (swift-nio-ssl)"),
        .default(enabledTraits: ["TLS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        // TLS (AshFlareRemoteTLS only). Already in the resolved graph through swift-nio-extras, but built only now.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        // Test certificates are made at test time (Tests/AshFlareRemoteTests/Support/TestCertificates.swift).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        // Process children. The Foundation trait is off: AshFlareProcess needs no Foundation.
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2", traits: []),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        // Tree files (`flare run`): YAML, because Yams reports the line of every node.
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
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
            dependencies: [
                "AshFlare", "AshFlareDashboard", "CNCurses", .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
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
        .target(
            name: "AshFlareRemoteTLS",
            dependencies: [
                "AshFlare",
                "AshFlareRemote",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio", condition: .when(traits: ["TLS"])),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["TLS"])),
                .product(name: "X509", package: "swift-certificates", condition: .when(traits: ["TLS"])),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Record and replay (`flare record`, `flare replay`, `R`): JSON lines in the wire encoding.
        .target(
            name: "AshFlareRecording",
            dependencies: ["AshFlare", "AshFlareDashboard", "AshFlareRemote"]
        ),
        .target(name: "CAshFlareProcess"),
        .target(
            name: "AshFlareProcess",
            dependencies: [
                "AshFlare",
                "CAshFlareProcess",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "AshFlareTreeFile",
            dependencies: ["AshFlare", "AshFlareProcess", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "AshFlarePrometheus",
            dependencies: [
                "AshFlare",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "flare",
            dependencies: [
                "AshFlare",
                "AshFlareProcess",
                "AshFlareTreeFile",
                "AshFlareRemote",
                "AshFlareRemoteTLS",
                "AshFlareRecording",
                "AshFlareDashboard",
                "AshFlareTerminal",
                "AshFlarePrometheus",
                "AshFlareServiceLifecycle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "flare-demo",
            dependencies: [
                "AshFlare", "AshFlareDashboard", "AshFlareTerminal", "AshFlareRemote", "AshFlareRemoteTLS", "AshFlareRecording",
                "AshFlareProcess", "AshFlarePrometheus", "AshFlareServiceLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Demo"
        ),
        .executableTarget(
            name: "flare-soak",
            dependencies: ["AshFlare", "AshFlareProcess", "AshFlareTestKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Soak"
        ),
        .executableTarget(
            name: "flare-fuzz",
            dependencies: [
                "AshFlare", "AshFlareTestKit", "AshFlareRemote", "AshFlareRemoteTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "X509", package: "swift-certificates", condition: .when(traits: ["TLS"])),
                .product(name: "Crypto", package: "swift-crypto", condition: .when(traits: ["TLS"])),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tools/Fuzz"
        ),
        .executableTarget(
            name: "flare-fixture",
            dependencies: ["AshFlare", "AshFlareTestKit", "AshFlareRemote", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Fixture"
        ),
        .executableTarget(
            name: "flare-orphans",
            dependencies: ["AshFlare", "AshFlareProcess"],
            path: "Tools/Orphans"
        ),
        .executableTarget(
            name: "flare-procbench",
            dependencies: ["AshFlare", "AshFlareProcess"],
            path: "Tools/ProcBench"
        ),
        .executableTarget(
            name: "flare-logbench",
            dependencies: [
                "AshFlare", "AshFlareTestKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/LogBench"
        ),
        .executableTarget(
            name: "flare-otp-diff",
            dependencies: ["AshFlare", "AshFlareTestKit", .product(name: "CoreMetrics", package: "swift-metrics")],
            path: "Tools/OtpDiff/Swift"
        ),
        .executableTarget(
            name: "quick-start",
            dependencies: ["AshFlare"],
            path: "Examples/QuickStart"
        ),
        .executableTarget(
            name: "dashboard-example",
            dependencies: ["AshFlare", "AshFlareTerminal"],
            path: "Examples/Dashboard"
        ),
        .testTarget(
            name: "AshFlareTests",
            dependencies: [
                "AshFlare", "AshFlareTestKit",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "AshFlareProcessTests",
            dependencies: [
                "AshFlare", "AshFlareTestKit", "AshFlareProcess", "AshFlareTreeFile",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
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
            name: "AshFlarePrometheusTests",
            dependencies: [
                "AshFlare", "AshFlareTestKit", "AshFlarePrometheus",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AshFlareTerminalTests",
            dependencies: ["AshFlare", "AshFlareDashboard", "AshFlareTerminal"]
        ),
        .testTarget(
            name: "AshFlareRemoteTests",
            dependencies: [
                "AshFlare",
                "AshFlareRemote",
                "AshFlareRemoteTLS",
                "AshFlareRecording",
                "AshFlareDashboard",
                "AshFlareTestKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["TLS"])),
                .product(name: "X509", package: "swift-certificates", condition: .when(traits: ["TLS"])),
                .product(name: "Crypto", package: "swift-crypto", condition: .when(traits: ["TLS"])),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
    ]
)
