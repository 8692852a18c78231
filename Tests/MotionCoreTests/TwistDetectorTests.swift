import MotionCore
import Testing

@Suite struct TwistDetectorTests {
  @Test(arguments: [10.0, 100, 1000])
  func countsCyclesWithGyroscope(rateHz: Double) {
    let motion = Motions.twists(count: 8, periodSeconds: 2.5, amplitudeDegrees: 30)
    for seed: UInt64 in [1, 2] {
      var random = TestRandom(state: seed * 31)
      let synthesizer = FrameSynthesizer(rateHz: rateHz, mount: random.rotation(), seed: seed)
      var detector = TwistDetector()
      let counted = run(
        &detector,
        synthesizer.frames(
          durationSeconds: motion.duration, pose: motion.pose)
      ).counted
      #expect(counted.count == 8, "rate \(rateHz) seed \(seed)")
      for event in counted.dropFirst().dropLast() {
        #expect(abs(event.metrics.rangeDegrees - 30) < 6, "range \(event.metrics.rangeDegrees)")
      }
    }
  }

  @Test(arguments: [10.0, 100])
  func countsCyclesWithoutGyroscope(rateHz: Double) {
    let motion = Motions.twists(count: 8, periodSeconds: 2, amplitudeDegrees: 40)
    var random = TestRandom(state: 9)
    var synthesizer = FrameSynthesizer(rateHz: rateHz, mount: random.rotation())
    synthesizer.withGyroscope = false
    var detector = TwistDetector()
    let counted = run(
      &detector,
      synthesizer.frames(
        durationSeconds: motion.duration, pose: motion.pose)
    ).counted
    #expect(counted.count == 8)
    #expect(counted.allSatisfy { $0.metrics.rangeDegrees.isNaN })
  }

  @Test func smallTwistIsPartial() {
    let amplitudes: [Double] = [30, 30, 30, 30, 8, 30, 30]
    let motion = Motions.twists(
      count: amplitudes.count, periodSeconds: 2.5, amplitudeDegrees: 30, amplitudes: amplitudes)
    var detector = TwistDetector()
    let events = run(
      &detector,
      FrameSynthesizer(rateHz: 100).frames(
        durationSeconds: motion.duration, pose: motion.pose))
    #expect(events.counted.count == 6)
    #expect(events.contains { $0.isPartial })
  }
}
