import Foundation
import MotionCore
import Testing

@testable import Sessions

/// Comparing repetitions with the user's reference repetitions from calibration (DTW of shapes).
@Suite("Reference repetitions")
struct ReferenceComparisonTests {
  /// A knee lift's tilt away from rest: up smoothly, a short hold, down smoothly.
  private func lift(samples: Int, peakDegrees: Double, holdFraction: Double = 0.2) -> [Double] {
    (0..<samples).map { index in
      let u = Double(index) / Double(samples - 1)
      let rise = (1 - holdFraction) / 2
      let shape: Double
      if u < rise {
        shape = 0.5 - 0.5 * cos(Double.pi * u / rise)
      } else if u < rise + holdFraction {
        shape = 1
      } else {
        shape = 0.5 + 0.5 * cos(Double.pi * (u - rise - holdFraction) / rise)
      }
      return peakDegrees * shape
    }
  }

  /// A lift that stops halfway down, goes up again, then comes down: a hesitation.
  private func doubleLift(samples: Int, peakDegrees: Double) -> [Double] {
    (0..<samples).map { index in
      let u = Double(index) / Double(samples - 1)
      return peakDegrees * abs(sin(2 * Double.pi * u)) * (u < 0.5 ? 1 : 0.9)
    }
  }

  private func twist(samples: Int, amplitudeDegrees: Double) -> [Double] {
    (0..<samples).map { amplitudeDegrees * sin(2 * Double.pi * Double($0) / Double(samples - 1)) }
  }

