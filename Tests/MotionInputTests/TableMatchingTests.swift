import Foundation
import Testing

@testable import MotionInput

@Suite struct TableMatchingTests {
  let table = DeviceTable.builtIn

  func matchedId(_ device: InputDeviceDescription) -> String? {
    table.entry(for: device)?.id
  }

  func sonyNode(_ name: String, bus: UInt16, product: UInt16) -> InputDeviceDescription {
    MotionNodeSamples.sixAxis(
      name: name, bus: bus, vendor: 0x054C, product: product, accel: (32768, 16, 8192),
      gyro: (2_097_152, 16, 1024))
  }

  @Test func sonyPadsByNameAndId() {
    #expect(matchedId(MotionNodeSamples.dualSense(bluetooth: true)) == "sony-dualsense")
    #expect(matchedId(MotionNodeSamples.dualSense(bluetooth: false)) == "sony-dualsense")
    #expect(
      matchedId(
        sonyNode(
          "Sony Interactive Entertainment DualSense Edge Wireless Controller Motion Sensors",
          bus: 3, product: 0x0DF2)) == "sony-dualsense")
    #expect(
      matchedId(
        sonyNode(
          "Sony Computer Entertainment Wireless Controller Motion Sensors", bus: 3,
          product: 0x05C4)) == "sony-dualshock4")
    #expect(
      matchedId(
        sonyNode(
          "Sony Interactive Entertainment Wireless Controller Motion Sensors", bus: 3,
          product: 0x09CC)) == "sony-dualshock4")
    #expect(
      matchedId(sonyNode("Wireless Controller Motion Sensors", bus: 5, product: 0x09CC))
        == "sony-dualshock4")
    #expect(
      matchedId(
        sonyNode(
          "Sony Interactive Entertainment Wireless Controller Motion Sensors", bus: 3,
          product: 0x0BA0)) == "sony-dualshock4")
    var ds3 = MotionNodeSamples.sixAxis(
      name: "Sony PLAYSTATION(R)3 Controller Motion Sensors", bus: 3, vendor: 0x054C,
      product: 0x0268, accel: (512, 4, 113), gyro: nil, timestamp: false)
    #expect(matchedId(ds3) == "sony-dualshock3")
    // The gamepad node of a DualSense is not a motion node: name does not match, no prop.
    ds3.name = "Sony PLAYSTATION(R)3 Controller"
    ds3.properties = []
    #expect(matchedId(ds3) != "sony-dualshock3")
  }

  @Test func nintendoOldAndNewKernelNames() {
    let cases: [(String, UInt16, String)] = [
      ("Nintendo Switch Left Joy-Con IMU", 0x2006, "nintendo-joycon-left"),
      ("Joy-Con (L) (IMU)", 0x2006, "nintendo-joycon-left"),
      ("Nintendo Switch Right Joy-Con IMU", 0x2007, "nintendo-joycon-right"),
      ("Joy-Con (R) (IMU)", 0x2007, "nintendo-joycon-right"),
      ("Nintendo Switch Pro Controller IMU", 0x2009, "nintendo-pro-controller"),
      ("Pro Controller (IMU)", 0x2009, "nintendo-pro-controller"),
      ("Nintendo Co., Ltd. Pro Controller (IMU)", 0x2009, "nintendo-pro-controller"),
      ("Nintendo Switch Left Joy-Con IMU (Grip)", 0x200E, "nintendo-charging-grip"),
    ]
    for (name, product, id) in cases {
      #expect(matchedId(MotionNodeSamples.joyCon(name: name, product: product)) == id, "\(name)")
    }
  }

  @Test func namesFromOldEvemuWithDashesForSpaces() {
    let node = MotionNodeSamples.joyCon(name: "Nintendo-Switch-Left-Joy-Con-IMU")
    #expect(matchedId(node) == "nintendo-joycon-left")
  }

  @Test func switch2PadHasNoGyroscopeDespiteItsAxes() throws {
    let pad = MotionNodeSamples.sixAxis(
      name: "Nintendo Co., Ltd. Joy-Con 2 (L) IMU", bus: 3, vendor: 0x057E, product: 0x2067,
      accel: (32767, 0, 4096), gyro: (32767, 0, 16))
    #expect(matchedId(pad) == "nintendo-switch2-imu")
    let assembler = try FrameAssembler(device: pad, entry: table.entry(for: pad))
    #expect(!assembler.hasGyroscope)
  }

  @Test func otherFamiliesAndFallbacks() {
    #expect(matchedId(MotionNodeSamples.wiiAccelerometer()) == "nintendo-wii-remote")
    #expect(matchedId(MotionNodeSamples.wiiMotionPlus()) == "nintendo-wii-motion-plus")
    #expect(matchedId(MotionNodeSamples.steamDeck()) == "valve-steam-deck")
    #expect(matchedId(MotionNodeSamples.lis3lv02d()) == "st-lis3lv02d")
    let unknownWithProperty = MotionNodeSamples.sixAxis(
      name: "Some Future Pad Motion Sensors", bus: 3, vendor: 0x1234, product: 0x5678,
      accel: (32768, 0, 4096), gyro: (32768, 0, 16))
    #expect(matchedId(unknownWithProperty) == "generic-accelerometer-property")
    let unknownWithoutProperty = MotionNodeSamples.sixAxis(
      name: "Acer BMA150 accelerometer", bus: 0x19, vendor: 0, product: 0, accel: (512, 0, 0),
      gyro: nil, timestamp: false, accelerometerProperty: false)
    #expect(matchedId(unknownWithoutProperty) == "generic-xyz")
    // A gamepad's stick node has X/Y/Z too, but also buttons: not an accelerometer.
    var gamepad = unknownWithoutProperty
    gamepad.name = "Generic USB Joystick"
    gamepad.supportedCodes[EventCode.keyType] = [0x130, 0x131]
    #expect(matchedId(gamepad) == nil)
    let keyboard = InputDeviceDescription(
      name: "AT Translated Set 2 keyboard", busType: 0x11, vendor: 1, product: 1, version: 0,
      supportedCodes: [1: [30, 31]])
    #expect(matchedId(keyboard) == nil)
  }

  @Test func globPatterns() {
    #expect(GlobPattern.matches("*Motion Sensors", "DualSense Wireless Controller Motion Sensors"))
    #expect(!GlobPattern.matches("*Motion Sensors", "DualSense Wireless Controller"))
    #expect(GlobPattern.matches("Joy-Con (?) (IMU)", "Joy-Con (L) (IMU)"))
    #expect(GlobPattern.matches("*", ""))
    #expect(!GlobPattern.matches("?", ""))
    #expect(GlobPattern.matches("a*b*c", "aXXbYYbc"))
  }

  // MARK: - User files

  func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("repcount-table-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try body(directory)
  }

  @Test func userFileOverridesBuiltInEntryWithTheSameId() throws {
    try withTemporaryDirectory { directory in
      let json = """
        {
          "id": "sony-dualsense",
          "displayName": "My DualSense",
          "match": { "vendor": "054c", "products": ["0ce6"] },
          "accelerometer": { "axes": ["-ABS_X", "+ABS_Y", "-ABS_Z"] },
          "timestamp": "event-time"
        }
        """
      try json.write(toFile: directory + "/mine.json", atomically: true, encoding: .utf8)
      let table = try DeviceTable.load(extraDirectories: [directory, directory + "/missing"])
      #expect(table.entries.count == DeviceTable.builtIn.entries.count)
      let entry = try #require(table.entry(for: MotionNodeSamples.dualSense()))
      #expect(entry.displayName == "My DualSense")
      #expect(entry.timestamp == .eventTime)
    }
  }

  @Test func userFileAddsANewDevice() throws {
    try withTemporaryDirectory { directory in
      let json = """
        [{
          "id": "acme-imu", "displayName": "Acme IMU",
          "match": { "vendor": "1234", "products": ["5678"], "names": ["Acme*"] },
          "accelerometer": { "axes": ["+ABS_X", "+ABS_Y", "+ABS_Z"], "unitsPerG": 256 },
          "timestamp": "hardware"
        }]
        """
      try json.write(toFile: directory + "/acme.json", atomically: true, encoding: .utf8)
      let table = try DeviceTable.load(extraDirectories: [directory])
      let device = MotionNodeSamples.sixAxis(
        name: "Acme Motion", bus: 3, vendor: 0x1234, product: 0x5678, accel: (512, 0, 0),
        gyro: nil)
      #expect(table.entry(for: device)?.id == "acme-imu")
    }
  }

  @Test(arguments: [
    (
      #"{"id": "x", "displayName": "X", "match": {}, "timestamp": "hardware"}"#,
      "field accelerometer"
    ),
    (
      #"{"id": "x", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "timestamp": "hardware"}"#,
      "field displayName: missing"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_Y","+ABS_X","+ABS_Z"]}, "timestamp": "hardware"}"#,
      "field accelerometer.axes: is a reflection"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Q","+ABS_Z"]}, "timestamp": "hardware"}"#,
      "field accelerometer.axes: axis 1"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "timestamp": "sometimes"}"#,
      "field timestamp"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {"vendor": "zz"}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "timestamp": "hardware"}"#,
      "field match.vendor"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "gyroscope": {"axes": ["+ABS_RY","-ABS_RX","+ABS_RZ"]}, "timestamp": "hardware"}"#,
      "field gyroscope.axes: must rotate the same way"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "timestamp": "hardware", "padButtons": {"addOne": {"code": "BTN_RR", "label": "R"}, "takeOneOff": {"code": "BTN_TL", "label": "L"}}}"#,
      "field padButtons.addOne.code: \"BTN_RR\" is not a key or button name"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "timestamp": "hardware", "padButtons": {"addOne": {"code": "BTN_TR", "label": "R"}, "takeOneOff": {"code": "BTN_TR", "label": "L"}}}"#,
      "field padButtons.takeOneOff.code: is the same button"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "timestamp": "hardware", "padButtons": {"addOne": {"code": "BTN_TR", "label": " "}, "takeOneOff": {"code": "BTN_TL", "label": "L"}}}"#,
      "field padButtons.addOne.label"
    ),
    (
      #"{"id": "x", "displayName": "X", "match": {}, "accelerometer": {"axes": ["+ABS_X","+ABS_Y","+ABS_Z"]}, "timestamp": "hardware", "padButtons": {"addOne": {"code": "BTN_TR"}, "takeOneOff": {"code": "BTN_TL", "label": "L"}}}"#,
      "field padButtons.addOne.label: missing"
    ),
    (#"{"id": "x", "#, "not valid JSON"),
  ])
  func badUserFileNamesFileAndField(json: String, expected: String) throws {
    try withTemporaryDirectory { directory in
      let path = directory + "/bad.json"
      try json.write(toFile: path, atomically: true, encoding: .utf8)
      do {
        _ = try DeviceTable.load(extraDirectories: [directory])
        Issue.record("expected an error for \(json)")
      } catch let error as InputFileError {
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path + ": "))
        #expect(error.description.contains(expected), "\(error.description)")
      }
    }
  }

  @Test func defaultDirectoriesFollowXDG() {
    let directories = DeviceTable.defaultUserDirectories()
    #expect(directories.first == "/etc/repcount/devices")
    #expect(directories.last?.hasSuffix("/repcount/devices") == true)
  }
}
