import BodyCalibration
import Foundation
import MotionCore
import MotionInput
import MotionSimulator
import Testing

/// `repcount calibrate --device` on the DualSense USB fixture: the real libudev lookup and
/// libevdev reads under umockdev, fed with a simulated person (seed 3, device at
/// the waist) doing the five steps. `Fixtures/stream_when_open.py` writes the stream to the node
/// once repcount holds it open, paced by its event times (`speed` times as fast) and never more
/// than 2 KB ahead of repcount's reads (umockdev's own replay tears events when a busy machine
/// holds repcount back).
@Suite("Live calibration under umockdev")
struct LiveCalibrationIntegrationTests {
  struct Outcome: Decodable {
    var opened: Bool
    var interrupted: Bool
    var status: Int?
    var stdout: String
    var stderr: String
  }

  /// How long the simulated person stays still after the last step, as someone waiting for the
  /// prompt to move on does. Seconds.
  static let stillAfterSeconds = 5.0

  /// The stream goes 4 times as fast as the person moved: 9 s instead of 34. repcount goes by
  /// the events' own times, not by when they arrive (the in-process comparison checks that it
  /// ends with the same figures), and a report still comes every millisecond, one per read.
  static let speed = 4.0

  /// The calibration as the test streams it: the simulated recording, then the still end.
  struct Stream: Sendable {
    var scenario: CalibrationScenario
    var events: [InputEvent]

    var durationSeconds: Double {
      Double((events.last?.timeMicroseconds ?? 0) - (events.first?.timeMicroseconds ?? 0)) / 1e6
    }
  }

  /// Made once for both tests: simulating the person takes seconds in a debug build.
  static let sharedStream = Result { try makeStream() }

  static func makeStream() throws -> Stream {
    let scenario = try CalibrationScenario.make(
      CalibrationScenarioOptions(
        seed: 3, deviceID: "sony-dualsense", deviceVariant: "usb", placement: .waist))
    let events = scenario.calibration.events
    let lastTime = try #require(events.last?.timeMicroseconds)
    let lastStamp = try #require(
      events.last { $0.type == EventCode.miscType && $0.code == EventCode.miscTimestamp })
    // A resting DualSense repeats its values, which the kernel does not pass on: only the
    // hardware timestamp and the report go on.
    let intervalMicroseconds: Int64 = 4000
    let frames = Int64(stillAfterSeconds * 1_000_000) / intervalMicroseconds
    var still: [InputEvent] = []
    for index in 1...frames {
      let time = lastTime + index * intervalMicroseconds
      let stamp = UInt32(bitPattern: lastStamp.value) &+ UInt32(index * intervalMicroseconds)
      still.append(
        InputEvent(
          timeMicroseconds: time, type: EventCode.miscType, code: EventCode.miscTimestamp,
          value: Int32(bitPattern: stamp)))
      still.append(
        InputEvent(
          timeMicroseconds: time, type: EventCode.synType, code: EventCode.synReport, value: 0))
    }
    return Stream(scenario: scenario, events: events + still)
  }

  /// Runs `calibrate --device` on `stream` through `stream_when_open.py`, in `directory`; with
  /// `interruptAt`, Ctrl-C once repcount has read that many seconds of the stream.
  private func calibrate(
    _ stream: Stream, in directory: String, extraArguments: [String], interruptAt: Double? = nil
  ) throws -> Outcome {
    let fixture = DeviceFixture.named("dualsense-usb")
    let eventsPath = directory + "/calibration.evemu"
    var writer = try EvemuWriter(path: eventsPath, device: stream.scenario.calibration.device)
    for event in stream.events { try writer.write(event) }
    try writer.close()
    let ioctlPath = directory + "/dualsense-usb.ioctl"
    try writeIoctl(
      fixture: Harness.fixturesDirectory + "/dualsense-usb.ioctl",
      startingAt: stream.scenario.calibration.device, to: ioctlPath)
    let python = try Harness.umockdevPython()
    let result = try Harness.run(
      python,
      [Harness.fixturesDirectory + "/stream_when_open.py", "--speed", String(Self.speed)]
        + (interruptAt.map { ["--interrupt-at", String($0)] } ?? []) + [
          Harness.fixturesDirectory + "/\(fixture.name).umockdev", ioctlPath, eventsPath,
          try Harness.repcountBinary(), directory, "calibrate", "--device", fixture.motionPath,
        ] + extraArguments,
      // No stored profile or device table of the user's may take part.
      environment: ["XDG_CONFIG_HOME": directory], timeoutSeconds: stream.durationSeconds + 60)
    guard result.status == 0, let last = result.standardOutput.split(separator: "\n").last else {
      throw HarnessError(description: "stream_when_open.py failed: \(result.standardError)")
    }
    return try JSONDecoder().decode(Outcome.self, from: Data(last.utf8))
  }

  @Test("calibrate --device follows the five steps and writes the profile")
  func calibrateLive() throws {
    let stream = try Self.sharedStream.get()
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let profilePath = directory + "/profile.json"
    let outcome = try calibrate(stream, in: directory, extraArguments: ["--out", profilePath])
    let output = outcome.stdout + outcome.stderr

    #expect(outcome.opened)
    #expect(outcome.status == 0, "\(output)")
    for step in 1...5 {
      #expect(outcome.stdout.contains("Step \(step)/5"), "\(output)")
    }
    #expect(outcome.stdout.contains("5 left-knee-lift: ok"), "\(output)")
    #expect(!outcome.stdout.contains("Let's do that again"), "\(output)")
    #expect(!outcome.stdout.contains("frames were lost"), "\(output)")
    let profile = try loadProfile(path: profilePath)
    let fixture = DeviceFixture.named("dualsense-usb")
    #expect(profile.device.vendor == "054c" && profile.device.product == "0ce6")
    #expect(profile.device.uniq == fixture.uniq)
    #expect(profile.steps.map(\.step) == Array(CalibrationStep.allCases.prefix(5)))

    let truth = stream.scenario.truth
    let right = try #require(profile.rightInSensor)
    #expect(
      right.angleDegrees(to: truth.rightInSensor) < 10,
      "right axis \(right), truth \(truth.rightInSensor)")
    let bias = try #require(profile.gyroBiasDPS)
    let trueBias = try #require(truth.deviceErrors.gyroscopeBiasDPS)
    // The emulator's offset drifts a little about its bias; the calibration averages the still
    // steps.
    #expect((bias - Vector3(trueBias[0], trueBias[1], trueBias[2])).length < 0.3, "bias \(bias)")

    // Every frame arrived intact, with its own time: the guided procedure fed the recorded frames
    // in-process ends with the same figures.
    let expected = try guidedInProcess(stream)
    #expect(
      expected.rightInSensor.map { ($0 - right).length < 1e-9 } == true,
      "live \(right), in-process \(String(describing: expected.rightInSensor))")
    #expect(
      expected.gyroBiasDPS.map { ($0 - bias).length < 1e-9 } == true,
      "live \(bias), in-process \(String(describing: expected.gyroBiasDPS))")
  }

  @Test("Ctrl-C during calibrate --device: stopped at the step in progress, no profile")
  func calibrateLiveInterrupted() throws {
    let stream = try Self.sharedStream.get()
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let profilePath = directory + "/profile.json"
    // Six seconds in, the person is leaning (step 1 is done after 3.3 s of standing still, step
    // 2 about 9 s in).
    let outcome = try calibrate(
      stream, in: directory, extraArguments: ["--out", profilePath], interruptAt: 6)
    let output = outcome.stdout + outcome.stderr

    #expect(outcome.opened && outcome.interrupted)
    #expect(outcome.status != nil && outcome.status != 0, "\(output)")
    #expect(outcome.stdout.contains("1 stand-still: ok"), "\(output)")
    #expect(
      outcome.stderr.contains("calibration stopped at step 2/5")
        && outcome.stderr.contains("no profile written"), "\(output)")
    #expect(!FileManager.default.fileExists(atPath: profilePath))
  }

  /// The guided procedure over the stream's frames, assembled from the events as the live
  /// reader does.
  private func guidedInProcess(_ stream: Stream) throws -> BodyProfile {
    let device = stream.scenario.calibration.device
    var assembler = try FrameAssembler(
      device: device, entry: DeviceTable.builtIn.entry(for: device))
    var guide = GuidedCalibration()
    for event in stream.events {
      guard let frame = assembler.consume(event) else { continue }
      _ = guide.process(frame)
      if guide.isFinished { break }
    }
    return try #require(guide.result?.body)
  }
}

