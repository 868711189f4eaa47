// swift-tools-version: 6.1
import PackageDescription

// The AshFlare benchmark suite. A package of its own so the main build stays lean:
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
// or, from the repository root, scripts/bench.sh (see docs/BENCHMARKS.md).
let package = Package(
    name: "AshFlareBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AshFlare", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // glibc's mallinfo2, for bytes-per-child figures (Glibc's module map has no malloc.h).
        .target(name: "CMallocInfo"),
        // The scenarios, shared by the benchmark suite and the profiling driver.
        .target(
            name: "BenchmarkScenarios",
            dependencies: [
                "CMallocInfo",
                .product(name: "AshFlare", package: "AshFlare"),
                .product(name: "AshFlareRemote", package: "AshFlare"),
                .product(name: "AshFlareTestKit", package: "AshFlare"),
                .product(name: "AshFlareDashboard", package: "AshFlare"),
            ]
        ),
        // The package-benchmark suite (run by `swift package benchmark`).
        .executableTarget(
            name: "AshFlareBenchmarks",
            dependencies: [
                "BenchmarkScenarios",
                .product(name: "AshFlare", package: "AshFlare"),
                .product(name: "AshFlareTestKit", package: "AshFlare"),
                .product(name: "AshFlareDashboard", package: "AshFlare"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/AshFlareBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A plain driver that runs one scenario a fixed number of times, for valgrind/callgrind.
        .executableTarget(
            name: "ashflare-profile",
            dependencies: [
                "BenchmarkScenarios",
                .product(name: "AshFlareDashboard", package: "AshFlare"),
                .product(name: "AshFlareTestKit", package: "AshFlare"),
            ]
        ),
    ]
)
