import BodyCalibration
import Foundation
import MotionCore
import MotionInput
import Sessions

/// The calibration profile a run uses: `--profile FILE` when given; otherwise, for a live device,
/// the profile `repcount calibrate` stored for it (same unit by uniq, else same model), with a
/// notice saying which file. Recordings get a profile only by `--profile`: a recording may come
/// from another body. A broken profile file stops the run with its path and field; it is never
/// skipped.
func resolveProfile(
  explicitPath: String?, liveDevice: InputDeviceDescription?, notice: (String) -> Void
) throws -> CalibrationProfile? {
  if let explicitPath { return try loadProfile(path: explicitPath) }
  guard let liveDevice else { return nil }
  let store = ProfileStore.defaultStore(environment: ProcessInfo.processInfo.environment)
  guard let match = try store.lookup(for: liveDevice) else { return nil }
  notice("using the calibration profile \(match.path) (\(match.kind.rawValue))")
  return match.profile
}

/// What the detectors take from `resolveProfile`.
func resolveBodyProfile(
  explicitPath: String?, liveDevice: InputDeviceDescription?, notice: (String) -> Void
) throws -> BodyProfile? {
  try resolveProfile(explicitPath: explicitPath, liveDevice: liveDevice, notice: notice)?
    .bodyProfile
}

/// The profile's reference repetitions, for the session's form comparison.
func referenceComparison(_ profile: CalibrationProfile?) -> ReferenceComparison? {
  guard let profile, !profile.referenceReps.isEmpty else { return nil }
  return ReferenceComparison(
    references: profile.referenceReps.map {
      ReferenceTrace(exercise: $0.exercise, side: $0.side, angleDegrees: $0.angleDegrees)
    })
}

/// What became of the profile's gyroscope bias during the run (stderr; nothing without one).
func gyroBiasNote(_ bias: GyroBiasTracker) -> String? {
  guard let calibrated = bias.calibratedBiasDPS else { return nil }
  func vector(_ value: Vector3) -> String {
    String(format: "(%.2f, %.2f, %.2f)", value.x, value.y, value.z)
  }
  var note =
    "gyroscope bias: calibrated \(vector(calibrated)) °/s, in use \(vector(bias.biasDPS)) °/s"
  if let measured = bias.lastStillMeanDPS { note += ", last still \(vector(measured)) °/s" }
  if bias.driftFromCalibrationDPS > 0.5 {
    note += String(
      format: "; it has moved %.2f °/s since calibration: `repcount calibrate` again",
      bias.driftFromCalibrationDPS)
  }
  return note
}

/// Said once, on the first frame, when it shows the device has no gyroscope and twists are to
/// be counted: without one a twist is seen only through the acceleration of the device's swing,
/// and a set is often one off (`repcount eval`'s table by exercise and sensor).
func accelerometerOnlyTwistNote(firstFrame: MotionFrame, exercises: [Exercise]) -> String? {
  guard firstFrame.angularVelocityDPS == nil, exercises.contains(.twist) else { return nil }
  return "note: this device has no gyroscope, so twists are counted from its acceleration alone, "
    + "which is much less exact (a set is often one off); a controller with a gyroscope counts "
    + "them far better."
}
