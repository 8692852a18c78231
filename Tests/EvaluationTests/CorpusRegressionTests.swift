import Foundation
import MotionCore
import MotionSimulator
import Testing

@testable import Evaluation

/// Corpus recordings (regenerated here from their corpus seed and index: the simulator is
/// deterministic) that a detector change fixed, counted end to end through the real reader.
/// Each names the change it guards; a later change that breaks one should be weighed against
/// the corpus figures, not tuned to this case alone.
@Suite struct CorpusRegressionTests {
  /// Writes the corpus item into a temporary directory (named by `tag`, removed afterwards) and
  /// scores it with the exercises' own detectors through the real reader.
  static func evaluateRegenerated(_ item: Corpus.Item, tag: String) throws -> RecordingResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "corpus-regression-\(getpid())-\(tag)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/" + item.fileName
    try Simulator.write(item.options, to: path, annotateEvents: false)
    return try RecordingEvaluator.evaluate(
      path: path, factory: { exercise, _ in makeRepDetector(for: exercise) })
  }

  /// Hip rolls: between sets the tilt passed through the centre while untracked, and its angle
  /// came back about half a turn on; bridged the short way, that reversed the turn in progress
  /// into one going the new set's way, already half done (an extra circle), or broke a circle
  /// into pieces. The bridge may not run a turn backwards after such a crossing.
  @Test(arguments: [
    (seed: UInt64(1), index: 7), (seed: 1, index: 185), (seed: 4242, index: 119),
  ])
  func hipRollsAfterTheTiltCrossedTheCentreUntracked(seed: UInt64, index: Int) throws {
    let item = Corpus.plan(count: index + 1, seed: seed)[index]
    #expect(item.options.exercise == .hipRoll)
    let result = try Self.evaluateRegenerated(item, tag: "\(seed)-\(index)")
    #expect(!result.sets.isEmpty)
    for (number, set) in result.sets.enumerated() {
      #expect(
        set.countError == 0,
        "\(item.fileName) set \(number): \(set.detectedCount) counted of \(set.trueCount)")
    }
  }

  /// Twists with a gyroscope, the device held in the hand (the gentle development corpus of
  /// seed 31337, recording 90, a session): after the twist set a fidget, then the turn on the
  /// spot that begins a walk. The yaw started afresh only once the body had walked and settled
  /// still, which a hand-held device never did, and the turn came back round after the walk as
  /// a twist counted while walking. It now starts afresh as soon as the footsteps show a walk.
  @Test func theTurnThatBeginsAWalkIsNotATwist() throws {
    let item = Corpus.plan(count: 91, seed: 31337, filter: Corpus.Filter(tempo: .gentle))[90]
    #expect(item.options.exercise == .session)
    #expect(item.options.deviceID == "nintendo-charging-grip")
    let result = try Self.evaluateRegenerated(item, tag: "walk")
    let twistSets = result.sets.filter { $0.exercise == .twist }
    #expect(twistSets.count == 1)
    #expect(twistSets.allSatisfy { $0.countError == 0 })
    let whileWalking = result.nonExercise.filter { $0.exercise == .twist && $0.kind == .walking }
    #expect(!whileWalking.isEmpty)
    #expect(
      whileWalking.allSatisfy { $0.countedReps == 0 },
      "twists counted while walking: \(whileWalking.map(\.countedReps))")
  }
}
