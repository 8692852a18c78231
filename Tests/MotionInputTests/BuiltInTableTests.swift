import Foundation
import Testing

@testable import MotionInput

@Suite struct BuiltInTableTests {
  /// The repository's Calibration/devices, found from this test file (the repo itself).
  static let devicesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Calibration/devices")

  @Test func embeddedCopyMatchesTheDataFiles() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.devicesDirectory.path)
      .filter { $0.hasSuffix(".json") }.sorted()
    #expect(names == BuiltInDeviceTable.files.map(\.name).sorted())
    for file in BuiltInDeviceTable.files {
      let text = try String(
        contentsOf: Self.devicesDirectory.appendingPathComponent(file.name), encoding: .utf8)
      #expect(
        text.trimmingCharacters(in: .whitespacesAndNewlines)
          == file.json.trimmingCharacters(in: .whitespacesAndNewlines),
        "\(file.name) differs from the embedded copy: run Calibration/devices/embed.sh")
    }
  }

  @Test func builtInTableDecodesAndCoversEveryFamily() throws {
    let table = try DeviceTable.loadBuiltIn()
    #expect(table.entries.count == DeviceTable.builtIn.entries.count)
    let ids = Set(table.entries.map(\.id))
    for id in [
      "sony-dualsense", "sony-dualshock4", "sony-dualshock3", "nintendo-joycon-left",
      "nintendo-joycon-right", "nintendo-pro-controller", "nintendo-charging-grip",
      "nintendo-switch2-imu",
      "nintendo-wii-remote", "nintendo-wii-motion-plus", "valve-steam-deck", "st-lis3lv02d",
      "generic-accelerometer-property", "generic-xyz",
    ] {
      #expect(ids.contains(id), "missing \(id)")
    }
    #expect(ids.count == table.entries.count, "duplicate ids")
  }

  @Test func everyMappingIsAProperRotationAndGyroAgreesWithAccelerometer() throws {
    for entry in try DeviceTable.loadBuiltIn().entries {
      var accelerometerMatrix: [[Double]]?
      if let accelerometer = entry.accelerometer {
        let mapping = try AxisMapping.parse(accelerometer.axes).get()
        #expect(mapping.determinant == 1, "\(entry.id) accelerometer is not a rotation")
        accelerometerMatrix = mapping.matrix
      }
      if let gyroscope = entry.gyroscope {
        let mapping = try AxisMapping.parse(gyroscope.axes).get()
        #expect(mapping.determinant == 1, "\(entry.id) gyroscope is not a rotation")
        if let accelerometerMatrix {
          #expect(mapping.matrix == accelerometerMatrix, "\(entry.id): gyro rotates differently")
          // Same axes, shifted from X/Y/Z to RX/RY/RZ, same signs.
          let accelerometerAxes = try AxisMapping.parse(entry.accelerometer!.axes).get().axes
          #expect(mapping.axes.map(\.code) == accelerometerAxes.map { $0.code + 3 })
          #expect(mapping.axes.map(\.sign) == accelerometerAxes.map(\.sign))
        }
      }
    }
  }

  @Test func determinantDetectsReflections() throws {
    #expect(try AxisMapping.parse(["+ABS_X", "+ABS_Y", "+ABS_Z"]).get().determinant == 1)
    #expect(try AxisMapping.parse(["-ABS_X", "+ABS_Y", "+ABS_Z"]).get().determinant == -1)
    #expect(try AxisMapping.parse(["+ABS_Y", "+ABS_X", "+ABS_Z"]).get().determinant == -1)
    #expect(try AxisMapping.parse(["-ABS_Y", "+ABS_Z", "-ABS_X"]).get().determinant == 1)
    #expect(try AxisMapping.parse(["-ABS_RX", "+ABS_RZ", "+ABS_RY"]).get().determinant == 1)
    #expect(throws: AxisMappingProblem.self) {
      try AxisMapping.parse(["ABS_X", "+ABS_Y", "+ABS_Z"]).get()
    }
    #expect(throws: AxisMappingProblem.self) {
      try AxisMapping.parse(["+ABS_X", "+ABS_X", "+ABS_Z"]).get()
    }
    #expect(throws: AxisMappingProblem.self) { try AxisMapping.parse(["+ABS_X", "+ABS_Y"]).get() }
  }

  /// Nintendo's frame (+X toward the triggers, +Y left, +Z up out of the buttons) must land on
  /// the project frame (+X right, +Y up, +Z toward the player).
  @Test func nintendoDirectionsLandWhereThePadFrameExpects() throws {
    let entry = try #require(DeviceTable.builtIn.entry(id: "nintendo-joycon-left"))
    let mapping = try AxisMapping.parse(entry.accelerometer!.axes).get()
    func project(_ source: [Double]) -> [Double] {
      mapping.axes.map { axis in axis.sign * source[Int(axis.code)] }
    }
    #expect(project([0, 0, 1]) == [0, 1, 0])  // up stays up
    #expect(project([1, 0, 0]) == [0, 0, -1])  // toward the triggers = away from the player
    #expect(project([0, 1, 0]) == [-1, 0, 0])  // left
    #expect(entry.gyroscope?.scaleCorrection == 0.858)
  }
}
