import Foundation
import MotionCore
import Testing

@testable import BodyCalibration

/// An accelerometer that reports only changes (a DualShock 3 or a laptop accelerometer behind
/// the input core's fuzz filter): standing still, it sends a frame every quarter second or so,
/// and one of them is a count off, more than the stillness threshold.
private func sparseStillFrames(
  durationSeconds: Double, spikeAtSeconds: Double?, movingFrom: Double? = nil
) -> [MotionFrame] {
  var frames: [MotionFrame] = []
  var t = 0.0
  while t <= durationSeconds {
    var acceleration = Vector3(0.01, -0.02, 1)
    if let spike = spikeAtSeconds, abs(t - spike) < 0.01 { acceleration.x += 0.05 }
    if let start = movingFrom, t >= start && t < start + 0.6 {
      // A lean: up turns 20° over 0.6 s, sent every 20 ms as it changes.
      let angle = (t - start) / 0.6 * 20 * Double.pi / 180
      acceleration = Vector3(sin(angle), 0, cos(angle))
    }
    frames.append(MotionFrame(timeSeconds: t, accelerationG: acceleration))
    t += (movingFrom.map { t >= $0 && t < $0 + 0.6 } ?? false) ? 0.02 : 0.25
  }
  return frames
}

@Test func aSingleNoisyFrameAfterSilenceDoesNotSplitAStillPeriod() {
  let settings = CalibrationSettings()
  // 3.5 s still with one frame off at 1.5 s, 0.25 s after the one before it.
  let frames = sparseStillFrames(durationSeconds: 3.5, spikeAtSeconds: 1.5)
  let periods = StillnessSegmenter.stillPeriods(in: frames, settings: settings)
  #expect(periods.count == 1)
  #expect((periods.first?.durationSeconds ?? 0) > 3.2)

  // Live, the stand-still step completes the same way.
  var guided = GuidedCalibration(settings: settings)
  var done = false
  for frame in frames {
    if case .stepDone(let outcome) = guided.process(frame), outcome.step == .standStill {
      done = true
    }
  }
  #expect(done)
}

@Test func aRealMovementStillSplitsAStillPeriod() {
  let frames = sparseStillFrames(durationSeconds: 8, spikeAtSeconds: nil, movingFrom: 2.5)
  let periods = StillnessSegmenter.stillPeriods(in: frames, settings: CalibrationSettings())
  #expect(periods.count == 2, "\(periods.map { ($0.startSeconds, $0.endSeconds) })")
}

/// Standing "still", the body sways: over 3 s up tilts 0.6° about a horizontal axis, a mean
/// turning of 0.2 °/s that the gyroscope reports on top of its offset. The accelerometer sees
/// the tilt, so the offset is found without it.
@Test func swayTheAccelerometerSeesIsNotTakenForGyroscopeOffset() throws {
  let biasDPS = Vector3(0.4, -0.3, 0.25)
  let swayAxis = Vector3(0.6, 0.8, 0)  // horizontal: up is z
  let swayDegrees = 0.6
  let durationSeconds = 3.6
  var frames: [MotionFrame] = []
  var t = 0.0
  while t <= durationSeconds {
    // Tilt grows smoothly from 0 to swayDegrees (a half cosine): rate = its derivative.
    let u = t / durationSeconds
    let angle = swayDegrees * (1 - cos(Double.pi * u)) / 2 * Double.pi / 180
    let rateDPS = swayDegrees * Double.pi / 2 * sin(Double.pi * u) / durationSeconds
    // The world's up seen from a sensor turned by `angle` about the (horizontal) axis: turned
    // the other way, z cos(angle) − (axis × z) sin(angle).
    let up = Vector3(0, 0, 1) * cos(angle) - swayAxis.cross(Vector3(0, 0, 1)) * sin(angle)
    frames.append(
      MotionFrame(
        timeSeconds: t, accelerationG: up, angularVelocityDPS: swayAxis * rateDPS + biasDPS))
    t += 0.01
  }
  let settings = CalibrationSettings()
  let periods = StillnessSegmenter.stillPeriods(in: frames, settings: settings)
  #expect(periods.count == 1)
  let plainMean = try #require(periods.first?.meanAngularVelocityDPS)
  // The sway alone moves the plain mean well off the offset...
  #expect((plainMean - biasDPS).length > 0.1)
  // ...and the estimate takes it out.
  let estimate = try #require(CalibrationProcedure(settings: settings).estimateBias(periods))
  #expect((estimate.mean - biasDPS).length < 0.02, "\(estimate.mean)")
}
