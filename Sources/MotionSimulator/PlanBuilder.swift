import Foundation
import MotionCore

/// Builds a recording's body timeline step by step and writes its truth labels as it goes, so
/// labels and motion come from the same numbers.
struct PlanBuilder {
  private(set) var random: SimulationRandom
  let difficulty: DifficultyProfile
  let tempo: SimulationTempo
  private(set) var time = 0.0
  private(set) var pose: BasePose
  private(set) var segments: [MotionSegment] = []
  private(set) var fidgets: [Fidget] = []
  private(set) var sets: [TruthSet] = []
  private(set) var reps: [TruthRep] = []
  private(set) var truthSegments: [TruthSegment] = []
  /// Resting hip flexion while lying for knee lifts (for the ideal calibration of a thigh).
  private(set) var lyingRestFlexionRadians = 0.0

  /// One rep as planned: its duration, its amplitude relative to the set's, and whether it is a
  /// partial rep.
  private struct RepSpec {
    var periodSeconds: Double
    var amplitudeFactor: Double
    var partial: Bool
    /// Pause after this rep (0: none).
    var pauseAfterSeconds: Double
  }

  init(
    random: SimulationRandom, difficulty: DifficultyProfile, tempo: SimulationTempo = .usual,
    start: BasePose
  ) {
    self.random = random
    self.difficulty = difficulty
    self.tempo = tempo
    self.pose = start
  }

  private var postureName: String { pose.kind == .standing ? "standing" : "lying" }

  // MARK: Non-exercise parts

  mutating func still(_ seconds: Double) {
    guard seconds > 0 else { return }
    segments.append(.hold(pose, start: time, end: time + seconds))
    truthSegments.append(
      TruthSegment(
        kind: .still, startSeconds: time, endSeconds: time + seconds, posture: postureName))
    time += seconds
  }

  /// A fidget: the device turned by 10–40° in its holder within 0.6–1.5 s, with a shake.
  private mutating func makeFidget(startTime: Double) -> Fidget {
    Fidget(
      startTime: startTime, durationSeconds: random.uniform(0.6...1.5),
      rotation: Quaternion(
        axis: random.unitVector(), angleRadians: random.uniform(10...40) * Double.pi / 180),
      shakeAxis: random.unitVector(), shakeRadians: random.uniform(3...8) * Double.pi / 180,
      shakeHz: random.uniform(2...4),
      shakeMeters: random.unitVector() * random.uniform(0.005...0.015))
  }

  mutating func fidget() {
    let fidget = makeFidget(startTime: time)
    let duration = fidget.durationSeconds
    fidgets.append(fidget)
    segments.append(.hold(pose, start: time, end: time + duration))
    truthSegments.append(
      TruthSegment(
        kind: .fidget, startSeconds: time, endSeconds: time + duration, posture: postureName))
    time += duration
  }

  /// Standing or lying still for about `seconds`, with a fidget in the middle now and then.
  mutating func rest(_ seconds: Double) {
    if seconds > 2.5 && random.chance(difficulty.fidgetProbability) {
      let before = random.uniform(0.8...(seconds - 1.5))
      still(before)
      fidget()
      still(max(0.8, seconds - before - 1))
    } else {
      still(seconds)
    }
  }

  mutating func walk(steps: Int) {
    let strideHz = random.uniform(0.8...1.0)
    let ramp = random.uniform(0.5...0.8)
    let turn = random.chance(0.6) ? random.uniform(-Double.pi...Double.pi) : 0
    let motion = WalkMotion(
      start: pose, startTime: time, turnSeconds: turn == 0 ? 0 : random.uniform(0.8...1.5),
      turnRadians: turn, walkSeconds: Double(steps) / (2 * strideHz) + ramp,
      speedMetersPerSecond: random.uniform(0.6...1.1), strideFrequencyHz: strideHz,
      rampSeconds: ramp)
    segments.append(.walk(motion))
    truthSegments.append(
      TruthSegment(
        kind: .walking, startSeconds: time, endSeconds: motion.endTime, posture: "standing"))
    time = motion.endTime
    pose = motion.end
  }

