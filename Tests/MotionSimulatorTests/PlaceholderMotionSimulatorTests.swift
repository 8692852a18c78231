import Testing

// Replaced by the real tests of this target.
@Test func placeholderMotionSimulatorTestsBuilds() {
  #expect(Bool(true))
}
