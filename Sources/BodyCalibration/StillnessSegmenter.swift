import MotionCore

/// Settings of the calibration, with units in the names. Defaults suit every device in the
/// device table (their noise is far below the thresholds).
public struct CalibrationSettings: Hashable, Sendable {
  /// A still period must last this long to separate steps (the issue's ≥ 2 s), seconds.
  public var minimumStillSeconds = 2.0
  /// How long a still step should last for full confidence, seconds.
  public var targetStillSeconds = 3.0
  /// Largest angular rate deviation from its short-term mean that is still "still", °/s.
  public var stillGyroThresholdDPS = 3.0
  /// Largest deviation of the accelerometer from its short-term mean while still, g.
  public var stillAccelerationThresholdG = 0.03
  /// A steady rate larger than this is a slow turn, not a bias, °/s.
  public var maximumBiasDPS = 10.0
  /// Time constant of the short-term means, seconds.
  public var meanTimeConstantSeconds = 0.4
  /// Frames that do not look still, spanning no longer than this (a noise spike), do not split a
  /// still period, seconds.
  public var mergeGapSeconds = 0.2
  /// Ignored at both ends of a still period (the means settle), seconds.
  public var edgeTrimSeconds = 0.3
  /// Full turns in the optional gyroscope scale step; 0 skips it.
  public var scaleTurns = 0
  /// Repetitions asked for in the optional reference steps (twists, hip rolls); 0 leaves them out
  /// of the live procedure. A recording's reference repetitions are used whenever it has them.
  public var referenceReps = 0
  /// Steps below this confidence are redone (live) or reported as not clean (recordings).
  public var minimumConfidence = 0.5

  public init() {}

  /// Whether the procedure asks for this step: the optional ones only when their setting is on.
  public func asks(for step: CalibrationStep) -> Bool {
    switch step {
    case .gyroScaleTurns: return scaleTurns > 0
    case .referenceTwists, .referenceHipRolls: return referenceReps > 0
    default: return true
    }
  }
}

/// A still stretch of the stream and what it measured.
public struct StillPeriod: Hashable, Sendable {
  /// Device time, seconds (the whole stillness, before trimming the edges).
  public var startSeconds: Double
  public var endSeconds: Double
  /// Index range into the analysed frames (untrimmed).
  public var frameRange: Range<Int>
  /// Unit up (mean accelerometer direction over the trimmed stretch).
  public var upInSensor: Vector3
  public var meanAccelerationG: Vector3
  /// Standard deviation of the acceleration magnitude, g.
  public var accelerationNoiseG: Double
  /// Mean angular velocity (the bias, if nothing turned), °/s; `nil` without a gyroscope.
  public var meanAngularVelocityDPS: Vector3?
  /// RMS over axes of the angular velocity's standard deviation, °/s.
  public var angularVelocityNoiseDPS: Double?
  /// The mean rate at which the body turned while "still" (sway), as far as the accelerometer
  /// sees it: up's tilt from the start of the stretch to its end, over the time between; its
  /// component about up itself is unseen (0). °/s; `nil` without a gyroscope.
  public var swayRateDPS: Vector3?
  /// The gyroscope's offset over the stretch: the mean rate less the sway the accelerometer saw.
  public var biasEstimateDPS: Vector3? {
    guard let mean = meanAngularVelocityDPS else { return nil }
    return mean - (swayRateDPS ?? .zero)
  }
  /// Frames in the trimmed stretch.
  public var sampleCount: Int

  public var durationSeconds: Double { endSeconds - startSeconds }
}

/// Labels each frame still or moving, streaming (the live prompts use it frame by frame).
public struct StillnessClassifier: Sendable {
  public let settings: CalibrationSettings
  private var gyroMean: VectorLowPassFilter
  private var accelerationMean: VectorLowPassFilter
  private var lastTimeSeconds: Double?

  public init(settings: CalibrationSettings) {
    self.settings = settings
    gyroMean = VectorLowPassFilter(timeConstantSeconds: settings.meanTimeConstantSeconds)
    accelerationMean = VectorLowPassFilter(timeConstantSeconds: settings.meanTimeConstantSeconds)
  }

  /// Whether this frame looks still.
  public mutating func isStill(_ frame: MotionFrame) -> Bool {
    var dt = 0.0
    if let last = lastTimeSeconds { dt = max(0, frame.timeSeconds - last) }
    lastTimeSeconds = frame.timeSeconds
    // Compared with the means *before* this frame: devices without a hardware clock send
    // nothing while their values do not change, so a silence (even one flagged as a gap) is
    // still exactly when the values after it match the values before it.
    let previousAcceleration =
      accelerationMean.isPrimed ? accelerationMean.value : frame.accelerationG
    let accelerationLimit = settings.stillAccelerationThresholdG
    var still =
      (frame.accelerationG - previousAcceleration).lengthSquared
      < accelerationLimit * accelerationLimit
    _ = accelerationMean.update(frame.accelerationG, dtSeconds: dt)
    if let gyro = frame.angularVelocityDPS {
      let previousGyro = gyroMean.isPrimed ? gyroMean.value : gyro
      let limit = settings.stillGyroThresholdDPS
      still =
        still && (gyro - previousGyro).lengthSquared < limit * limit
        && previousGyro.lengthSquared < settings.maximumBiasDPS * settings.maximumBiasDPS
      _ = gyroMean.update(gyro, dtSeconds: dt)
    }
    return still
  }
}

