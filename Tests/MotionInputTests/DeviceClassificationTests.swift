import Testing

@testable import MotionInput

@Suite("Motion-node classification")
struct DeviceClassificationTests {
  let accelerometerAxes: Set<UInt16> = [0, 1, 2]
  let sixAxes: Set<UInt16> = [0, 1, 2, 3, 4, 5]
  let rotationAxes: Set<UInt16> = [3, 4, 5]

  @Test("X/Y/Z is an accelerometer, plus RX/RY/RZ adds a gyroscope")
  func kindsFromAxes() {
    #expect(
      MotionDeviceDiscovery.kind(name: "ST LIS3LV02DL Accelerometer", absCodes: accelerometerAxes)
        == .accelerometer)
    #expect(
      MotionDeviceDiscovery.kind(
        name: "DualSense Wireless Controller Motion Sensors", absCodes: sixAxes)
        == .accelerometerGyroscope)
    #expect(MotionDeviceDiscovery.kind(name: "hdaps", absCodes: [0, 1]) == nil)
    #expect(
      MotionDeviceDiscovery.kind(name: "Some Gamepad", absCodes: [0, 1, 3, 4, 16, 17]) == nil)
  }

  @Test("Wii Remote nodes carry their data on RX/RY/RZ")
  func wiiKinds() {
    #expect(
      MotionDeviceDiscovery.kind(name: "Nintendo Wii Remote Accelerometer", absCodes: rotationAxes)
        == .accelerometer)
    #expect(
      MotionDeviceDiscovery.kind(name: "Nintendo Wii Remote Motion Plus", absCodes: rotationAxes)
        == .gyroscope)
    #expect(
      MotionDeviceDiscovery.kind(name: "Nintendo Wii Remote Accelerometer", absCodes: [3, 4]) == nil
    )
  }

  @Test("untagged Wii nodes recognised by vendor, product and name only")
  func wiiCandidates() {
    #expect(
      MotionDeviceDiscovery.isUntaggedWiiMotionNode(
        vendor: "057e", product: "0306", name: "Nintendo Wii Remote Accelerometer"))
    #expect(
      MotionDeviceDiscovery.isUntaggedWiiMotionNode(
        vendor: "057E", product: "0330", name: "Nintendo Wii Remote Motion Plus"))
    #expect(
      !MotionDeviceDiscovery.isUntaggedWiiMotionNode(
        vendor: "057e", product: "0306", name: "Nintendo Wii Remote"))
    #expect(
      !MotionDeviceDiscovery.isUntaggedWiiMotionNode(
        vendor: "057e", product: "0306", name: "Nintendo Wii Remote IR"))
    #expect(
      !MotionDeviceDiscovery.isUntaggedWiiMotionNode(
        vendor: "057e", product: "2006", name: "Fake Accelerometer"))
    #expect(
      !MotionDeviceDiscovery.isUntaggedWiiMotionNode(
        vendor: "054c", product: "0306", name: "X Accelerometer"))
    #expect(!MotionDeviceDiscovery.isUntaggedWiiMotionNode(vendor: nil, product: nil, name: nil))
  }

  @Test("sysfs capability bitmaps: one word, several words")
  func bitmaps() {
    #expect(MotionDeviceDiscovery.bitmapCodes("3f") == [0, 1, 2, 3, 4, 5])
    #expect(MotionDeviceDiscovery.bitmapCodes("38") == [3, 4, 5])
    #expect(MotionDeviceDiscovery.bitmapCodes("0") == [])
    #expect(MotionDeviceDiscovery.bitmapCodes("") == [])
    #expect(MotionDeviceDiscovery.bitmapCodes("1 0000000000000007") == [0, 1, 2, 64])
    #expect(MotionDeviceDiscovery.bitmapCodes("zz 3") == [0, 1])
  }

  @Test("node paths sort naturally: event2 before event10")
  func ordering() {
    let paths = [
      "/dev/input/event10", "/dev/input/event2", "/dev/input/event131", "/dev/input/event21",
    ]
    #expect(
      paths.sorted(by: naturalOrder) == [
        "/dev/input/event2", "/dev/input/event10", "/dev/input/event21", "/dev/input/event131",
      ])
  }

  @Test("ids print as bus:vendor:product in 4-digit hex")
  func idString() {
    let node = MotionNode(
      devicePath: "/dev/input/event3", syspath: "/sys/x", name: "n", busType: 0x19, vendor: 0,
      product: 0x2c,
      uniq: "", kind: .accelerometer, pairedPadPath: nil, hidParentSyspath: nil, access: .readable,
      description: InputDeviceDescription(
        name: "n", busType: 0x19, vendor: 0, product: 0x2c, version: 0))
    #expect(node.idString == "0019:0000:002c")
  }
}
