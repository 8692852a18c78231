import Foundation
import MotionCore
import Testing

@testable import MotionInput

@Suite struct CSVRecordingTests {
  func frames(_ text: String, name: String = "walk.csv") throws -> [MotionFrame] {
    let directory = try RecordingScratchDirectory()
    var source = try openRecording(path: try directory.file(name, text), deviceTable: .builtIn)
    var frames: [MotionFrame] = []
    while let frame = try source.nextFrame() { frames.append(frame) }
    return frames
  }

  func error(_ text: String) throws -> InputFileError {
    do {
      _ = try frames(text, name: "bad.csv")
    } catch let error as InputFileError {
      return InputFileError(
        path: (error.path as NSString).lastPathComponent, line: error.line,
        message: error.message)
    }
    Issue.record("no error")
    return InputFileError(path: "", message: "")
  }

  @Test func nativeWithGyroAndEmptyGyroCells() throws {
    let frames = try frames(
      """
      t,ax,ay,az,gx,gy,gz
      0.00,0.01,1.00,-0.02,1.5,0,-2
      0.01,0.02,0.99,-0.01,,,
      0.02,0.03,0.98,0.00,3,4,5

      """)
    #expect(frames.count == 3)
    #expect(frames[0].timeSeconds == 0 && frames[1].timeSeconds == 0.01)
    #expect(frames[0].accelerationG == Vector3(0.01, 1, -0.02))
    #expect(frames[0].angularVelocityDPS == Vector3(1.5, 0, -2))
    #expect(frames[1].angularVelocityDPS == nil)
    #expect(frames[2].angularVelocityDPS == Vector3(3, 4, 5))
  }

  @Test func nativeAccelerometerOnlyWithoutFinalNewline() throws {
    let frames = try frames("t,ax,ay,az\n1.0,0,0,1\n1.5,0,0,1")
    #expect(frames.map(\.timeSeconds) == [1.0, 1.5])
    #expect(frames.allSatisfy { $0.angularVelocityDPS == nil })
  }

  /// phyphox "Acceleration with g" export: m/s², phone frame (z out of the screen).
  @Test func phyphoxExportInMetersPerSecondSquared() throws {
    let frames = try frames(
      """
      "Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)","Absolute acceleration (m/s^2)"
      1.002E-2,0.0,0.0,9.80665,9.80665
      2.004E-2,1.0,-9.80665,0.0,9.85

      """, name: "Raw Data.csv")
    #expect(frames.count == 2)
    // Phone face up: +1 g out of the screen lands on project +Y ("up out of the face").
    #expect(frames[0].accelerationG == Vector3(0, 1, 0))
    // Phone standing on its bottom edge: +1 g toward the screen top lands on project −Z.
    #expect(abs(frames[1].accelerationG.z - 1) < 1e-12)
    #expect(abs(frames[1].accelerationG.x - 1 / 9.806_65) < 1e-12)
    #expect(abs(frames[1].timeSeconds - 0.02004) < 1e-9)
  }

  @Test func semicolonSeparatedWithDecimalComma() throws {
    let frames = try frames(
      "\"Time (s)\";\"Acceleration x (m/s^2)\";\"Acceleration y (m/s^2)\";\"Acceleration z (m/s^2)\"\n0,5;0;0;9,80665\n"
    )
    #expect(frames.first?.accelerationG == Vector3(0, 1, 0))
    #expect(frames.first?.timeSeconds == 0.5)
  }

  @Test func malformedCSV() throws {
    #expect(try error("").description == "bad.csv: empty file")
    #expect(try error("t,ax,ay,az\n").message.contains("no data rows"))
    #expect(try error("time,x,y\n1,2,3\n").message.contains("unrecognised CSV header"))
    let badNumber = try error("t,ax,ay,az\n0,0,0,1\n0.01,0,abc,1\n")
    #expect(badNumber.description == "bad.csv:3: column 3: \"abc\" is not a number")
    let short = try error("t,ax,ay,az\n0,0,0,1\n0.01,0,0\n")
    #expect(short.line == 3 && short.message.contains("expected 4 columns"))
    let truncated = try error("t,ax,ay,az\n0,0,0,1\n0.01,0,0")
    #expect(truncated.line == 3 && truncated.message.contains("truncated"))
    let backwards = try error("t,ax,ay,az\n0.02,0,0,1\n0.01,0,0,1\n")
    #expect(backwards.line == 3 && backwards.message.contains("backwards"))
    let repeated = try error("t,ax,ay,az\n0.02,0,0,1\n0.02,0,0,1\n")
    #expect(repeated.line == 3 && repeated.message.contains("same time"))
    let partialGyro = try error("t,ax,ay,az,gx,gy,gz\n0,0,0,1,1,,\n")
    #expect(partialGyro.line == 2 && partialGyro.message.contains("gyro"))
    let missingAccel = try error("t,ax,ay,az\n0,0,,1\n")
    #expect(missingAccel.line == 2 && missingAccel.message.contains("missing value"))
    let linear = try error(
      "\"Time (s)\",\"Linear Acceleration x (m/s^2)\",\"Linear Acceleration y (m/s^2)\",\"Linear Acceleration z (m/s^2)\"\n0,0,0,0\n"
    )
    #expect(linear.line == 1 && linear.message.contains("gravity removed"))
  }
}