  mutating func lieDown() {
    guard pose.kind == .standing else { return }
    var lying = pose
    lying.kind = .lying
    lying.floorPosition = pose.floorPosition - pose.forward * random.uniform(0.3...0.5)
    lying.lyingFlexionRadians = random.uniform(0...45) * Double.pi / 180
    let motion = PostureChangeMotion(
      standing: pose, lying: lying, lyingDown: true, startTime: time,
      legSeconds: (0..<3).map { _ in random.uniform(1.0...2.0) })
    segments.append(.postureChange(motion))
    truthSegments.append(
      TruthSegment(
        kind: .postureChange, startSeconds: time, endSeconds: motion.endTime, posture: "lying-down")
    )
    time = motion.endTime
    pose = lying
  }

  mutating func standUp() {
    guard pose.kind == .lying else { return }
    var standing = pose
    standing.kind = .standing
    standing.floorPosition = pose.floorPosition + pose.forward * random.uniform(0.3...0.5)
    let motion = PostureChangeMotion(
      standing: standing, lying: pose, lyingDown: false, startTime: time,
      legSeconds: (0..<3).map { _ in random.uniform(1.0...2.0) })
    segments.append(.postureChange(motion))
    truthSegments.append(
      TruthSegment(
        kind: .postureChange, startSeconds: time, endSeconds: motion.endTime, posture: "standing-up"
      ))
    time = motion.endTime
    pose = standing
  }

  // MARK: Exercise sets

  /// The range a repetition's duration is kept in at the usual tempo, stretched for this one.
  private func periods(_ usual: ClosedRange<Double>, _ exercise: Exercise) -> ClosedRange<Double> {
    let factor = tempo.periodFactor(exercise)
    return (usual.lowerBound * factor)...(usual.upperBound * factor)
  }

  /// Per-rep tempo (drift plus jitter, clamped to `periodRange`), amplitude jitter, an optional
  /// partial rep and optional mid-set pauses.
  private mutating func repSpecs(
    counted: Int, basePeriod: Double, periodRange: ClosedRange<Double>
  ) -> [RepSpec] {
    let partials =
      random.chance(difficulty.partialRepProbability) ? (random.chance(0.3) ? 2 : 1) : 0
    let total = counted + partials
    var partialIndices = Set<Int>()
    while partialIndices.count < partials { partialIndices.insert(random.integer(0...(total - 1))) }
    let drift = random.uniform(-difficulty.tempoDrift...difficulty.tempoDrift)
    var specs: [RepSpec] = []
    for index in 0..<total {
      let progress = total > 1 ? Double(index) / Double(total - 1) - 0.5 : 0
      var period =
        basePeriod * (1 + drift * progress) * (1 + difficulty.tempoJitter * random.gaussian())
      period = min(max(period, periodRange.lowerBound), periodRange.upperBound)
      let partial = partialIndices.contains(index)
      let amplitude =
        partial ? random.uniform(0.15...0.3) : 1 + difficulty.amplitudeJitter * random.gaussian()
      specs.append(
        RepSpec(
          periodSeconds: period, amplitudeFactor: amplitude, partial: partial, pauseAfterSeconds: 0)
      )
    }
    if total >= 4 && random.chance(difficulty.midSetPauseProbability) {
      specs[random.integer(1...(total - 3))].pauseAfterSeconds = random.uniform(2...6)
    }
    return specs
  }

  /// Splits specs into bouts separated by pauses.
  private func bouts(_ specs: [RepSpec]) -> [[RepSpec]] {
    var result: [[RepSpec]] = [[]]
    for spec in specs {
      result[result.count - 1].append(spec)
      if spec.pauseAfterSeconds > 0 { result.append([]) }
    }
    return result.filter { !$0.isEmpty }
  }

  private mutating func beginSet(
    exercise: Exercise, direction: RotationDirection?, side: BodySide?
  ) -> Int {
    sets.append(
      TruthSet(
        index: sets.count, exercise: exercise, direction: direction, side: side, startSeconds: 0,
        endSeconds: 0, countedReps: 0, partialReps: 0))
    return sets.count - 1
  }

  private mutating func addRep(
    set: Int, start: Double, end: Double, partial: Bool, amplitudeDegrees: Double
  ) {
    var truthSet = sets[set]
    if partial { truthSet.partialReps += 1 } else { truthSet.countedReps += 1 }
    let isFirst = truthSet.countedReps + truthSet.partialReps == 1
    if isFirst { truthSet.startSeconds = start }
    truthSet.endSeconds = end
    sets[set] = truthSet
    reps.append(
      TruthRep(
        set: set, number: partial ? nil : truthSet.countedReps, exercise: truthSet.exercise,
        startSeconds: start, endSeconds: end, direction: truthSet.direction, side: truthSet.side,
        partial: partial, amplitudeDegrees: amplitudeDegrees))
  }