  @Test("the same movement bigger, smaller, quicker or slower is alike")
  func similarityIsAboutShape() throws {
    let comparison = ReferenceComparison(references: [
      ReferenceTrace(
        exercise: .kneeLift, side: .right, angleDegrees: lift(samples: 40, peakDegrees: 8))
    ])
    for (samples, peak) in [(40, 8.0), (25, 5.0), (70, 12.0)] {
      let similarity = try #require(
        comparison.similarity(
          of: lift(samples: samples, peakDegrees: peak), exercise: .kneeLift, side: .right))
      #expect(similarity > 0.95, "\(samples) samples, \(peak)°: \(similarity)")
    }
    // Rest before and after the lift is not part of its shape.
    let padded = [0, 0, 0, 0, 0] + lift(samples: 40, peakDegrees: 8) + [0, 0, 0]
    let paddedSimilarity = try #require(
      comparison.similarity(of: padded, exercise: .kneeLift, side: .right))
    #expect(paddedSimilarity > 0.95)
    // A hesitation scores lower, though not low enough to flag (see the threshold's note).
    let hesitation = try #require(
      comparison.similarity(
        of: doubleLift(samples: 40, peakDegrees: 8), exercise: .kneeLift, side: .right))
    #expect(hesitation < paddedSimilarity - 0.05)
    // No reference of that exercise, or nothing moved: no figure.
    #expect(
      comparison.similarity(
        of: twist(samples: 40, amplitudeDegrees: 30), exercise: .twist, side: nil) == nil)
    #expect(comparison.similarity(of: [0, 0, 0, 0, 0], exercise: .kneeLift, side: .right) == nil)
  }

  @Test("a twist started to the other side or elsewhere in the cycle is alike; one-sided is not")
  func twistStartAndSide() throws {
    let comparison = ReferenceComparison(references: [
      ReferenceTrace(
        exercise: .twist, side: nil, angleDegrees: twist(samples: 50, amplitudeDegrees: 30))
    ])
    let threshold = FeedbackThresholds.minimumReferenceSimilarity(for: .twist)
    let mirrored = twist(samples: 45, amplitudeDegrees: 25).map { -$0 }
    let shifted = (0..<45).map { 25 * cos(2 * Double.pi * Double($0) / 44) }
    for trace in [mirrored, shifted] {
      let similarity = try #require(comparison.similarity(of: trace, exercise: .twist, side: nil))
      #expect(similarity > 0.95)
    }
    let oneSided = twist(samples: 45, amplitudeDegrees: 25).map { abs($0) }
    let oneSidedSimilarity = try #require(
      comparison.similarity(of: oneSided, exercise: .twist, side: nil))
    #expect(oneSidedSimilarity < threshold)
  }

  @Test("knee lifts are compared with the reference of their own side when there is one")
  func sameSideReferenceFirst() throws {
    let comparison = ReferenceComparison(references: [
      ReferenceTrace(
        exercise: .kneeLift, side: .right, angleDegrees: lift(samples: 40, peakDegrees: 8)),
      ReferenceTrace(
        exercise: .kneeLift, side: .left, angleDegrees: doubleLift(samples: 40, peakDegrees: 8)),
    ])
    let smooth = lift(samples: 40, peakDegrees: 8)
    let right = try #require(comparison.similarity(of: smooth, exercise: .kneeLift, side: .right))
    let left = try #require(comparison.similarity(of: smooth, exercise: .kneeLift, side: .left))
    let unknown = try #require(
      comparison.similarity(of: smooth, exercise: .kneeLift, side: .unknown))
    #expect(right > 0.95)
    #expect(left < right - 0.05)
    #expect(unknown == right)
  }

  /// Twists at 100 Hz (rotation about up, gyroscope), one left-right cycle per script repetition.
  private func twistFrames(_ script: [RepEvent], amplitudeDegrees: Double) -> [MotionFrame] {
    let end = (script.map(\.endSeconds).max() ?? 0) + 1
    func yaw(_ time: Double) -> Double {
      guard let rep = script.first(where: { time >= $0.startSeconds && time < $0.endSeconds })
      else { return 0 }
      return amplitudeDegrees * sin(2 * Double.pi * (time - rep.startSeconds) / rep.durationSeconds)
    }
    return (0..<Int(end * 100)).map { index in
      let time = Double(index) / 100
      let rate = (yaw(time + 0.005) - yaw(time - 0.005)) / 0.01
      return MotionFrame(
        timeSeconds: time, accelerationG: Vector3(0, 0, 1),
        angularVelocityDPS: Vector3(0, 0, rate))
    }
  }

  private func run(references: [ReferenceTrace]) -> [SessionRep] {
    var builder = ScriptBuilder()
    builder.reps(.twist, 4, seconds: 3)
    let script = builder.events
    let plan = Plan(name: "twists", steps: [PlanStep(exercise: .twist, targetReps: 4)])
    var tracker = SessionTracker(
      plan: plan, detectorFactory: { ScriptedDetector(exercise: $0, script: script) },
      references: references.isEmpty ? nil : ReferenceComparison(references: references))
    var events: [SessionEvent] = []
    for frame in twistFrames(script, amplitudeDegrees: 30) { events += tracker.process(frame) }
    events += tracker.finish()
    return events.reps
  }

  @Test("the tracker gives each counted repetition its similarity, and flags an unlike one")
  func trackerComparesWithReferences() throws {
    let alike = run(references: [
      ReferenceTrace(
        exercise: .twist, side: nil, angleDegrees: twist(samples: 50, amplitudeDegrees: 35))
    ])
    #expect(alike.count == 4)
    for rep in alike {
      let similarity = try #require(rep.referenceSimilarity)
      #expect(similarity > 0.95)
      #expect(!rep.flags.contains(.unlikeReference))
    }
    #expect(SessionJSON.repLine(alike[0]).contains("\"referenceSimilarity\":"))

    // The reference twisted to one side only: every repetition is unlike it.
    let unlike = run(references: [
      ReferenceTrace(
        exercise: .twist, side: nil,
        angleDegrees: twist(samples: 50, amplitudeDegrees: 35).map { abs($0) })
    ])
    #expect(unlike.count == 4)
    #expect(unlike.allSatisfy { $0.flags.contains(.unlikeReference) })

    let without = run(references: [])
    #expect(without.count == 4)
    #expect(without.allSatisfy { $0.referenceSimilarity == nil })
    #expect(!SessionJSON.repLine(without[0]).contains("referenceSimilarity"))
  }
}
