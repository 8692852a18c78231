/// How far a repetition tilted the body about its own axes, in degrees: what a calibration's
/// axes add to the detector's one range (which is measured along whatever direction the movement
/// took, and needs no calibration).
///
/// - `sagittalDegrees`: about the body's right axis, in its sagittal plane: leaning forward and
///   back while standing; the pelvis tilting toward the head or the feet while lying on the back
///   (a knee lift's posterior tilt).
/// - `lateralDegrees`: toward the body's right or left: leaning sideways while standing; the
///   pelvis rolling onto one side while lying (which tells a knee lift's side).
///
/// Each is the repetition's peak-to-peak range of that angle: a hip roll's circle 8° across
/// forward-back and 5° side to side is an ellipse, not a circle; a twist that sways 6° sideways
/// leans with the turn.
public struct BodyTiltRanges: Hashable, Sendable, Codable {
  public var sagittalDegrees: Double
  public var lateralDegrees: Double

  public init(sagittalDegrees: Double, lateralDegrees: Double) {
    self.sagittalDegrees = sagittalDegrees
    self.lateralDegrees = lateralDegrees
  }
}

/// The two tilt directions of one posture in the sensor frame: up in that posture, the body's
/// right made perpendicular to it, and the direction between them (where up goes when the body
/// turns about its right axis).
struct PostureAxes: Sendable {
  let up: Vector3
  let right: Vector3
  let sagittal: Vector3

  init?(up postureUp: Vector3, right bodyRight: Vector3) {
    guard let up = postureUp.normalized, let right = bodyRight.rejecting(up).normalized,
      let sagittal = up.cross(right).normalized
    else { return nil }
    self.up = up
    self.right = right
    self.sagittal = sagittal
  }

  /// Up's tilt from this posture about the body's right axis and toward its right, degrees.
  func tiltDegrees(of up: Vector3) -> (sagittal: Double, lateral: Double) {
    let along = up.dot(self.up)
    return (
      angleRadians(y: up.dot(sagittal), x: along) * degreesPerRadian,
      angleRadians(y: up.dot(right), x: along) * degreesPerRadian
    )
  }
}

/// Keeps up (the motion front end's, with the gyroscope where there is one, so a twist's swing
/// of the lever arm does not pass for a lean) for the last `capacitySeconds` on a 20 Hz grid, and
/// gives any repetition in that time its tilt about the calibrated body's axes. Fed every frame
/// beside the detectors; the ring is allocated once, and nothing per frame or per repetition.
public struct BodyTiltRecorder: Sendable {
  /// Samples per second kept: a repetition lasts 1–10 s, its range needs no more.
  public static let sampleRateHz = 20.0
  public let capacitySeconds: Double

  private let standing: PostureAxes?
  private let lying: PostureAxes?
  private var preprocessor: MotionPreprocessor
  private var ups: TimedSampleRing<Vector3>
  private var nextSampleSeconds: Double?

  /// `nil` unless the profile knows the body's right and at least one posture's up (a
  /// calibration always does).
  public init?(
    profile: BodyProfile, settings: DetectorSettings = DetectorSettings(),
    capacitySeconds: Double = 30
  ) {
    guard let right = profile.rightInSensor else { return nil }
    standing = profile.standingUpInSensor.flatMap { PostureAxes(up: $0, right: right) }
    lying = profile.lyingUpInSensor.flatMap { PostureAxes(up: $0, right: right) }
    guard standing != nil || lying != nil else { return nil }
    self.capacitySeconds = capacitySeconds
    preprocessor = MotionPreprocessor(settings: settings, profile: profile)
    ups = TimedSampleRing(
      capacity: Int((capacitySeconds * Self.sampleRateHz).rounded(.up)) + 1, filler: .zero)
  }

  public mutating func process(_ frame: MotionFrame) {
    let up = preprocessor.process(frame).upInSensor
    let time = frame.timeSeconds
    // Samples on a 20 Hz grid; after a gap the grid starts again at the frame.
    if let next = nextSampleSeconds, time < next { return }
    ups.append(up, atSeconds: time)
    let interval = 1 / Self.sampleRateHz
    let onGrid = (nextSampleSeconds ?? time) + interval
    nextSampleSeconds = onGrid > time ? onGrid : time + interval
  }

  /// The tilt ranges between two device times (a repetition's start and end); `nil` when fewer
  /// than two samples fall inside or the start is older than the recorder keeps.
  public func ranges(fromSeconds start: Double, toSeconds end: Double) -> BodyTiltRanges? {
    guard end > start, ups.reaches(backToSeconds: start, toleranceSeconds: 1 / Self.sampleRateHz)
    else { return nil }
    // The posture by where up was on average: a knee lift is judged lying, a twist standing.
    var meanUp = Vector3.zero
    var samples = 0
    ups.forEach(fromSeconds: start, toSeconds: end) { up in
      meanUp += up
      samples += 1
    }
    guard samples >= 2, let axes = postureAxes(nearest: meanUp) else { return nil }
    var low = (sagittal: Double.infinity, lateral: Double.infinity)
    var high = (sagittal: -Double.infinity, lateral: -Double.infinity)
    ups.forEach(fromSeconds: start, toSeconds: end) { up in
      let tilt = axes.tiltDegrees(of: up)
      low = (min(low.sagittal, tilt.sagittal), min(low.lateral, tilt.lateral))
      high = (max(high.sagittal, tilt.sagittal), max(high.lateral, tilt.lateral))
    }
    return BodyTiltRanges(
      sagittalDegrees: high.sagittal - low.sagittal, lateralDegrees: high.lateral - low.lateral)
  }

  /// `event` with its body tilt ranges filled in (unchanged when they cannot be measured).
  public func annotated(_ event: RepEvent) -> RepEvent {
    var annotated = event
    annotated.metrics.bodyTilt = ranges(
      fromSeconds: event.startSeconds, toSeconds: event.endSeconds)
    return annotated
  }

  private func postureAxes(nearest up: Vector3) -> PostureAxes? {
    guard let standing, let lying else { return standing ?? lying }
    return up.dot(lying.up) > up.dot(standing.up) ? lying : standing
  }
}
