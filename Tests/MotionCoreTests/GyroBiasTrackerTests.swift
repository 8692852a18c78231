import MotionCore
import Testing

@Suite struct GyroBiasTrackerTests {
  /// `seconds` of a still device at 100 Hz whose gyroscope reads `rateDPS`.
  func stillFor(_ seconds: Double, rateDPS: Vector3, into tracker: inout GyroBiasTracker) {
    for _ in 0..<Int(seconds * 100) {
      tracker.update(angularVelocityDPS: rateDPS, accelerationG: Vector3(0, 0, 1), dtSeconds: 0.01)
    }
  }

  @Test func withoutCalibrationAStillnessSetsTheBias() {
    var tracker = GyroBiasTracker()
    stillFor(3.5, rateDPS: Vector3(0.5, -0.2, 0.1), into: &tracker)
    #expect(tracker.isBiasKnown)
    #expect((tracker.biasDPS - Vector3(0.5, -0.2, 0.1)).length < 0.01)
    #expect(tracker.driftFromCalibrationDPS == 0)
  }

  @Test func aCalibratedBiasIsOnlyRefinedSlowlyAndTheDriftIsReported() {
    let calibrated = Vector3(1, 0, 0)
    var tracker = GyroBiasTracker(initialBiasDPS: calibrated)
    // Still, but reading 0.5 °/s off the calibration: a few seconds' mean does not replace it.
    stillFor(4, rateDPS: Vector3(1.5, 0, 0), into: &tracker)
    #expect(tracker.calibratedBiasDPS == calibrated)
    #expect((tracker.lastStillMeanDPS ?? .zero).x > 1.49)
    #expect(tracker.biasDPS.x > 1 && tracker.biasDPS.x < 1.05, "\(tracker.biasDPS)")
    // A long stillness follows the drift (20 s time constant).
    stillFor(60, rateDPS: Vector3(1.5, 0, 0), into: &tracker)
    #expect(tracker.biasDPS.x > 1.45)
    #expect(abs(tracker.driftFromCalibrationDPS - (tracker.biasDPS.x - 1)) < 1e-9)
  }
}
