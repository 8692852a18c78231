import Foundation
import Testing

@testable import MotionCore

@Test func crossProductOfAxesIsRightHanded() {
  let x = Vector3(1, 0, 0)
  let y = Vector3(0, 1, 0)
  #expect(x.cross(y) == Vector3(0, 0, 1))
}

@Test func normalizingZeroGivesNil() {
  #expect(Vector3.zero.normalized == nil)
  let unit = Vector3(3, 0, 4).normalized ?? .zero
  #expect((unit - Vector3(0.6, 0, 0.8)).length < 1e-15)
  #expect(abs(unit.length - 1) < 1e-15)
}

@Test func polynomialArctangentMatchesLibm() {
  // Every octant, both axes, the diagonals and tiny and huge magnitudes.
  var worstRadians = 0.0
  for step in 0..<3600 {
    let angle = Double(step) * Double.pi / 1800 - Double.pi
    for magnitude in [1e-9, 0.3, 1, 57.3, 1e6] {
      let y = magnitude * sin(angle)
      let x = magnitude * cos(angle)
      let difference = abs(wrappedRadians(angleRadians(y: y, x: x) - atan2(y, x)))
      worstRadians = max(worstRadians, difference)
    }
  }
  #expect(worstRadians < 1e-8)
  #expect(angleRadians(y: 0, x: 0) == 0)
  #expect(angleRadians(y: 0, x: 2) == 0)
  #expect(abs(angleRadians(y: 1, x: 0) - Double.pi / 2) < 1e-8)
  #expect(abs(angleRadians(y: 0, x: -1) - Double.pi) < 1e-8)
}

@Test func renormalizingANearlyUnitVectorKeepsItsDirection() {
  // A unit vector turned and pulled a little, as a frame does to "up": squared lengths from
  // 0.9991 to 1.0009, every way round.
  for step in 0..<500 {
    let angle = Double(step) * 0.37
    let direction = Vector3(cos(angle), sin(angle) * 0.6, sin(angle) * 0.8)
    let squaredLength = 1 + Double(step % 19 - 9) * 1e-4
    let vector = direction * squaredLength.squareRoot()
    let renormalized = vector.renormalized ?? .zero
    #expect(abs(renormalized.length - 1) < 4e-7)
    #expect(renormalized.cross(direction).length < 1e-15)
  }
  // Farther from unit length: as exact as `normalized`.
  let long = Vector3(0.3, -2, 0.5)
  #expect((long.renormalized ?? .zero) == (long.normalized ?? Vector3(1, 1, 1)))
  #expect(Vector3(0, 0, 1e-13).renormalized == nil)
}

@Test func smoothingFactorIsOneMinusExpAtEveryStep() {
  // From 10⁻⁶ of a time constant (1000 Hz, a 20 s filter) to several: the series' range and
  // exp's on either side of the switch.
  var worstRelative = 0.0
  var steps = 1e-6
  while steps < 8 {
    let exact = -expm1(-steps)
    let factor = smoothingFactor(dtSeconds: steps * 0.25, timeConstantSeconds: 0.25)
    worstRelative = max(worstRelative, abs(factor - exact) / exact)
    steps *= 1.01
  }
  #expect(worstRelative < 1e-7)
  #expect(smoothingFactor(dtSeconds: 0.004, timeConstantSeconds: 0) == 1)
  #expect(smoothingFactor(dtSeconds: 0, timeConstantSeconds: 0.5) == 0)
}

@Test func smoothingFactorCacheFollowsJitteredStepsAndNewTimeConstants() {
  // Timestamps that jitter change the step on every frame; a filter whose time constant is
  // switched (a mean that settles fast while still) must not keep the old factor.
  var cache = SmoothingFactorCache()
  for frame in 0..<200 {
    let dt = 0.004 + Double(frame % 7 - 3) * 1e-4
    let tau = frame < 100 ? 0.5 : 4
    let expected = smoothingFactor(dtSeconds: dt, timeConstantSeconds: tau)
    #expect(abs(cache.value(dtSeconds: dt, timeConstantSeconds: tau) - expected) <= 1e-15)
  }
  #expect(cache.value(dtSeconds: 0.004, timeConstantSeconds: 0) == 1)
}
