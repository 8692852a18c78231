import MotionCore

@testable import Sessions

/// A detector that answers with repetitions written in advance, each once the frames reach its
/// end time: the tracker's logic tested apart from any real signal processing.
struct ScriptedDetector: RepDetector {
  let exercise: Exercise
  var script: [RepEvent]
  var nextIndex = 0

  init(exercise: Exercise, script: [RepEvent]) {
    self.exercise = exercise
    self.script = script.filter { $0.exercise == exercise }.sorted { $0.endSeconds < $1.endSeconds }
  }

  mutating func process(_ frame: MotionFrame) -> RepEvent? {
    guard nextIndex < script.count, frame.timeSeconds >= script[nextIndex].endSeconds else {
      return nil
    }
    defer { nextIndex += 1 }
    return script[nextIndex]
  }

  mutating func finish() -> [RepEvent] {
    guard nextIndex < script.count else { return [] }
    defer { nextIndex += 1 }
    return [script[nextIndex]]
  }
}

/// Builds a script of repetitions back to back.
struct ScriptBuilder {
  private(set) var events: [RepEvent] = []
  private(set) var time = 1.0

  mutating func reps(
    _ exercise: Exercise, _ count: Int, seconds: Double = 3, range: Double = 30,
    direction: RotationDirection? = nil, side: BodySide? = nil, partial: Bool = false
  ) {
    for _ in 0..<count {
      events.append(
        RepEvent(
          exercise: exercise, index: events.count + 1, startSeconds: time,
          endSeconds: time + seconds, direction: direction, side: side, isPartial: partial,
          metrics: RepMetrics(rangeDegrees: range, peakAngularVelocityDPS: 40, smoothness: -2)))
      time += seconds
    }
  }

  mutating func pause(_ seconds: Double) { time += seconds }
}

/// Runs a tracker over a script with frames at 20 Hz; returns every event.
func runTracker(
  plan: Plan, script: [RepEvent], settings: TrackerSettings = TrackerSettings(),
  tracker existing: SessionTracker? = nil, extraSeconds: Double = 2
) -> (SessionTracker, [SessionEvent]) {
  var tracker =
    existing
    ?? SessionTracker(plan: plan, settings: settings) { exercise in
      ScriptedDetector(exercise: exercise, script: script)
    }
  var events: [SessionEvent] = []
  let end = (script.map(\.endSeconds).max() ?? 0) + extraSeconds
  var time = 0.0
  while time <= end {
    events += tracker.process(
      MotionFrame(timeSeconds: time, accelerationG: Vector3(0, 0, 1)))
    time += 0.05
  }
  events += tracker.finish()
  return (tracker, events)
}

extension SessionEvent {
  var stepResult: StepResult? { if case .stepEnded(let result) = self { result } else { nil } }
  var rep: SessionRep? { if case .rep(let rep) = self { rep } else { nil } }
}

extension [SessionEvent] {
  var stepResults: [StepResult] {
    compactMap(\.stepResult)
  }
  var reps: [SessionRep] {
    compactMap(\.rep)
  }
}
