#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Smoothing factor of a first-order low-pass filter for one time step: `1 − exp(−dt/τ)`.
///
/// Exact for any step, so a filter behaves the same at 10 Hz and at 1000 Hz. Short steps use a
/// series (no `exp` call), which keeps the per-frame cost low at high rates.

func smoothingFactor(dtSeconds: Double, timeConstantSeconds: Double) -> Double {
  guard timeConstantSeconds > 0 else { return 1 }
  return smoothingFactor(steps: dtSeconds / timeConstantSeconds)
}

/// `1 − exp(−x)` for a step of `x` time constants. Up to an eighth of a time constant (a
/// 0.08 s filter at 100 Hz and faster) the series to x⁵ is within 6·10⁻⁹ of it, and no `exp`
/// is called. Its last term multiplies by 1/120 instead of dividing: a division per filter and
/// frame (nine in a hip-roll frame) for a difference in the last bit, far below the series' own
/// error.
@inline(__always)
private func smoothingFactor(steps x: Double) -> Double {
  if x <= 0 { return 0 }
  if x < 0.125 {
    return x * (1 - x * (0.5 - x * (1.0 / 6.0 - x * (1.0 / 24 - x * (1.0 / 120)))))
  }
  return 1 - exp(-x)
}

/// Remembers a filter's rate (1/τ) and its last smoothing factor. A stream of one frame period
/// gets the factor back unchanged; timestamps that jitter (real devices', and any whose frame
/// period does not divide evenly in binary) differ in every step, and then the factor costs a
/// multiplication and a short polynomial instead of a division too: a detector runs a dozen
/// such filters per frame.
struct SmoothingFactorCache: Hashable, Sendable {
  private var dtSeconds = -1.0
  private var timeConstantSeconds = -1.0
  private var ratePerSecond = 0.0
  private var factor = 0.0

  @inline(__always)
  mutating func value(dtSeconds dt: Double, timeConstantSeconds tau: Double) -> Double {
    if tau != timeConstantSeconds {
      timeConstantSeconds = tau
      ratePerSecond = tau > 0 ? 1 / tau : .infinity
      dtSeconds = -1
    }
    if dt != dtSeconds {
      dtSeconds = dt
      factor = ratePerSecond.isFinite ? smoothingFactor(steps: dt * ratePerSecond) : 1
    }
    return factor
  }
}

/// A first-order low-pass filter (exponential smoothing) with a time constant in seconds.
public struct LowPassFilter: Hashable, Sendable {
  public var timeConstantSeconds: Double
  public private(set) var value: Double
  /// False until the first sample, which the filter adopts as its value.
  public private(set) var isPrimed: Bool
  private var smoothing = SmoothingFactorCache()

  public init(timeConstantSeconds: Double) {
    self.timeConstantSeconds = timeConstantSeconds
    self.value = 0
    self.isPrimed = false
  }

  @discardableResult @inline(__always)
  public mutating func update(_ input: Double, dtSeconds: Double) -> Double {
    guard isPrimed else {
      value = input
      isPrimed = true
      return value
    }
    value +=
      smoothing.value(dtSeconds: dtSeconds, timeConstantSeconds: timeConstantSeconds)
      * (input - value)
    return value
  }

  public mutating func reset(to newValue: Double) {
    value = newValue
    isPrimed = true
  }
}

/// A first-order low-pass filter on each component of a vector.
public struct VectorLowPassFilter: Hashable, Sendable {
  public var timeConstantSeconds: Double
  public private(set) var value: Vector3
  public private(set) var isPrimed: Bool
  private var smoothing = SmoothingFactorCache()

  public init(timeConstantSeconds: Double) {
    self.timeConstantSeconds = timeConstantSeconds
    self.value = .zero
    self.isPrimed = false
  }

  @discardableResult @inline(__always)
  public mutating func update(_ input: Vector3, dtSeconds: Double) -> Vector3 {
    update(
      input,
      smoothingFactor: smoothing.value(
        dtSeconds: dtSeconds, timeConstantSeconds: timeConstantSeconds))
  }

  /// The step with the smoothing factor worked out by the caller (filters of one time constant
  /// share it); `timeConstantSeconds` is not read.
  @discardableResult @inline(__always)
  mutating func update(_ input: Vector3, smoothingFactor alpha: Double) -> Vector3 {
    guard isPrimed else {
      value = input
      isPrimed = true
      return value
    }
    value += (input - value) * alpha
    return value
  }

  public mutating func reset(to newValue: Vector3) {
    value = newValue
    isPrimed = true
  }
}

/// Tracks the recent maximum and minimum of a signal: each jumps to a new extreme at once and
/// relaxes toward the signal with a time constant, so the pair follows a changing amplitude.
public struct RangeEnvelope: Hashable, Sendable {
  public var decaySeconds: Double
  /// 0: a new extreme is adopted at once; otherwise the envelope rises toward it with this time
  /// constant, so a brief spike (someone adjusting the device) barely registers.
  public var attackSeconds = 0.0
  public private(set) var maximum: Double
  public private(set) var minimum: Double
  public private(set) var isPrimed: Bool
  private var decay = SmoothingFactorCache()
  private var attackSmoothing = SmoothingFactorCache()

  public init(decaySeconds: Double) {
    self.decaySeconds = decaySeconds
    self.maximum = 0
    self.minimum = 0
    self.isPrimed = false
  }

  public var span: Double { maximum - minimum }
  public var middle: Double { (maximum + minimum) / 2 }

  @inline(__always)
  public mutating func update(_ input: Double, dtSeconds: Double) {
    guard isPrimed else {
      maximum = input
      minimum = input
      isPrimed = true
      return
    }
    let alpha = decay.value(dtSeconds: dtSeconds, timeConstantSeconds: decaySeconds)
    let attack =
      attackSeconds > 0
      ? attackSmoothing.value(dtSeconds: dtSeconds, timeConstantSeconds: attackSeconds) : 1
    if input > maximum {
      maximum += attack * (input - maximum)
    } else {
      maximum += alpha * (input - maximum)
    }
    if input < minimum {
      minimum += attack * (input - minimum)
    } else {
      minimum += alpha * (input - minimum)
    }
  }

  public mutating func reset() {
    isPrimed = false
  }
}

/// The recent maximum of a signal: `RangeEnvelope.maximum`, by the same arithmetic, without the
/// minimum, and with the step's decay and attack factors worked out by the caller, so that
/// envelopes of one frame with the same time constants share them.
struct PeakEnvelope: Sendable {
  private(set) var maximum = 0.0
  private var isPrimed = false

  @inline(__always)
  mutating func update(_ input: Double, decay: Double, attack: Double) {
    guard isPrimed else {
      maximum = input
      isPrimed = true
      return
    }
    maximum += (input > maximum ? attack : decay) * (input - maximum)
  }
}
