#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Angle between two unit vectors, degrees. Per-frame code keeps its vectors unit length, so
/// this one does not normalise; `Vector3.angleDegrees(to:)` does.
func angleDegrees(_ a: Vector3, _ b: Vector3) -> Double {
  acosDegrees(max(-1, min(1, a.dot(b))))
}

extension Vector3 {
  /// Angle between the directions of two vectors of any length, degrees; 0 when either is
  /// (near) zero, since a zero vector has no direction to differ by.
  public func angleDegrees(to other: Vector3) -> Double {
    guard let a = normalized, let b = other.normalized else { return 0 }
    return acosDegrees(a.dot(b))
  }
}

func acosDegrees(_ cosine: Double) -> Double {
  acos(max(-1, min(1, cosine))) * 180 / Double.pi
}

func cosine(degrees: Double) -> Double {
  cos(degrees * Double.pi / 180)
}

/// Wraps an angle difference into (−π, π].
func wrappedRadians(_ angle: Double) -> Double {
  var value = angle
  if value > Double.pi {
    value -= 2 * Double.pi
    if value > Double.pi { value = remainder(value, 2 * Double.pi) }
  } else if value <= -Double.pi {
    value += 2 * Double.pi
    if value <= -Double.pi { value = remainder(value, 2 * Double.pi) }
  }
  return value
}

/// `atan2(y, x)` to within 6·10⁻⁹ rad: the octant's tangent (≤ 1) through an odd minimax
/// polynomial of degree 17, fitted once. The phase counters call it on most frames and need far
/// less than a thousandth of a degree; libm's correctly rounded `atan2` cost about a tenth of a
/// hip-roll frame. `(0, 0)` gives 0, as `atan2` does.
@inline(__always)
func angleRadians(y: Double, x: Double) -> Double {
  let absoluteX = abs(x)
  let absoluteY = abs(y)
  let larger = max(absoluteX, absoluteY)
  guard larger > 0 else { return 0 }
  let tangent = min(absoluteX, absoluteY) / larger
  let s = tangent * tangent
  var polynomial = 0.0024567148648599415
  polynomial = polynomial * s - 0.014401320742283511
  polynomial = polynomial * s + 0.03978116546666012
  polynomial = polynomial * s - 0.07234852588487337
  polynomial = polynomial * s + 0.10498943856190501
  polynomial = polynomial * s - 0.14161228612520552
  polynomial = polynomial * s + 0.19985906685869229
  polynomial = polynomial * s - 0.3333259702310798
  polynomial = polynomial * s + 0.9999998863820588
  var angle = polynomial * tangent
  if absoluteY > absoluteX { angle = Double.pi / 2 - angle }
  if x < 0 { angle = Double.pi - angle }
  return y < 0 ? -angle : angle
}

func naturalLogarithm(_ value: Double) -> Double {
  log(value)
}

let degreesPerRadian = 180 / Double.pi