  private func clampedAmplitude(
    _ spec: RepSpec, setValue: Double, minimum: Double, partialCap: Double
  )
    -> Double
  {
    if spec.partial { return min(setValue * spec.amplitudeFactor, partialCap) }
    return max(setValue * spec.amplitudeFactor, minimum)
  }

  mutating func hipRollSet(direction: RotationDirection, counted: Int, basePeriod: Double) {
    let set = beginSet(exercise: .hipRoll, direction: direction, side: nil)
    let tiltDegrees = random.uniform(difficulty.hipRollTiltDegrees)
    let radius = random.uniform(difficulty.hipRollRadiusMeters)
    let specs = repSpecs(
      counted: counted, basePeriod: basePeriod, periodRange: periods(1.5...4.5, .hipRoll))
    let sign: Double = direction == .counterclockwise ? 1 : -1
    for bout in bouts(specs) {
      // A rep starts when the movement starts: the first quarter of rep 1 grows from standing
      // still to full size, and a quarter-circle lead-out shrinks back to standing after the
      // last rep (so the lead-out never completes another turn).
      let leadIn = 0.25 * bout[0].periodSeconds
      let leadOut = 0.25 * bout[bout.count - 1].periodSeconds
      var times = [time]
      var phases = [0.0]
      var tilts: [Double] = []
      var radii: [Double] = []
      for (index, spec) in bout.enumerated() {
        let start = times[times.count - 1]
        times.append(start + spec.periodSeconds)
        phases.append(2 * Double.pi * Double(index + 1))
        let tilt = clampedAmplitude(
          spec, setValue: tiltDegrees, minimum: DifficultyProfile.minimumCountedTiltDegrees,
          partialCap: 2.5)
        tilts.append(tilt * Double.pi / 180)
        radii.append(radius * tilt / tiltDegrees)
        addRep(
          set: set, start: start, end: start + spec.periodSeconds, partial: spec.partial,
          amplitudeDegrees: tilt)
      }
      let boundaries = times
      times.append(times[times.count - 1] + leadOut)
      phases.append(phases[phases.count - 1] + Double.pi / 2)
      let blend = 0.12 * basePeriod
      let motion = HipRollMotion(
        base: pose, phase: PhaseCurve(times: times, phases: phases), directionSign: sign,
        startAngleRadians: random.uniform(0...(2 * Double.pi)),
        radiusMeters: StepwiseSmoothValue(
          boundaries: boundaries, values: radii, blendSeconds: blend),
        tiltRadians: StepwiseSmoothValue(
          boundaries: boundaries, values: tilts, blendSeconds: blend),
        leadInEnd: times[0] + leadIn, leadOutStart: times[times.count - 2])
      segments.append(.hipRoll(motion))
      time = motion.endTime
      if let pause = bout.last?.pauseAfterSeconds, pause > 0 { rest(pause) }
    }
  }

  mutating func twistSet(counted: Int, basePeriod: Double) {
    let set = beginSet(exercise: .twist, direction: nil, side: nil)
    let amplitudeDegrees = random.uniform(difficulty.twistAmplitudeDegrees)
    let specs = repSpecs(
      counted: counted, basePeriod: basePeriod, periodRange: periods(1.5...4.0, .twist))
    let lean = random.uniform(0.03...0.12)
    for bout in bouts(specs) {
      var times = [time]
      var phases = [0.0]
      var amplitudes: [Double] = []
      for (index, spec) in bout.enumerated() {
        let start = times[times.count - 1]
        times.append(start + spec.periodSeconds)
        phases.append(2 * Double.pi * Double(index + 1))
        let amplitude = clampedAmplitude(
          spec, setValue: amplitudeDegrees, minimum: DifficultyProfile.minimumCountedTwistDegrees,
          partialCap: 7)
        amplitudes.append(amplitude * Double.pi / 180)
        addRep(
          set: set, start: start, end: start + spec.periodSeconds, partial: spec.partial,
          amplitudeDegrees: amplitude)
      }
      let ramp = 0.2 * min(bout[0].periodSeconds, bout[bout.count - 1].periodSeconds)
      let motion = TwistMotion(
        base: pose, phase: PhaseCurve(times: times, phases: phases),
        amplitudeRadians: StepwiseSmoothValue(
          boundaries: times, values: amplitudes, blendSeconds: 0.12 * basePeriod),
        rampSeconds: ramp, leanCoupling: lean)
      segments.append(.twist(motion))
      time = motion.endTime
      if let pause = bout.last?.pauseAfterSeconds, pause > 0 { rest(pause) }
    }
  }

