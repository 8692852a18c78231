/// A 3-vector of `Double`s in some named frame; the unit lives in the name of the property
/// that holds it (`accelerationG`, `angularVelocityDPS`).
public struct Vector3: Hashable, Sendable {
  public var x: Double
  public var y: Double
  public var z: Double

  @inlinable
  public init(_ x: Double, _ y: Double, _ z: Double) {
    self.x = x
    self.y = y
    self.z = z
  }

  public static let zero = Vector3(0, 0, 0)

  @inlinable public var length: Double { (x * x + y * y + z * z).squareRoot() }

  @inlinable public func dot(_ other: Vector3) -> Double {
    x * other.x + y * other.y + z * other.z
  }

  @inlinable public func cross(_ other: Vector3) -> Vector3 {
    Vector3(y * other.z - z * other.y, z * other.x - x * other.z, x * other.y - y * other.x)
  }

  /// The unit vector in this direction, or `nil` for a (near) zero vector.
  @inlinable public var normalized: Vector3? {
    let length = self.length
    guard length > 1e-12 else { return nil }
    return self / length
  }

  @inlinable public static func + (lhs: Vector3, rhs: Vector3) -> Vector3 {
    Vector3(lhs.x + rhs.x, lhs.y + rhs.y, lhs.z + rhs.z)
  }

  @inlinable public static func - (lhs: Vector3, rhs: Vector3) -> Vector3 {
    Vector3(lhs.x - rhs.x, lhs.y - rhs.y, lhs.z - rhs.z)
  }

  @inlinable public static prefix func - (vector: Vector3) -> Vector3 {
    Vector3(-vector.x, -vector.y, -vector.z)
  }

  @inlinable public static func * (lhs: Vector3, rhs: Double) -> Vector3 {
    Vector3(lhs.x * rhs, lhs.y * rhs, lhs.z * rhs)
  }

  @inlinable public static func * (lhs: Double, rhs: Vector3) -> Vector3 {
    rhs * lhs
  }

  @inlinable public static func / (lhs: Vector3, rhs: Double) -> Vector3 {
    Vector3(lhs.x / rhs, lhs.y / rhs, lhs.z / rhs)
  }

  @inlinable public static func += (lhs: inout Vector3, rhs: Vector3) { lhs = lhs + rhs }
  @inlinable public static func -= (lhs: inout Vector3, rhs: Vector3) { lhs = lhs - rhs }
}
