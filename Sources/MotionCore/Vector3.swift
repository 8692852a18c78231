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
    // One division and three multiplications: this runs several times per frame.
    return self * (1 / length)
  }

  /// The unit vector in this direction for a vector already of nearly unit length (a unit
  /// vector turned or pulled a little, a mean of unit vectors): within 0.001 of it in squared
  /// length, one Newton step for 1/√ scales it (its length then off by under 4·10⁻⁷, its
  /// direction exact) where `normalized` takes a square root and a division; otherwise the same
  /// as `normalized`.
  @inlinable @inline(__always) public var renormalized: Vector3? {
    let excess = lengthSquared - 1
    guard abs(excess) < 1e-3 else { return normalized }
    return self * (1 - 0.5 * excess)
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

extension Vector3: Codable {
  /// Encoded as a JSON array `[x, y, z]`, the form profile files use.
  public init(from decoder: any Decoder) throws {
    var container = try decoder.unkeyedContainer()
    let x = try container.decode(Double.self)
    let y = try container.decode(Double.self)
    let z = try container.decode(Double.self)
    guard container.isAtEnd else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "a vector has exactly three numbers [x, y, z]")
    }
    self.init(x, y, z)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    try container.encode(x)
    try container.encode(y)
    try container.encode(z)
  }
}

extension Vector3 {
  /// Squared length, for comparisons that need no square root.
  @inlinable public var lengthSquared: Double { x * x + y * y + z * z }

  /// The part of this vector perpendicular to the unit vector `axis`.
  @inlinable public func rejecting(_ axis: Vector3) -> Vector3 {
    self - axis * dot(axis)
  }
}
