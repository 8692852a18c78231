/// Estimates the gyroscope's zero-rate offset while the device is still.
///
/// Drivers such as hid-playstation pass the bias through, and it drifts with temperature, so
/// the offset is learned at run time: when the gyroscope stays within `stillThresholdDPS` of its
/// short-term mean, reads near the current bias, and the accelerometer is steady, for
/// `stillSeconds`, the mean over that stretch becomes the bias; a longer stillness keeps refining
/// it slowly.
///
/// A bias from a calibration profile (measured over a deliberate still step) is never replaced
/// by a few seconds' mean: stillness only refines it with `refinementSeconds`, the way Fusion's
/// offset algorithm follows temperature drift, and `calibratedBiasDPS` and
/// `lastStillMeanDPS` stay readable so a user interface can report how far it has moved.
public struct GyroBiasTracker: Hashable, Sendable {
  public struct Settings: Hashable, Sendable {
    /// Largest angular rate (after the current bias) that still counts as "not moving", °/s.
    public var stillThresholdDPS: Double = 3
    /// How long the device must be still before the bias is (re)estimated, seconds.
    public var stillSeconds: Double = 3
    /// Largest deviation of the accelerometer from its short-term mean while still, g.
    public var accelerationThresholdG: Double = 0.03
    /// Largest bias the tracker believes before it has one, °/s (bigger readings are motion).
    public var maximumBiasDPS: Double = 10
    /// Once learned, the bias follows long stillness with this time constant, seconds.
    public var refinementSeconds: Double = 20

    public init() {}
  }

  public var settings: Settings
  /// The current estimate, °/s, in the sensor frame.
  public private(set) var biasDPS: Vector3 = .zero
  /// Whether a stillness has been long enough to estimate the bias at least once.
  public private(set) var isBiasKnown = false
  /// How long the device has been still without interruption, seconds.
  public private(set) var stillDurationSeconds = 0.0
  /// The bias the calibration profile gave, if any.
  public let calibratedBiasDPS: Vector3?
  /// The mean rate over the latest stillness long enough to judge (`stillSeconds`), °/s: the
  /// run's own measurement, shown beside the bias in use.
  public private(set) var lastStillMeanDPS: Vector3?
  /// How far the bias in use has moved from the calibrated one, °/s (0 without a calibration).
  public var driftFromCalibrationDPS: Double {
    calibratedBiasDPS.map { (biasDPS - $0).length } ?? 0
  }

  /// Short-term means of the two sensors, over one time constant: one smoothing factor per
  /// frame serves both.
  private static let meanTimeConstantSeconds = 0.5
  private var gyroMean = VectorLowPassFilter(timeConstantSeconds: meanTimeConstantSeconds)
  private var accelerationMean = VectorLowPassFilter(timeConstantSeconds: meanTimeConstantSeconds)
  private var meanSmoothing = SmoothingFactorCache()
  private var stillSumDPS: Vector3 = .zero

  public init(settings: Settings = Settings(), initialBiasDPS: Vector3? = nil) {
    self.settings = settings
    calibratedBiasDPS = initialBiasDPS
    if let initialBiasDPS {
      biasDPS = initialBiasDPS
      isBiasKnown = true
    }
  }

  /// Whether the last update judged the device still.
  public var isStill: Bool { stillDurationSeconds > 0 }

  public mutating func update(
    angularVelocityDPS gyro: Vector3, accelerationG: Vector3, dtSeconds dt: Double
  ) {
    let alpha = meanSmoothing.value(
      dtSeconds: dt, timeConstantSeconds: Self.meanTimeConstantSeconds)
    let meanGyro = gyroMean.update(gyro, smoothingFactor: alpha)
    let meanAcceleration = accelerationMean.update(accelerationG, smoothingFactor: alpha)
    let threshold = settings.stillThresholdDPS
    let steadyGyro = (gyro - meanGyro).lengthSquared < threshold * threshold
    let nearBias: Bool
    if isBiasKnown {
      nearBias = (meanGyro - biasDPS).lengthSquared < threshold * threshold
    } else {
      nearBias = meanGyro.lengthSquared < settings.maximumBiasDPS * settings.maximumBiasDPS
    }
    let accelerationLimit = settings.accelerationThresholdG
    let steadyAcceleration =
      (accelerationG - meanAcceleration).lengthSquared < accelerationLimit * accelerationLimit
    guard steadyGyro && nearBias && steadyAcceleration else {
      stillDurationSeconds = 0
      stillSumDPS = .zero
      return
    }
    stillDurationSeconds += dt
    stillSumDPS += gyro * dt
    guard stillDurationSeconds >= settings.stillSeconds else { return }
    lastStillMeanDPS = stillSumDPS / stillDurationSeconds
    let firstJudgement = stillDurationSeconds - dt < settings.stillSeconds
    if !isBiasKnown || (firstJudgement && calibratedBiasDPS == nil) {
      biasDPS = stillSumDPS / stillDurationSeconds
      isBiasKnown = true
    } else {
      biasDPS +=
        (gyro - biasDPS)
        * smoothingFactor(dtSeconds: dt, timeConstantSeconds: settings.refinementSeconds)
    }
  }

  /// Forget the stillness in progress (after a gap in the data).
  public mutating func interruptStillness() {
    stillDurationSeconds = 0
    stillSumDPS = .zero
  }
}
