/// Ranges that make a recording easy, normal or hard for the counter. Counted reps never go
/// below the minimum amplitudes (hip-roll tilt 4°, twist yaw 15°, knee lift 50°); partial
/// reps stay well under them, so "counted" and "partial" are separable in principle.
struct DifficultyProfile: Sendable {
  var hipRollTiltDegrees: ClosedRange<Double>
  var hipRollRadiusMeters: ClosedRange<Double>
  var twistAmplitudeDegrees: ClosedRange<Double>
  var kneeLiftDegrees: ClosedRange<Double>
  /// Relative per-rep tempo jitter (standard deviation) and total drift across a set.
  var tempoJitter: Double
  var tempoDrift: Double
  var amplitudeJitter: Double
  var partialRepProbability: Double
  var midSetPauseProbability: Double
  var fidgetProbability: Double
  var reportGapProbability: Double
  var synDroppedProbability: Double
  /// Multiplies sensor bias, noise and drift.
  var sensorErrorScale: Double
  var swayScale: Double

  static let minimumCountedTiltDegrees = 4.0
  static let minimumCountedTwistDegrees = 15.0
  static let minimumCountedKneeLiftDegrees = 50.0

  static func profile(for difficulty: SimulationDifficulty) -> DifficultyProfile {
    switch difficulty {
    case .easy:
      return DifficultyProfile(
        hipRollTiltDegrees: 8...15, hipRollRadiusMeters: 0.04...0.06,
        twistAmplitudeDegrees: 30...50, kneeLiftDegrees: 70...100, tempoJitter: 0.04,
        tempoDrift: 0.1, amplitudeJitter: 0.05, partialRepProbability: 0,
        midSetPauseProbability: 0.1, fidgetProbability: 0.15, reportGapProbability: 0,
        synDroppedProbability: 0, sensorErrorScale: 0.7, swayScale: 0.7)
    case .normal:
      return DifficultyProfile(
        hipRollTiltDegrees: 5...15, hipRollRadiusMeters: 0.02...0.06,
        twistAmplitudeDegrees: 20...50, kneeLiftDegrees: 55...100, tempoJitter: 0.08,
        tempoDrift: 0.2, amplitudeJitter: 0.1, partialRepProbability: 0.25,
        midSetPauseProbability: 0.25, fidgetProbability: 0.35, reportGapProbability: 0.3,
        synDroppedProbability: 0.15, sensorErrorScale: 1, swayScale: 1)
    case .hard:
      return DifficultyProfile(
        hipRollTiltDegrees: 4...9, hipRollRadiusMeters: 0.02...0.04,
        twistAmplitudeDegrees: 15...30, kneeLiftDegrees: 50...75, tempoJitter: 0.14,
        tempoDrift: 0.35, amplitudeJitter: 0.15, partialRepProbability: 0.5,
        midSetPauseProbability: 0.4, fidgetProbability: 0.6, reportGapProbability: 0.7,
        synDroppedProbability: 0.5, sensorErrorScale: 1.8, swayScale: 1.5)
    }
  }
}
