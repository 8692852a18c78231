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