/// Copies the fixture's ioctl answers with each axis's `EVIOCGABS` value set to where `device`
/// stands before its first frame. libevdev starts from these values and a frame carries only the
/// axes that changed (the kernel drops the rest), so the fixture's own values, the state its
/// short stream ends in, would stand in for the axes the first frame leaves out. The axes' ranges
/// and resolutions must agree with the simulated device's.
func writeIoctl(fixture: String, startingAt device: InputDeviceDescription, to path: String) throws
{
  var lines: [String] = []
  for line in Harness.read(fixture).split(separator: "\n", omittingEmptySubsequences: false) {
    let fields = line.split(separator: " ")
    guard let name = fields.first, name.hasPrefix("EVIOCGABS"), fields.count == 3 else {
      lines.append(String(line))
      continue
    }
    // `EVIOCGABS` (axis 0) or `EVIOCGABS(c)`; the data is struct input_absinfo, six
    // little-endian int32: value, minimum, maximum, fuzz, flat, resolution.
    let code = UInt16(name.dropFirst("EVIOCGABS(".count).dropLast()) ?? 0
    let bytes = Array(fields[2]).chunks(of: 2).compactMap { UInt8(String($0), radix: 16) }
    var absinfo = stride(from: 0, to: bytes.count, by: 4).map { offset in
      Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) })
    }
    guard let axis = device.absAxes[code], absinfo.count == 6,
      Array(absinfo[1...]) == [axis.minimum, axis.maximum, axis.fuzz, axis.flat, axis.resolution]
    else {
      throw HarnessError(description: "\(fixture): \(name) does not match the simulated device")
    }
    absinfo[0] = axis.value
    let data = absinfo.flatMap { value in
      (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * $0)) }
    }
    lines.append("\(name) \(fields[1]) " + data.map { hex2($0) }.joined())
  }
  try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

private func hex2(_ byte: UInt8) -> String {
  let digits = String(byte, radix: 16, uppercase: true)
  return digits.count == 1 ? "0" + digits : digits
}

extension Array {
  fileprivate func chunks(of size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
  }
}
