/// Differentiates a sampled signal with a little low-pass smoothing, so the result is about the
/// same at 10 Hz and 1000 Hz (raw finite differences of noisy samples grow with the rate).
struct SmoothedDerivative: Sendable {
  private var previous = 0.0
  private var hasPrevious = false
  private(set) var value = 0.0
  let timeConstantSeconds: Double
  private var smoothing = SmoothingFactorCache()

  init(timeConstantSeconds: Double) {
    self.timeConstantSeconds = timeConstantSeconds
  }

  mutating func update(_ input: Double, dtSeconds dt: Double) -> Double {
    guard dt > 0 else {
      previous = input
      hasPrevious = true
      return value
    }
    return update(
      input, inverseDtSeconds: 1 / dt,
      alpha: smoothing.value(dtSeconds: dt, timeConstantSeconds: timeConstantSeconds))
  }

  /// The same step with `1/dt` and the smoothing factor for this filter's time constant worked
  /// out by the caller (several derivatives of one frame share them). `inverseDtSeconds` 0 means
  /// no time passed.
  mutating func update(_ input: Double, inverseDtSeconds: Double, alpha: Double) -> Double {
    defer {
      previous = input
      hasPrevious = true
    }
    guard hasPrevious, inverseDtSeconds > 0 else { return value }
    let raw = (input - previous) * inverseDtSeconds
    value += (raw - value) * alpha
    return value
  }

  mutating func reset() {
    hasPrevious = false
    value = 0
  }
}

/// The smallest box around points of a plane (a repetition's signal, 1-D or the 2-D tilt).
struct PlaneExtents: Sendable {
  private var minimumX = Double.infinity
  private var maximumX = -Double.infinity
  private var minimumY = Double.infinity
  private var maximumY = -Double.infinity

  @inline(__always)
  mutating func include(x: Double, y: Double) {
    minimumX = min(minimumX, x)
    maximumX = max(maximumX, x)
    minimumY = min(minimumY, y)
    maximumY = max(maximumY, y)
  }

  /// Peak-to-peak range along x, degrees; 0 while empty.
  var spanX: Double { maximumX >= minimumX ? maximumX - minimumX : 0 }
  /// Radius of a circle: mean of the half-extents, degrees; 0 while empty.
  var radius: Double {
    guard maximumX >= minimumX, maximumY >= minimumY else { return 0 }
    return (maximumX - minimumX + maximumY - minimumY) / 4
  }
}

/// Collects one repetition's metrics as frames arrive: range of the exercise signal (1-D or the
/// 2-D tilt), peak angular speed, and smoothness as the log dimensionless jerk (LDLJ) of the
/// signal's velocity, `−ln(T³/v²ₚₑₐₖ · ∫|j|² dt)`: about −6 for a smooth movement, lower when jerky.
struct RepMetricsAccumulator: Sendable {
  private var extents = PlaneExtents()
  /// Squared (°/s)²: the square root is taken once per repetition, not per frame.
  private var peakAngularSpeedSquared = 0.0
  /// Squared, as the jerk measure uses it: no square root per frame.
  private var peakSpeedSquared = 0.0
  private var jerkIntegral = 0.0
  /// Velocity, acceleration and jerk of (x, y), each a smoothed derivative of the one before
  /// (as `SmoothedDerivative`), both axes in one SIMD pair: one smoothing factor and one `1/dt`
  /// serve the frame, and the pair costs one instruction where two scalars cost two.
  private static let derivativeTimeConstantSeconds = 0.05
  private var previousPosition = SIMD2<Double>.zero
  private var previousVelocity = SIMD2<Double>.zero
  private var previousAcceleration = SIMD2<Double>.zero
  private var velocity = SIMD2<Double>.zero
  private var acceleration = SIMD2<Double>.zero
  private var jerk = SIMD2<Double>.zero
  /// False after a reset: the next frame only seeds the previous values.
  private var hasPrevious = false
  private var derivativeSmoothing = SmoothingFactorCache()

  init() {}

  /// `x`, `y` in degrees (y = 0 for a 1-D signal); angular speed in °/s if known.
  mutating func add(x: Double, y: Double, angularSpeedSquared: Double, dtSeconds dt: Double) {
    add(
      x: x, y: y, angularSpeedSquared: angularSpeedSquared, dtSeconds: dt,
      inverseDtSeconds: dt > 0 ? 1 / dt : 0)
  }

