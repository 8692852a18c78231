import MotionCore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `RepTraceRecorder`: the per-repetition shape signal sessions compare with calibration's
/// reference repetitions.
@Suite("Repetition traces")
struct RepTraceTests {
  /// A device standing with up along +z turned about up by `yawDegrees(t)` (gyroscope only;
  /// gravity does not change), with a constant gyroscope bias, at 100 Hz.
  private func twistFrames(
    seconds: Double, biasDPS: Double, yawDegrees: (Double) -> Double
  ) -> [MotionFrame] {
    let step = 0.01
    return (0..<Int(seconds / step)).map { index in
      let time = Double(index) * step
      let rate = (yawDegrees(time + step / 2) - yawDegrees(time - step / 2)) / step
      return MotionFrame(
        timeSeconds: time, accelerationG: Vector3(0, 0, 1),
        angularVelocityDPS: Vector3(0, 0, rate + biasDPS))
    }
  }

  @Test("a twist's trace is the rotation about up, with the bias's slope removed")
  func twistTraceFollowsYaw() throws {
    let amplitude = 30.0
    let period = 2.5
    let frames = twistFrames(seconds: 6, biasDPS: 1.5) { time in
      time < 1 || time > 1 + period ? 0 : amplitude * sin(2 * Double.pi * (time - 1) / period)
    }
    var recorder = RepTraceRecorder()
    for frame in frames { recorder.process(frame) }
    // A little rest on both sides, as a detector's boundaries give.
    let trace = try #require(
      recorder.trace(for: .twist, fromSeconds: 0.9, toSeconds: 1.1 + period))
    #expect(abs(Double(trace.count) - (period + 0.2) * RepTraceRecorder.sampleRateHz) <= 1)
    let peak = try #require(trace.max())
    let trough = try #require(trace.min())
    // Without removing the slope, 1.5 °/s over 2.5 s would shift the trace by up to 3.75°.
    #expect(abs(peak - amplitude) < 1.5)
    #expect(abs(trough + amplitude) < 1.5)
    // The peak comes a quarter period in, as the movement's does.
    let peakIndex = try #require(trace.firstIndex(of: peak))
    let peakSeconds = Double(peakIndex) / RepTraceRecorder.sampleRateHz
    #expect(abs(peakSeconds - 0.1 - period / 4) < 0.1)
  }

  @Test("a tilt's trace is the angle away from the start, whatever the mounting")
  func tiltTraceIsAngleFromStart() throws {
    var recorder = RepTraceRecorder()
    // Up in the sensor frame starts along an oblique axis and tilts 20° away and back.
    let start = Vector3(0.3, -0.5, 0.81).normalized!
    let away = start.cross(Vector3(1, 0, 0)).normalized!
    for index in 0..<400 {
      let time = Double(index) * 0.01
      let degrees = time < 1 ? 0 : 20 * sin(Double.pi * min(time - 1, 2) / 2)
      let radians = degrees * Double.pi / 180
      let up = start * cos(radians) + away * sin(radians)
      recorder.process(MotionFrame(timeSeconds: time, accelerationG: up))
    }
    let trace = try #require(recorder.trace(for: .kneeLift, fromSeconds: 0.9, toSeconds: 3.1))
    #expect(trace[0] < 0.5)
    #expect(abs((trace.max() ?? 0) - 20) < 0.5)
    #expect((trace.last ?? 99) < 1.5)
    // Hip rolls use the same tilt signal.
    #expect(recorder.trace(for: .hipRoll, fromSeconds: 0.9, toSeconds: 3.1) == trace)
  }

  @Test("no trace without a gyroscope for twists, for `any`, or for a start it no longer keeps")
  func missingTraces() {
    var accelerometerOnly = RepTraceRecorder(capacitySeconds: 5)
    for index in 0..<2000 {
      accelerometerOnly.process(
        MotionFrame(timeSeconds: Double(index) * 0.01, accelerationG: Vector3(0, 0, 1)))
    }
    #expect(accelerometerOnly.trace(for: .twist, fromSeconds: 16, toSeconds: 18) == nil)
    #expect(accelerometerOnly.trace(for: .any, fromSeconds: 16, toSeconds: 18) == nil)
    #expect(accelerometerOnly.trace(for: .kneeLift, fromSeconds: 16, toSeconds: 18) != nil)
    // 20 s of frames, 5 s kept: a repetition starting at 10 s is gone.
    #expect(accelerometerOnly.trace(for: .kneeLift, fromSeconds: 10, toSeconds: 18) == nil)
    #expect(accelerometerOnly.trace(for: .kneeLift, fromSeconds: 18, toSeconds: 18.1) == nil)
  }
}
