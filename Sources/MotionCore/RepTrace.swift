/// The one-dimensional signal that describes the shape of a repetition, so a repetition can be
/// compared with the user's own reference repetitions from calibration:
/// - knee lifts and hip rolls: how far up has tilted away from where it was when the repetition
///   started, in degrees (a lift rises and falls back; a circle of tilt rises to its diameter
///   and comes back, wherever on the circle the repetition starts);
/// - twists: the rotation about up since the start, in degrees, with the straight line from the
///   first to the last sample removed (a twist comes back to the centre, so what is left of a
///   slope is gyroscope bias). Needs a gyroscope.
///
/// Calibration (reference repetitions) and sessions (each repetition) both take traces from this
/// recorder, so the two are measured the same way.
public struct RepTraceRecorder: Sendable {
  /// Samples per second of the trace: enough for a 1–5 s repetition's shape.
  public static let sampleRateHz = 20.0
  /// How far back traces can reach, in seconds (a repetition is far shorter).
  public let capacitySeconds: Double

  /// Up and the rotation about up since the stream began, degrees, at each sample.
  private var samples: TimedSampleRing<(up: Vector3, yawDegrees: Double)>
  private var hasGyroscope = false

  // The sample being gathered.
  private var bucketStartSeconds: Double?
  private var bucketAccelerationG = Vector3.zero
  private var bucketFrames = 0
  private var yawDegrees = 0.0
  /// Rotation about up at the bucket's last frame.
  private var bucketYawDegrees = 0.0
  private var previousTimeSeconds: Double?
  private var latestUp = Vector3(0, 0, 1)

  public init(capacitySeconds: Double = 30) {
    self.capacitySeconds = capacitySeconds
    samples = TimedSampleRing(
      capacity: Int((capacitySeconds * Self.sampleRateHz).rounded(.up)) + 1,
      filler: (up: .zero, yawDegrees: 0))
  }

  public mutating func process(_ frame: MotionFrame) {
    let time = frame.timeSeconds
    let dt = previousTimeSeconds.map { time - $0 } ?? 0
    previousTimeSeconds = time
    if let gyro = frame.angularVelocityDPS {
      hasGyroscope = true
      // Rotation about up; a gap's missing rotation is not invented.
      if dt > 0 && dt < 0.25 && !frame.framesLostBefore { yawDegrees += gyro.dot(latestUp) * dt }
    }
    // Samples on a fixed grid: a bucket closes when a frame falls past its end.
    let interval = 1 / Self.sampleRateHz
    if let start = bucketStartSeconds, time >= start + interval {
      if bucketFrames > 0 {
        if let up = (bucketAccelerationG / Double(bucketFrames)).normalized { latestUp = up }
        samples.append(
          (up: latestUp, yawDegrees: bucketYawDegrees), atSeconds: start + interval / 2)
      }
      // After a gap the grid starts again at this frame.
      bucketStartSeconds = time < start + 2 * interval ? start + interval : time
      bucketAccelerationG = .zero
      bucketFrames = 0
    }
    if bucketStartSeconds == nil { bucketStartSeconds = time }
    bucketAccelerationG += frame.accelerationG
    bucketFrames += 1
    bucketYawDegrees = yawDegrees
  }

  /// The trace between two device times (a repetition's start and end); `nil` when the exercise
  /// has no trace (`any`, or a twist without a gyroscope), when fewer than four samples fall
  /// inside, or when the start is older than the recorder keeps.
  public func trace(for exercise: Exercise, fromSeconds start: Double, toSeconds end: Double)
    -> [Double]?
  {
    guard exercise != .any, exercise != .twist || hasGyroscope, end > start,
      // A start before the oldest sample kept would cut the repetition short.
      samples.reaches(backToSeconds: start, toleranceSeconds: 1 / Self.sampleRateHz)
    else { return nil }
    var window: [(up: Vector3, yawDegrees: Double)] = []
    samples.forEach(fromSeconds: start, toSeconds: end) { window.append($0) }
    guard window.count >= 4 else { return nil }
    if exercise == .twist {
      let first = window[0].yawDegrees
      let slope = (window[window.count - 1].yawDegrees - first) / Double(window.count - 1)
      return window.enumerated().map { index, sample in
        sample.yawDegrees - first - slope * Double(index)
      }
    }
    let startUp = window[0].up
    return window.map { angleDegrees($0.up, startUp) }
  }
}