  mutating func kneeLiftSet(side: BodySide, counted: Int, tempoScale: Double) {
    let set = beginSet(exercise: .kneeLift, direction: nil, side: side)
    lyingRestFlexionRadians = pose.lyingFlexionRadians
    let liftDegrees = random.uniform(difficulty.kneeLiftDegrees)
    // Rest flexion plus lift stays near the 0…~110° (up to 120° for supple people).
    let maximumLift = max(
      DifficultyProfile.minimumCountedKneeLiftDegrees,
      120 - pose.lyingFlexionRadians * 180 / Double.pi)
    let setLift = min(liftDegrees, maximumLift)
    let specs = repSpecs(
      counted: counted, basePeriod: 3 * tempoScale, periodRange: periods(1.8...6, .kneeLift))
    let handRamp = random.uniform(0.6...1.0)
    let startTime = time
    var cursor = time + handRamp
    var planned: [KneeLiftMotion.Rep] = []
    var pauses: [(Double, Double)] = []
    for spec in specs {
      let scale = spec.periodSeconds / 3
      let rep = KneeLiftMotion.Rep(
        start: cursor, riseSeconds: random.uniform(0.7...1.2) * scale,
        holdSeconds: random.uniform(0.3...1.2) * scale,
        lowerSeconds: random.uniform(0.7...1.2) * scale,
        liftRadians: clampedAmplitude(
          spec, setValue: setLift, minimum: DifficultyProfile.minimumCountedKneeLiftDegrees,
          partialCap: 20) * Double.pi / 180)
      planned.append(rep)
      addRep(
        set: set, start: rep.start, end: rep.end, partial: spec.partial,
        amplitudeDegrees: rep.liftRadians * 180 / Double.pi)
      cursor = rep.end + random.uniform(0.3...1.2) * tempoScale
      if spec.pauseAfterSeconds > 0 {
        pauses.append((cursor, spec.pauseAfterSeconds))
        cursor += spec.pauseAfterSeconds
      }
    }
    let lastEnd = planned.last?.end ?? cursor
    let endTime = max(cursor - 0.3, lastEnd) + handRamp
    let motion = KneeLiftMotion(
      base: pose, sideSign: side == .left ? -1 : 1, reps: planned, startTime: startTime,
      endTime: endTime, handRampSeconds: handRamp,
      tiltPerLift: random.uniform(5...15) / 80, rollPerLift: random.uniform(2...6) / 80)
    segments.append(.kneeLift(motion))
    // Pauses inside the set: the body rests in the knee-lift segment (labelled still), and now
    // and then the user adjusts the device meanwhile.
    for (start, duration) in pauses {
      if duration > 2.5 && random.chance(difficulty.fidgetProbability) {
        let fidget = makeFidget(startTime: start + random.uniform(0.5...(duration - 2)))
        fidgets.append(fidget)
        truthSegments.append(
          TruthSegment(
            kind: .still, startSeconds: start, endSeconds: fidget.startTime, posture: "lying"))
        truthSegments.append(
          TruthSegment(
            kind: .fidget, startSeconds: fidget.startTime, endSeconds: fidget.endTime,
            posture: "lying"))
        truthSegments.append(
          TruthSegment(
            kind: .still, startSeconds: fidget.endTime, endSeconds: start + duration,
            posture: "lying"))
      } else {
        truthSegments.append(
          TruthSegment(
            kind: .still, startSeconds: start, endSeconds: start + duration, posture: "lying"))
      }
    }
    time = endTime
  }

  // MARK: Result

  /// A short hold at the end so the last motion has settled before the recording stops.
  mutating func finish() {
    still(random.uniform(1.0...2.0))
  }

  var trajectorySegments: [MotionSegment] { segments }

  var sortedTruthSegments: [TruthSegment] {
    truthSegments.sorted { $0.startSeconds < $1.startSeconds }
  }
}
