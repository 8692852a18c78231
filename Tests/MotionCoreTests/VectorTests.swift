import MotionCore
import Testing

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
