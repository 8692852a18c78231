/// Tracks the direction of "up" in the sensor frame.
///
/// With a gyroscope it is a complementary filter in the spirit of Madgwick's revised AHRS
/// (x-io Fusion): the up vector is carried along by the bias-corrected angular velocity and
/// pulled gently toward the accelerometer's direction; the accelerometer is ignored while it
/// disagrees by more than `accelerationRejectionDegrees` (linear acceleration), and after
/// `recoverySeconds` of continuous disagreement the filter trusts it again. Without a gyroscope
/// the accelerometer direction is low-passed. It needs no calibration: "up" is whatever the
/// accelerometer reads at rest, in whatever way the device is mounted.
public struct OrientationTracker: Hashable, Sendable {
  public struct Settings: Hashable, Sendable {
    /// How fast the accelerometer corrects the gyroscope, per second (1/τ).
    public var accelerometerGainPerSecond: Double = 0.3
    /// The accelerometer is ignored while its direction differs from the estimate by more.
    public var accelerationRejectionDegrees: Double = 10
    /// After this long of ignoring the accelerometer, trust it again (recovery), seconds.
    public var recoverySeconds: Double = 3
    /// Faster correction right after start, so the estimate converges from the first sample.
    public var initialGainPerSecond: Double = 10
    public var initialisationSeconds: Double = 2
    /// Time constant of the accelerometer low-pass used without a gyroscope, seconds.
    public var accelerometerOnlyTimeConstantSeconds: Double = 0.15
    /// Bias tracking settings (used only with a gyroscope).
    public var gyroBias = GyroBiasTracker.Settings()

    public init() {}
  }

  public var settings: Settings
  /// Unit vector pointing up (against gravity), in the sensor frame.
  public private(set) var upInSensor = Vector3(0, 0, 1)
  public private(set) var isInitialised = false
  /// Angle between the accelerometer direction and the estimate, degrees (filter health).
  /// Computed when read: the per-frame work keeps only the cosine.
  public var accelerationErrorDegrees: Double { acosDegrees(accelerationErrorCosine) }
  private var accelerationErrorCosine = 1.0
  /// The last frame's acceleration magnitude, g: detectors that need it read it here instead of
  /// taking the square root again.
  public private(set) var accelerationMagnitudeG = 0.0
  /// True while the accelerometer is being ignored (it disagrees: linear acceleration).
  public private(set) var isAccelerometerIgnored = false
  /// The gyroscope bias estimate and its state.
  public private(set) var gyroBias: GyroBiasTracker
  /// Scale applied to the gyroscope before use (from a calibration profile; 1 when unknown).
  public var gyroScale: Double = 1

  private var secondsSinceStart = 0.0
  private var accelerometerSmoothing = SmoothingFactorCache()
  /// `cos(accelerationRejectionDegrees)`, recomputed only when the setting changes.
  private var rejectionCosine = 1.0
  private var rejectionDegreesOfCosine = Double.nan
  private var ignoredSeconds = 0.0
  private var accelerometerOnly = VectorLowPassFilter(timeConstantSeconds: 0.15)

  public init(settings: Settings = Settings(), initialGyroBiasDPS: Vector3? = nil) {
    self.settings = settings
    self.gyroBias = GyroBiasTracker(settings: settings.gyroBias, initialBiasDPS: initialGyroBiasDPS)
    accelerometerOnly.timeConstantSeconds = settings.accelerometerOnlyTimeConstantSeconds
  }

  /// Angular velocity with the current bias removed and the profile's scale applied, °/s.
  public func correctedAngularVelocityDPS(_ raw: Vector3) -> Vector3 {
    (raw - gyroBias.biasDPS) * gyroScale
  }

  /// Advances the estimate by one frame. `dtSeconds` is the time since the previous frame;
  /// `previousAngularVelocityDPS` (bias-corrected) lets a step integrate trapezoidally, which
  /// bridges short gaps.
  public mutating func update(
    accelerationG: Vector3, angularVelocityDPS: Vector3?, dtSeconds dt: Double,
    previousAngularVelocityDPS: Vector3?
  ) {
    let accelerationLength = accelerationG.length
    accelerationMagnitudeG = accelerationLength
    guard accelerationLength > 1e-6 else { return }
    let measuredUp = accelerationG * (1 / accelerationLength)
    guard isInitialised else {
      upInSensor = measuredUp
      accelerometerOnly.reset(to: measuredUp)
      isInitialised = true
      return
    }
    secondsSinceStart += dt
    guard let rawGyro = angularVelocityDPS else {
      let smoothed = accelerometerOnly.update(measuredUp, dtSeconds: dt)
      if let direction = smoothed.renormalized { upInSensor = direction }
      accelerationErrorCosine = upInSensor.dot(measuredUp)
      isAccelerometerIgnored = false
      return
    }
    gyroBias.update(angularVelocityDPS: rawGyro, accelerationG: accelerationG, dtSeconds: dt)
    let gyro = correctedAngularVelocityDPS(rawGyro)
    let meanGyro = previousAngularVelocityDPS.map { ($0 + gyro) * 0.5 } ?? gyro
    // A vector fixed in the world seen from a frame rotating at ω changes as u̇ = u × ω.
    let radians = meanGyro * (Double.pi / 180 * dt)
    // Normalised once, after the accelerometer's pull: a frame's turn lengthens the vector by
    // under a part in 10⁴, which neither the cosine test nor the pull can notice.
    var up = upInSensor + upInSensor.cross(radians)

    let errorCosine = max(-1, min(1, up.dot(measuredUp)))
    if settings.accelerationRejectionDegrees != rejectionDegreesOfCosine {
      rejectionDegreesOfCosine = settings.accelerationRejectionDegrees
      rejectionCosine = cosine(degrees: rejectionDegreesOfCosine)
    }
    let magnitudePlausible = accelerationLength > 0.7 && accelerationLength < 1.3
    var gain = settings.accelerometerGainPerSecond
    if secondsSinceStart < settings.initialisationSeconds {
      gain = settings.initialGainPerSecond
    }
    if errorCosine < rejectionCosine || !magnitudePlausible {
      ignoredSeconds += dt
      isAccelerometerIgnored = ignoredSeconds < settings.recoverySeconds
      if isAccelerometerIgnored { gain = 0 } else { gain = settings.initialGainPerSecond }
    } else {
      ignoredSeconds = 0
      isAccelerometerIgnored = false
    }
    if gain > 0 {
      let alpha = accelerometerSmoothing.value(dtSeconds: dt, timeConstantSeconds: 1 / gain)
      up += (measuredUp - up) * alpha
    }
    // A frame's turn and pull move it off unit length by under 10⁻³: renormalised cheaply.
    upInSensor = up.renormalized ?? upInSensor
    accelerationErrorCosine = errorCosine
  }

  /// Re-seed from the accelerometer (after a long gap the gyroscope path is broken).
  public mutating func restart() {
    isInitialised = false
    secondsSinceStart = 0
    ignoredSeconds = 0
    gyroBias.interruptStillness()
  }
}
