import Testing

@testable import MotionCore

@Suite struct RepJudgeTests {
  /// Cycles of 2 s, one after another with no pause, of the given gate ranges; the verdicts.
  /// `firstMinimum`: the larger minimum a set's first must reach (a knee lift's, four times the
  /// device's wander at rest).
  static func verdicts(
    ranges: [Double], minimumRange: Double = 5, firstMinimum: Double = 0,
    relearnsYardstick: Bool = false, relearnsFirstMinimum: Bool = false
  ) -> [RepJudge.Verdict] {
    var judge = RepJudge(settings: DetectorSettings(), minimumRange: minimumRange, yardstickReps: 1)
    judge.relearnsYardstick = relearnsYardstick
    judge.relearnsUnmeasuredMinimum = relearnsFirstMinimum
    return ranges.enumerated().map { index, range in
      let start = 2 * Double(index)
      let cycle = PhaseCounter.Cycle(
        startSeconds: start, endSeconds: start + 2, direction: 1, travelRadians: 2 * Double.pi)
      return judge.judge(
        cycle, completed: true, gateRange: range, unmeasuredMinimumRange: firstMinimum)
    }
  }

  /// A set opened by one outsized repetition (a fidget run into the first lift) measured every
  /// later one as partial; two alike ones in a row replace that yardstick, and the second and
  /// those after it count.
  @Test func twoAlikePartialsInARowReplaceTheYardstick() {
    let ranges = [30.0, 12, 13, 12, 11, 13]
    #expect(
      Self.verdicts(ranges: ranges, relearnsYardstick: false)
        == [.counted, .partial, .partial, .partial, .partial, .partial])
    #expect(
      Self.verdicts(ranges: ranges, relearnsYardstick: true)
        == [.counted, .partial, .counted, .counted, .counted, .counted])
  }

  /// Partials that are not alike (a small one, then one of twice its size) leave the yardstick,
  /// and so does a partial between counted repetitions.
  @Test func unlikePartialsOrACountedOneBetweenKeepTheYardstick() {
    #expect(
      Self.verdicts(ranges: [30, 6, 13, 29, 12, 30, 13], relearnsYardstick: true)
        == [.counted, .partial, .partial, .counted, .partial, .counted, .partial])
  }

  /// Lifts seen small (the other leg's, through the pelvis) by a device that wanders much at
  /// rest: each under the minimum for a set's first, so none ever made the set's yardstick. Two
  /// alike in a row are lifts, not wander: the second counts, and it measures those after it.
  @Test func twoAlikeRepetitionsUnderTheFirstMinimumCount() {
    let ranges = [11.8, 11.6, 7.3, 10.5]
    #expect(
      Self.verdicts(ranges: ranges, minimumRange: 2.5, firstMinimum: 12)
        == [.partial, .partial, .partial, .partial])
    #expect(
      Self.verdicts(
        ranges: ranges, minimumRange: 2.5, firstMinimum: 12, relearnsFirstMinimum: true)
        == [.partial, .counted, .counted, .counted])
  }

  /// Unlike ones in a row (a twitch of 6°, then 11°, and so on) stay partial: neither is a
  /// repetition of the one before.
  @Test func unlikeRepetitionsUnderTheFirstMinimumStayPartial() {
    #expect(
      Self.verdicts(
        ranges: [6, 11, 6, 11.5], minimumRange: 2.5, firstMinimum: 12, relearnsFirstMinimum: true)
        == [.partial, .partial, .partial, .partial])
  }
}
