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

func angleRadians(y: Double, x: Double) -> Double {
  atan2(y, x)
}

func naturalLogarithm(_ value: Double) -> Double {
  log(value)
}

let degreesPerRadian = 180 / Double.pi
