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
