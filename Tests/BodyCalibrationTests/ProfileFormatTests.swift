import Foundation
import MotionCore
import MotionInput
import Testing

@testable import BodyCalibration

private func sampleProfile(uniq: String = "a0:ab:51:12:34:56") -> CalibrationProfile {
  CalibrationProfile(
    calibratedAt: "2026-11-25T06:30:00Z",
    device: DeviceIdentity(
      vendor: 0x054c, product: 0x0ce6, name: "DualSense Wireless Controller Motion Sensors",
      uniq: uniq),
    body: BodyProfile(
      rightInSensor: Vector3(1, 0, 0), standingUpInSensor: Vector3(0, 1, 0),
      lyingUpInSensor: Vector3(0, 0, 1), gyroBiasDPS: Vector3(0.3, -0.1, 0.05), gyroScale: 1.01),
    forwardInSensor: Vector3(0, 0, 1), gyroBiasStandardErrorDPS: 0.01,
    noiseFloor: NoiseFloor(accelerationG: 0.003, angularVelocityDPS: 0.09),
    kneeLiftRightDegrees: 12, kneeLiftLeftDegrees: 11,
    steps: [StepRecord(step: .standStill, confidence: 0.98, startSeconds: 0, endSeconds: 3)])
}

private func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "repcount-cal-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

@Test func profileRoundTripsAndKeepsBodyProfileFieldsAtTopLevel() throws {
  let profile = sampleProfile()
  let data = try profile.jsonData()
  let decoded = try decodeProfile(data, path: "p.json")
  #expect(decoded == profile)
  #expect(decoded.bodyProfile.rightInSensor == Vector3(1, 0, 0))
  // A reader that only knows BodyProfile still gets the calibration.
  let plain = try JSONDecoder().decode(BodyProfile.self, from: data)
  #expect(plain == profile.bodyProfile)
}

private func problem(_ json: String) -> ProfileError? {
  do {
    _ = try decodeProfile(Data(json.utf8), path: "/tmp/x.json")
    return nil
  } catch let error as ProfileError {
    return error
  } catch {
    return ProfileError(path: "?", message: "unexpected \(error)")
  }
}

private func mutated(_ change: (inout [String: Any]) -> Void) throws -> String {
  var object =
    try JSONSerialization.jsonObject(with: sampleProfile().jsonData()) as? [String: Any] ?? [:]
  change(&object)
  let data = try JSONSerialization.data(withJSONObject: object)
  return String(decoding: data, as: UTF8.self)
}

@Test func corruptProfilesNameFileAndField() throws {
  #expect(problem("{not json")?.field == nil)
  #expect(problem("{not json")?.description.hasPrefix("/tmp/x.json: not valid JSON") == true)
  #expect(problem("[1, 2]")?.description == "/tmp/x.json: a profile is a JSON object { … }")
  #expect(try problem(mutated { $0.removeValue(forKey: "format") })?.field == "format")
  #expect(try problem(mutated { $0["format"] = "something-else" })?.field == "format")
  #expect(try problem(mutated { $0["version"] = 2 })?.field == "version")
  #expect(try problem(mutated { $0["version"] = "1" })?.field == "version")
  #expect(try problem(mutated { $0["gyroScale"] = 7 })?.field == "gyroScale")
  #expect(try problem(mutated { $0["gyroScale"] = "x" })?.field == "gyroScale")
  #expect(
    try problem(mutated { $0["rightInSensor"] = [1, 0] })?.field?.hasPrefix("rightInSensor") == true
  )
  #expect(try problem(mutated { $0["rightInSensor"] = [3, 0, 0] })?.field == "rightInSensor")
  #expect(try problem(mutated { $0.removeValue(forKey: "device") })?.field == "device")
  let nested = try problem(
    mutated { object in
      var device = object["device"] as? [String: Any] ?? [:]
      device["vendor"] = 12
      object["device"] = device
    })
  #expect(nested?.field == "device.vendor")
  let step = try problem(
    mutated { object in
      object["steps"] = [
        ["step": "stand-still", "confidence": 3, "startSeconds": 0, "endSeconds": 1]
      ]
    })
  #expect(step?.description == "/tmp/x.json: field steps[0].confidence: 3.0 is outside 0…1")
  let unknownStep = try problem(
    mutated { object in
      object["steps"] = [["step": "dance", "confidence": 1, "startSeconds": 0, "endSeconds": 1]]
    })
  #expect(unknownStep?.field == "steps[0].step")
  #expect(problem("{}") != nil)
}

@Test func missingFileIsAProfileError() {
  #expect(throws: ProfileError.self) { try loadProfile(path: "/nonexistent/profile.json") }
}

@Test func storeFindsProfileByDeviceAndReportsBrokenFiles() throws {
  let root = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(atPath: root) }
  let store = ProfileStore.defaultStore(environment: ["XDG_CONFIG_HOME": root, "HOME": "/nowhere"])
  #expect(store.directory == root + "/repcount/profiles")
  #expect(
    ProfileStore.defaultStore(environment: ["HOME": "/home/u"]).directory
      == "/home/u/.config/repcount/profiles")
  let profile = sampleProfile()
  let path = store.path(for: profile.device)
  #expect(path.hasSuffix("/054c-0ce6-a0-ab-51-12-34-56.json"))
  try saveProfile(profile, path: path)

  var device = InputDeviceDescription(
    name: profile.device.name, busType: 5, vendor: 0x054c, product: 0x0ce6, version: 0x8100,
    uniq: "a0:ab:51:12:34:56")
  #expect(try store.lookup(for: device)?.kind == .sameDevice)
  #expect(try store.lookup(for: device)?.profile == profile)
  device.uniq = "a0:ab:51:00:00:01"
  #expect(try store.lookup(for: device) == nil)
  device.product = 0x05c4
  device.uniq = ""
  #expect(try store.lookup(for: device) == nil)

  // A USB pad without uniq: matched by model.
  let usb = sampleProfile(uniq: "")
  try saveProfile(usb, path: store.directory + "/renamed.json")
  device.product = 0x0ce6
  #expect(try store.lookup(for: device)?.kind == .sameModel)

  try Data("{\"format\": 1}".utf8).write(to: URL(fileURLWithPath: store.directory + "/zz.json"))
  #expect(throws: ProfileError.self) {
    device.uniq = "ff:ff:ff:ff:ff:ff"
    _ = try store.lookup(for: device)
  }
}
