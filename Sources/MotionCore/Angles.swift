#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Angle between two unit vectors, degrees.
func angleDegrees(_ a: Vector3, _ b: Vector3) -> Double {
  acosDegrees(max(-1, min(1, a.dot(b))))
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
