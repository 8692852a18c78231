/// Tunable constants shared by the detectors. Every field has a unit in its name and a default
/// that suits the exercises as the simulator models them (and, we expect, as people do them).
public struct DetectorSettings: Hashable, Sendable {
  /// Orientation and gyroscope-bias tracking.
  public var orientation = OrientationTracker.Settings()

  /// A gap in the data (lost frames or a timestamp jump) up to this long is bridged; a longer
  /// one abandons the repetition in progress. Seconds.
  public var maximumBridgedGapSeconds = 0.7
  /// Frames further apart than this are a gap even without a lost-frames flag. Seconds.
  public var gapSeconds = 0.15

  /// Repetitions shorter than this are not counted (walking steps, fidgets). Seconds.
  public var minimumRepSeconds = 0.8
  /// Knee lifts (raise, hold, lower) shorter than this are not counted: adjusting the device.
  /// Measured from leaving the rest to coming back within a third of the peak, so well short of
  /// the whole movement (1.8–3 s): 1.2 s made 21 brisk full lifts of the development corpus
  /// partial. Seconds.
  public var minimumKneeLiftSeconds = 0.8
  /// Repetitions longer than this are not counted. Seconds.
  public var maximumRepSeconds = 20.0
  /// A repetition whose range is below this fraction of the recent repetitions' typical range is
  /// reported as partial rather than counted.
  public var partialRangeFraction = 0.5
  /// Movement smaller than this fraction of the exercise's minimum range is not even reported as
  /// a partial repetition (sway, breathing).
  public var noiseRangeFraction = 0.4

  /// Smallest pelvis tilt of a hip roll that counts, degrees (radius of the tilt circle).
  public var minimumHipRollTiltDegrees = 2.0
  /// Below this tilting rate (°/s, horizontal angular velocity) a hip roll's phase is not
  /// tracked: the body is still or nearly so (sway, a hand's tremor). A 4° roll of 4.5 s a
  /// circle turns at about 5.6 °/s; gentler circles are followed below it only while the tilt
  /// keeps going round (`HipRollDetector.slowCircleTurnRate`).
  public var minimumHipRollRateDPS = 4.0
  /// Across a stretch where a hip roll's tilt is not tracked (near the centre of its circle,
  /// or too slow), its phase is taken to have advanced at most this many times as fast as the
  /// last counted circle went. A held device's own wobble can carry the tilt across the centre
  /// between sets, where the shortest way round is a coin toss worth up to half a turn.
  public var maximumBridgedTempoFactor = 1.5
  /// A hip roll or twist cycle whose acceleration magnitude jolts more than this (RMS of its part
  /// above about 0.6 Hz) was walking, g. Simulated footsteps give 0.1–0.3 g, hip rolls and twists
  /// under 0.04 g; the fastest, widest hip roll expected (5 cm at 1.5 s a circle) about 0.05 g.
  public var maximumExerciseJoltG = 0.08
  /// Smallest twist that counts: yaw amplitude to each side, degrees.
  public var minimumTwistYawDegrees = 7.0
  /// Smallest twist without a gyroscope: peak horizontal acceleration from the lever arm, g.
  public var minimumTwistAccelerationG = 0.02
  /// Smallest knee lift that counts: rotation the sensor sees (pelvic tilt or thigh), degrees.
  public var minimumKneeLiftDegrees = 2.5
  /// Smallest movement the generic counter counts, degrees of rotation (with a gyroscope).
  public var minimumGenericDegrees = 5.0
  /// Smallest movement the generic counter counts without a gyroscope, g.
  public var minimumGenericAccelerationG = 0.03

  /// Time constant of the slowly moving reference ("mean up", signal centre), seconds.
  public var baselineSeconds = 4.0
  /// How fast the amplitude envelopes forget a larger past movement, seconds.
  public var envelopeDecaySeconds = 8.0
  /// How long a stalled repetition (no movement) may pause before it is abandoned, seconds.
  public var maximumPauseSeconds = 5.0

  public init() {}
}
