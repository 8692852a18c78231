import Foundation
import MotionCore
import Testing

@testable import MotionInput

@Suite struct RecordingInspectionTests {
  @Test func evemuRecordingStatistics() throws {
    let directory = try RecordingScratchDirectory()
    let path = directory.path + "/session.evemu"
    try EvemuRecording(
      device: EvemuRecordingTests.dualSenseWithValues(),
      events: EvemuRecordingTests.sampleEvents()
    ).write(path: path)
    let report = try RecordingInspection.inspect(path: path, deviceTable: .builtIn)
    #expect(report.format == "evemu")
    #expect(report.deviceName == "DualSense Wireless Controller Motion Sensors")
    #expect(report.deviceIdentity == "0005:054c:0ce6")
    #expect(report.tableEntryId == "sony-dualsense")
    #expect(report.timestampModel == "hardware")
    #expect(report.frameCount == 500)
    #expect(report.synDroppedCount == 1)
    #expect(report.gapCount == 1)
    #expect(report.hasGyroscope)
    #expect(report.unterminatedEventCount == 0)
    // MSC steps are exactly 4 ms except across the SYN_DROPPED (also 4 ms of device time).
    #expect(abs(report.durationSeconds - 499 * 0.004) < 1e-6)
    #expect(abs((report.effectiveRateHz ?? 0) - 250) < 0.01)
    #expect((report.intervalJitterMilliseconds ?? 1) < 1e-6)
    // Still for the first second: gravity ≈ 8192/8192 = 1 g on +Y.
    let gravity = try #require(report.stillGravityMagnitudeG)
    #expect(abs(gravity - 1) < 0.01)
    #expect(report.stillSeconds >= 0.5)
    #expect((report.stillGravityVectorG?[1] ?? 0) > 0.99)
  }

  /// A Wii Remote (fuzz-filtered, no clock of its own) silent for half a second: a pause that
  /// held its values, not a gap.
  @Test func silenceOfAFuzzFilteredNodeIsAPauseNotAGap() throws {
    let directory = try RecordingScratchDirectory()
    let path = directory.path + "/wii.evemu"
    var events: [InputEvent] = []
    let times = (0..<20).map { Int64($0) * 10_000 } + (0..<20).map { 700_000 + Int64($0) * 10_000 }
    for (index, time) in times.enumerated() {
      events += MotionNodeSamples.frame(at: time, axes: [(EventCode.absRX, Int32(index % 3))])
    }
    try EvemuRecording(device: MotionNodeSamples.wiiAccelerometer(), events: events)
      .write(path: path)
    let report = try RecordingInspection.inspect(path: path, deviceTable: .builtIn)
    #expect(report.frameCount == 40)
    #expect(report.gapCount == 0)
    #expect(report.heldPauseCount == 1)
  }

  @Test func csvWithJitterAndAGap() throws {
    let directory = try RecordingScratchDirectory()
    var text = "t,ax,ay,az\n"
    var time = 0.0
    var generator = RecordingTestRandom(seed: 5)
    for index in 0..<300 {
      text += "\(time),0,0,0.5\n"
      let interval = 0.01 + Double(generator.next() % 2001) * 1e-6 - 0.001
      let step = index == 150 ? 0.5 : interval
      time += step
    }
    let path = try directory.file("jitter.csv", text)
    let report = try RecordingInspection.inspect(path: path, deviceTable: .builtIn)
    #expect(report.format == "csv")
    #expect(report.tableEntryId == nil)
    #expect(report.frameCount == 300)
    #expect(report.gapCount == 1)
    #expect(!report.hasGyroscope)
    #expect(abs((report.maximumIntervalMilliseconds ?? 0) - 500) < 0.01)
    // Units sanity check catches a wrong scale: 0.5 g at rest.
    #expect(abs((report.stillGravityMagnitudeG ?? 0) - 0.5) < 1e-9)
    let encoded = try JSONEncoder().encode(report)
    let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    #expect(object.keys.contains("tableEntryId"))  // present as null, not left out
    #expect(object["tableEntryId"] is NSNull)
    let decoded = try JSONDecoder().decode(RecordingInspection.self, from: encoded)
    #expect(decoded == report)
  }

  @Test func recordingStoppedMidFrameIsReported() throws {
    let directory = try RecordingScratchDirectory()
    let path = try directory.file(
      "cut.evemu",
      RecordingErrorTests.header + RecordingErrorTests.goodFrame
        + "E: 1.004000 0003 0001 8000\nE: 1.004000 0004 0005 4100\n")
    let report = try RecordingInspection.inspect(path: path, deviceTable: .builtIn)
    #expect(report.frameCount == 1)
    #expect(report.unterminatedEventCount == 2)
  }

  @Test func statisticsWithoutStillness() {
    var statistics = FrameStatistics()
    for index in 0..<200 {
      let t = Double(index) * 0.01
      statistics.add(
        MotionFrame(
          timeSeconds: t, accelerationG: Vector3(0, 1 + 0.5 * sin(t * 20), 0),
          angularVelocityDPS: Vector3(0, 90, 0)))
    }
    statistics.finish()
    #expect(statistics.stillGravityMagnitude == nil)
    #expect(statistics.frameCount == 200)
    #expect(abs(statistics.meanInterval - 0.01) < 1e-9)
  }
}
