// swift-tools-version: 6.1
// Benchmarks for repcount, kept out of the root package so the product never depends on the
// benchmark tooling. Run from this folder:
//   swift package benchmark                                (all)
//   swift package benchmark --target RecordingBenchmarks   (evemu parse throughput)
//   swift package benchmark --target CoreBenchmarks        (MotionCore detectors)
//   swift package benchmark --target EndToEndBenchmarks    (one-hour recording, end to end)
import PackageDescription

let package = Package(
  name: "repcount-benchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "repcount", path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "RecordingBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "MotionInput", package: "repcount"),
        .product(name: "MotionCore", package: "repcount"),
      ],
      path: "Benchmarks/RecordingBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "CoreBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "MotionCore", package: "repcount"),
        "SyntheticMotion",
      ],
      path: "Benchmarks/CoreBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "EndToEndBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "MotionInput", package: "repcount"),
        .product(name: "MotionCore", package: "repcount"),
        "SyntheticMotion",
      ],
      path: "Benchmarks/EndToEndBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    // Deterministic synthetic motion frames shared by the benchmarks (not a benchmark itself).
    .target(
      name: "SyntheticMotion",
      dependencies: [.product(name: "MotionCore", package: "repcount")],
      path: "Benchmarks/SyntheticMotion"
    ),
  ]
)