  /// The same with `1/dt` worked out by the caller (0 when no time passed), who needs it too.
  mutating func add(
    x: Double, y: Double, angularSpeedSquared: Double, dtSeconds dt: Double,
    inverseDtSeconds inverseDt: Double
  ) {
    extents.include(x: x, y: y)
    peakAngularSpeedSquared = max(peakAngularSpeedSquared, angularSpeedSquared)
    let position = SIMD2(x, y)
    if hasPrevious && inverseDt > 0 {
      let alpha = derivativeSmoothing.value(
        dtSeconds: dt, timeConstantSeconds: Self.derivativeTimeConstantSeconds)
      velocity += ((position - previousPosition) * inverseDt - velocity) * alpha
      acceleration += ((velocity - previousVelocity) * inverseDt - acceleration) * alpha
      jerk += ((acceleration - previousAcceleration) * inverseDt - jerk) * alpha
    }
    hasPrevious = true
    previousPosition = position
    previousVelocity = velocity
    previousAcceleration = acceleration
    peakSpeedSquared = max(peakSpeedSquared, (velocity * velocity).sum())
    jerkIntegral += (jerk * jerk).sum() * dt
  }

  /// Widen the range without a sample (a rest position seen before the repetition began).
  mutating func includeExtent(x: Double, y: Double) {
    extents.include(x: x, y: y)
  }

  /// Peak-to-peak range along x (1-D signals), degrees.
  var spanX: Double { extents.spanX }
  /// Radius of a 2-D circle: mean of the half-extents, degrees.
  var radius: Double { extents.radius }

  func metrics(rangeDegrees: Double, durationSeconds: Double) -> RepMetrics {
    var smoothness = Double.nan
    if durationSeconds > 0 && peakSpeedSquared > 0 && jerkIntegral > 0 {
      let dimensionless =
        durationSeconds * durationSeconds * durationSeconds / peakSpeedSquared
        * jerkIntegral
      smoothness = -naturalLogarithm(dimensionless)
    }
    return RepMetrics(
      rangeDegrees: rangeDegrees, peakAngularVelocityDPS: peakAngularSpeedSquared.squareRoot(),
      smoothness: smoothness)
  }

  /// Start a new repetition; the derivative filters keep running so there is no start-up spike.
  mutating func startRep() {
    extents = PlaneExtents()
    peakAngularSpeedSquared = 0
    peakSpeedSquared = 0
    jerkIntegral = 0
  }

  /// After a gap: the derivatives must not see a jump.
  mutating func resetDerivatives() {
    hasPrevious = false
    velocity = .zero
    acceleration = .zero
    jerk = .zero
  }
}

/// The typical range of the last few counted repetitions (median of up to five), the yardstick
/// for calling a smaller one partial. No allocation: a fixed tuple.
struct RecentRanges: Sendable {
  private var values: (Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0)
  private(set) var count = 0
  private var next = 0

  mutating func add(_ value: Double) {
    switch next {
    case 0: values.0 = value
    case 1: values.1 = value
    case 2: values.2 = value
    case 3: values.3 = value
    default: values.4 = value
    }
    next = (next + 1) % 5
    count = min(count + 1, 5)
  }

  /// Median of the stored values; nil while empty. Sorted in a copy of the fixed tuple: no
  /// allocation.
  var median: Double? {
    guard count >= 1 else { return nil }
    var sorted = values
    let stored = count
    return withUnsafeMutableBytes(of: &sorted) { raw -> Double in
      let buffer = raw.bindMemory(to: Double.self)
      for index in 1..<stored {
        let value = buffer[index]
        var slot = index
        while slot > 0 && buffer[slot - 1] > value {
          buffer[slot] = buffer[slot - 1]
          slot -= 1
        }
        buffer[slot] = value
      }
      let middle = stored / 2
      return stored % 2 == 1 ? buffer[middle] : (buffer[middle - 1] + buffer[middle]) / 2
    }
  }

  mutating func removeAll() {
    count = 0
    next = 0
  }
}
