import MotionCore
import Testing

@Test func crossProductOfAxesIsRightHanded() {
  let x = Vector3(1, 0, 0)
  let y = Vector3(0, 1, 0)
  #expect(x.cross(y) == Vector3(0, 0, 1))
}

@Test func normalizingZeroGivesNil() {
  #expect(Vector3.zero.normalized == nil)
  #expect(Vector3(3, 0, 4).normalized == Vector3(0.6, 0, 0.8))
}
