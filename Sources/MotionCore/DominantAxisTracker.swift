/// The dominant direction of a 3-D signal's recent variation (principal component analysis on
/// an exponentially weighted covariance), refined by one power-iteration step per frame.
///
/// The axis keeps its sign from frame to frame (power iteration does not flip), so a signal
/// projected on it stays continuous. No allocation: six covariance terms.
public struct DominantAxisTracker: Hashable, Sendable {
  public var timeConstantSeconds: Double
  public private(set) var axis = Vector3(1, 0, 0)
  public private(set) var mean = Vector3.zero
  private var xx = 0.0
  private var yy = 0.0
  private var zz = 0.0
  private var xy = 0.0
  private var xz = 0.0
  private var yz = 0.0
  private var isPrimed = false
  private var smoothing = SmoothingFactorCache()

  public init(timeConstantSeconds: Double) {
    self.timeConstantSeconds = timeConstantSeconds
  }

  /// Variance along the axis (units² of the input).
  public var varianceAlongAxis: Double { variance(along: axis) }

  /// Variance along a unit direction (units² of the input).
  public func variance(along a: Vector3) -> Double {
    a.x * (xx * a.x + xy * a.y + xz * a.z) + a.y * (xy * a.x + yy * a.y + yz * a.z)
      + a.z * (xz * a.x + yz * a.y + zz * a.z)
  }

  public mutating func update(_ sample: Vector3, dtSeconds dt: Double) {
    guard isPrimed else {
      mean = sample
      isPrimed = true
      return
    }
    let alpha = smoothing.value(dtSeconds: dt, timeConstantSeconds: timeConstantSeconds)
    mean += (sample - mean) * alpha
    let d = sample - mean
    xx += (d.x * d.x - xx) * alpha
    yy += (d.y * d.y - yy) * alpha
    zz += (d.z * d.z - zz) * alpha
    xy += (d.x * d.y - xy) * alpha
    xz += (d.x * d.z - xz) * alpha
    yz += (d.y * d.z - yz) * alpha
    let a = axis
    let product = Vector3(
      xx * a.x + xy * a.y + xz * a.z, xy * a.x + yy * a.y + yz * a.z,
      xz * a.x + yz * a.y + zz * a.z)
    if product.lengthSquared > 1e-30, let next = product.normalized { axis = next }
  }

  /// Start afresh at `sample`: the mean there, the variation seen so far (and so the axis's
  /// memory of it) forgotten.
  public mutating func restart(at sample: Vector3) {
    mean = sample
    isPrimed = true
    xx = 0
    yy = 0
    zz = 0
    xy = 0
    xz = 0
    yz = 0
  }

  /// Restrict the axis to the plane perpendicular to `normal` (for horizontal-only analysis).
  public mutating func constrain(perpendicularTo normal: Vector3) {
    if let projected = axis.rejecting(normal).normalized {
      axis = projected
    } else if let other = normal.cross(Vector3(1, 0, 0)).normalized {
      axis = other
    }
  }
}
