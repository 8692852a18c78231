// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "repcount",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "repcount", targets: ["repcount"]),
    .library(name: "MotionCore", targets: ["MotionCore"]),
    .library(name: "MotionInput", targets: ["MotionInput"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // System libraries: only the headers and pkg-config names; all logic lives in Swift.
    .systemLibrary(
      name: "CLibevdev",
      pkgConfig: "libevdev",
      providers: [.apt(["libevdev-dev"])]
    ),
    .systemLibrary(
      name: "CLibudev",
      pkgConfig: "libudev",
      providers: [.apt(["libudev-dev"])]
    ),

    // Pure signal processing: no I/O, no Foundation clock.
    .target(name: "MotionCore"),

    // Devices (libevdev, libudev), recordings (evemu, CSV) and the per-device table.
    .target(
      name: "MotionInput",
      dependencies: ["CLibevdev", "CLibudev", "MotionCore"]
    ),

    // Physically based motion simulator that writes labelled recordings.
    .target(
      name: "MotionSimulator",
      dependencies: ["MotionCore", "MotionInput"]
    ),

    // Calibration procedure over a frame stream, profile format (JSON) and profile lookup.
    .target(
      name: "BodyCalibration",
      dependencies: ["MotionCore", "MotionInput"]
    ),

    // Scores the counter against simulator truth files.
    .target(
      name: "Evaluation",
      dependencies: ["MotionCore", "MotionInput", "MotionSimulator"]
    ),

    // Plans, the session tracker, form feedback, the history store (SQLite) and HTML reports.
    .target(
      name: "Sessions",
      dependencies: [
        "MotionCore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),

    .executableTarget(
      name: "repcount",
      dependencies: [
        "MotionCore",
        "MotionInput",
        "MotionSimulator",
        "Evaluation",
        "Sessions",
        "BodyCalibration",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // The demo session (`repcount demo --write-recording` makes it; see DemoCommand).
      resources: [
        .copy("Resources/demo-session.csv"), .copy("Resources/demo-session.truth.json"),
      ]
    ),

    .testTarget(name: "MotionCoreTests", dependencies: ["MotionCore"]),
    .testTarget(name: "MotionInputTests", dependencies: ["MotionInput", "MotionCore"]),
    .testTarget(
      name: "MotionSimulatorTests",
      dependencies: ["MotionSimulator", "MotionInput", "MotionCore"]
    ),
    .testTarget(
      name: "EvaluationTests",
      dependencies: ["Evaluation", "MotionSimulator", "MotionInput", "MotionCore"]
    ),
    .testTarget(
      name: "SessionsTests",
      dependencies: ["Sessions", "MotionCore", "MotionSimulator", "MotionInput"],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "BodyCalibrationTests",
      dependencies: ["BodyCalibration", "MotionSimulator", "MotionInput", "MotionCore"]
    ),
    // Runs the built `repcount` binary, under umockdev-run for the device path.
    .testTarget(
      name: "IntegrationTests",
      // `repcount` so that `swift test` builds the binary the tests run; MotionInput to read
      // back the recordings it writes; BodyCalibration to write profiles for it to find;
      // MotionSimulator for a person to calibrate live.
      dependencies: [
        "repcount", "MotionInput", "MotionCore", "BodyCalibration", "MotionSimulator",
      ],
      exclude: ["Fixtures"]
    ),
  ]
)
