import Foundation
import MotionCore

/// A rotation as a unit quaternion. `q.rotate(v)` maps a vector from the rotated (body) frame
/// into the reference (world) frame; `a * b` applies `b` first, then `a`.
public struct Quaternion: Hashable, Sendable, Codable {
  public var w: Double
  public var x: Double
  public var y: Double
  public var z: Double

  public init(w: Double, x: Double, y: Double, z: Double) {
    self.w = w
    self.x = x
    self.y = y
    self.z = z
  }

  public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

  /// Rotation by `angleRadians` about `axis` (right-hand rule); the axis need not be unit length.
  public init(axis: Vector3, angleRadians: Double) {
    guard let unit = axis.normalized else {
      self = .identity
      return
    }
    let half = angleRadians / 2
    let s = sin(half)
    self.init(w: cos(half), x: unit.x * s, y: unit.y * s, z: unit.z * s)
  }

  /// Rotation by a rotation vector (axis × angle in radians).
  public init(rotationVector: Vector3) {
    let angle = rotationVector.length
    if angle < 1e-12 {
      self.init(w: 1, x: rotationVector.x / 2, y: rotationVector.y / 2, z: rotationVector.z / 2)
    } else {
      self.init(axis: rotationVector, angleRadians: angle)
    }
  }

  public static func aboutX(_ radians: Double) -> Quaternion {
    Quaternion(w: cos(radians / 2), x: sin(radians / 2), y: 0, z: 0)
  }

  public static func aboutY(_ radians: Double) -> Quaternion {
    Quaternion(w: cos(radians / 2), x: 0, y: sin(radians / 2), z: 0)
  }

  public static func aboutZ(_ radians: Double) -> Quaternion {
    Quaternion(w: cos(radians / 2), x: 0, y: 0, z: sin(radians / 2))
  }

  public var norm: Double { (w * w + x * x + y * y + z * z).squareRoot() }

  public func scaled(_ factor: Double) -> Quaternion {
    Quaternion(w: w * factor, x: x * factor, y: y * factor, z: z * factor)
  }

  public var normalized: Quaternion { scaled(1 / norm) }

  public var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

  public static func * (a: Quaternion, b: Quaternion) -> Quaternion {
    Quaternion(
      w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
      x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
      y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
      z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
  }

  /// The vector `v` (given in the rotated frame) expressed in the reference frame.
  public func rotate(_ v: Vector3) -> Vector3 {
    let u = Vector3(x, y, z)
    let t = 2 * u.cross(v)
    return v + w * t + u.cross(t)
  }

  /// The vector `v` (given in the reference frame) expressed in the rotated frame.
  public func inverseRotate(_ v: Vector3) -> Vector3 {
    conjugate.rotate(v)
  }

  /// Axis × angle (radians) of this rotation, taking the short way round.
  public var rotationVector: Vector3 {
    let q = w < 0 ? scaled(-1) : self
    let sinHalf = (q.x * q.x + q.y * q.y + q.z * q.z).squareRoot()
    if sinHalf < 1e-12 { return Vector3(2 * q.x, 2 * q.y, 2 * q.z) }
    let angle = 2 * atan2(sinHalf, q.w)
    return Vector3(q.x, q.y, q.z) * (angle / sinHalf)
  }

  /// Angle of this rotation in radians, 0…π.
  public var angleRadians: Double { rotationVector.length }

  /// Spherical interpolation from `a` (fraction 0) to `b` (fraction 1) the short way.
  public static func slerp(_ a: Quaternion, _ b: Quaternion, _ fraction: Double) -> Quaternion {
    var target = b
    if a.w * b.w + a.x * b.x + a.y * b.y + a.z * b.z < 0 { target = b.scaled(-1) }
    let delta = a.conjugate * target
    return a * Quaternion(rotationVector: delta.rotationVector * fraction)
  }

  /// The rotation matrix, row-major (rows are the reference-frame axes in rotated coordinates).
  public var matrix: [[Double]] {
    [
      [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
      [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
      [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ]
  }
}