/// Finds the still periods of a recorded stream.
public enum StillnessSegmenter {
  public static func stillPeriods(
    in frames: [MotionFrame], settings: CalibrationSettings
  ) -> [StillPeriod] {
    var classifier = StillnessClassifier(settings: settings)
    var runs: [Range<Int>] = []
    var runStart: Int?
    var lastStill = -1
    for (index, frame) in frames.enumerated() {
      let still = classifier.isStill(frame)
      if still {
        if let start = runStart {
          // A short interruption does not end the run. It is timed by the frames that were not
          // still, not from the last still one: a device that reports only changes may have
          // sent nothing for a while before a single noisy frame.
          let interruption =
            lastStill < index - 1
            ? frames[index - 1].timeSeconds - frames[max(lastStill + 1, start)].timeSeconds : 0
          if interruption > settings.mergeGapSeconds {
            runs.append(start..<(lastStill + 1))
            runStart = index
          }
        } else {
          runStart = index
        }
        lastStill = index
      }
    }
    if let start = runStart, lastStill >= start { runs.append(start..<(lastStill + 1)) }
    return runs.compactMap { summarize(frames, $0, settings: settings) }
  }

  static func summarize(
    _ frames: [MotionFrame], _ range: Range<Int>, settings: CalibrationSettings
  ) -> StillPeriod? {
    guard !range.isEmpty else { return nil }
    let start = frames[range.lowerBound].timeSeconds
    let end = frames[range.upperBound - 1].timeSeconds
    guard end - start >= settings.minimumStillSeconds else { return nil }
    let trimmedStart = start + settings.edgeTrimSeconds
    let trimmedEnd = end - settings.edgeTrimSeconds
    var count = 0
    var accelerationSum = Vector3.zero
    var magnitudeSum = 0.0
    var magnitudeSquares = 0.0
    var gyroSum = Vector3.zero
    var gyroSquares = Vector3.zero
    var hasGyro = true
    // Up at both ends of the stretch, each averaged over a quarter of it (at most half a second).
    let endWindow = min(0.5, (trimmedEnd - trimmedStart) / 4)
    var firstSum = Vector3.zero
    var lastSum = Vector3.zero
    for frame in frames[range]
    where frame.timeSeconds >= trimmedStart && frame.timeSeconds <= trimmedEnd {
      if frame.timeSeconds <= trimmedStart + endWindow { firstSum += frame.accelerationG }
      if frame.timeSeconds >= trimmedEnd - endWindow { lastSum += frame.accelerationG }
      count += 1
      accelerationSum += frame.accelerationG
      let magnitude = frame.accelerationG.length
      magnitudeSum += magnitude
      magnitudeSquares += magnitude * magnitude
      if let gyro = frame.angularVelocityDPS {
        gyroSum += gyro
        gyroSquares += Vector3(gyro.x * gyro.x, gyro.y * gyro.y, gyro.z * gyro.z)
      } else {
        hasGyro = false
      }
    }
    guard count >= 2, let up = accelerationSum.normalized else { return nil }
    let n = Double(count)
    let magnitudeMean = magnitudeSum / n
    let magnitudeVariance = max(0, magnitudeSquares / n - magnitudeMean * magnitudeMean)
    var meanGyro: Vector3?
    var gyroNoise: Double?
    var swayRate: Vector3?
    if hasGyro {
      let mean = gyroSum / n
      let variance = gyroSquares / n - Vector3(mean.x * mean.x, mean.y * mean.y, mean.z * mean.z)
      meanGyro = mean
      gyroNoise = ((max(0, variance.x) + max(0, variance.y) + max(0, variance.z)) / 3).squareRoot()
      // A direction fixed in the world turns the other way round the sensor, du/dt = u × ω, so
      // a small turn Ω moves up by u × Ω, and Ω across up is (last − first) × up.
      let between = (trimmedEnd - trimmedStart) - endWindow
      if let first = firstSum.normalized, let last = lastSum.normalized, between > 0 {
        swayRate = (last - first).cross(up) * (180 / Double.pi / between)
      }
    }
    return StillPeriod(
      startSeconds: start, endSeconds: end, frameRange: range, upInSensor: up,
      meanAccelerationG: accelerationSum / n, accelerationNoiseG: magnitudeVariance.squareRoot(),
      meanAngularVelocityDPS: meanGyro, angularVelocityNoiseDPS: gyroNoise, swayRateDPS: swayRate,
      sampleCount: count)
  }
}

func clamp01(_ value: Double) -> Double { max(0, min(1, value)) }
