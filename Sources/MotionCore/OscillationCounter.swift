/// What a detector learns from a finished cycle: counted or partial, when, how it went.
struct JudgedCycle: Sendable {
  var cycle: PhaseCounter.Cycle
  var isPartial: Bool
  var metrics: RepMetrics
}

/// Decides whether a cycle is a repetition, a partial one, or noise not worth reporting.
struct RepJudge: Sendable {
  let minimumRepSeconds: Double
  let maximumRepSeconds: Double
  let partialRangeFraction: Double
  let noiseRangeFraction: Double
  /// The smallest gating range that counts (in the gating signal's unit).
  let minimumRange: Double
  private var recent = RecentRanges()
  /// The counted repetitions' sizes, where the caller measures one apart from the range.
  private var recentSizes = RecentRanges()
  /// The recent repetitions' typical range (median, kept so reading it per frame costs
  /// nothing); nil until `yardstickReps` were counted in this set.
  private(set) var typicalRange: Double?
  /// How many counted repetitions make a yardstick for "partial". One knee lift is enough (each
  /// is a whole movement from rest), and one twist by its yaw (the first swing after a pause is
  /// as wide as the rest, and a small one right after it would otherwise count); the first hip
  /// circle or lobe of acceleration of a set is still building up.
  let yardstickReps: Int
  private var lastEndSeconds = -Double.infinity
  /// With a yardstick of several repetitions, a repetition smaller than this fraction of the
  /// set's one counted so far is already partial (nil: none before the yardstick). The first
  /// may still be building up, so only a repetition far smaller than it is judged by it. Two
  /// such in a row, alike each other (`alikeRangeRatio`), show the first was another
  /// movement's (a fidget run into it): the set starts again from them, the second counted.
  var provisionalPartialRangeFraction: Double?
  /// Whether a counted repetition in the other direction starts a new set (hip rolls).
  var directionStartsSet = false
  private var countedDirection = 0
  /// A pause this long between repetitions starts a new set: the yardstick for "partial" is
  /// forgotten (the next set may be the other leg, the other direction, another amplitude).
  let newSetPauseSeconds = 3.0
  /// A pause starts a new set only when it is also longer than this many times the set's last
  /// counted repetition (nil: `newSetPauseSeconds` alone). For slow repetitions a gap of about
  /// one of them is one too small to follow, not a pause.
  var newSetPauseRepetitions: Double?
  /// Duration of the set's last counted repetition, seconds (0 before one).
  private var lastCountedSeconds = 0.0
  /// Whether two repetitions in a row that are partial only beside the yardstick, and alike
  /// each other (ranges within `alikeRangeRatio`), replace it: repetitions of a set are alike,
  /// and a yardstick that rejects two alike ones in a row was another movement's (a fidget run
  /// into the set's first repetition). The second is then counted. The generic counter's rule:
  /// it knows nothing of the movement's size.
  var relearnsYardstick = false
  static let alikeRangeRatio = 1.5

  /// Whether two repetitions' ranges are within `alikeRangeRatio` of each other.
  static func areAlike(_ a: Double, _ b: Double) -> Bool {
    max(a, b) <= alikeRangeRatio * min(a, b)
  }

  /// The range of the last repetition judged partial only by the yardstick, when nothing was
  /// judged since.
  private var partialBesideYardstickRange: Double?
  /// Whether two whole repetitions in a row under only the larger minimum for a set's first
  /// (`unmeasuredMinimumRange`), and alike each other, show that minimum was too large: the
  /// second is counted (knee lifts: a device that wanders much at rest, and a set whose lifts it
  /// sees small, the other leg's through the pelvis).
  var relearnsUnmeasuredMinimum = false
  /// The range of the last repetition judged partial only by that larger minimum, when nothing
  /// was judged since.
  private var partialByUnmeasuredMinimumRange: Double?
  /// Whether a movement too small or too short to report continues the set: the pause that
  /// starts a new set is counted from its end rather than from the last repetition's.
  var ignoredContinuesSet = true

  init(
    settings: DetectorSettings, minimumRange: Double, minimumRepSeconds: Double? = nil,
    yardstickReps: Int = 2
  ) {
    self.minimumRepSeconds = minimumRepSeconds ?? settings.minimumRepSeconds
    self.yardstickReps = yardstickReps
    maximumRepSeconds = settings.maximumRepSeconds
    partialRangeFraction = settings.partialRangeFraction
    noiseRangeFraction = settings.noiseRangeFraction
    self.minimumRange = minimumRange
  }

  enum Verdict {
    case counted
    case partial
    case ignored
  }

  /// `unmeasuredMinimumRange`: a larger minimum for a cycle with no yardstick yet (the knee
  /// lifts': what the device's own wander at rest could do).
  /// `size`: a second measure of the repetition's size (the acceleration range scaled by the
  /// cycle's duration squared); a repetition small by the range but not by this is counted.
  mutating func judge(
    _ cycle: PhaseCounter.Cycle, completed: Bool, gateRange: Double,
    unmeasuredMinimumRange: Double = 0, size: Double? = nil
  ) -> Verdict {
    let duration = cycle.endSeconds - cycle.startSeconds
    if isNewSetPause(cycle.startSeconds - lastEndSeconds) { forgetSet() }
    let previousPartialRange = partialBesideYardstickRange
    partialBesideYardstickRange = nil
    let minimum = typicalRange == nil ? max(minimumRange, unmeasuredMinimumRange) : minimumRange
    guard gateRange >= noiseRangeFraction * minimum,
      duration >= 0.6 * minimumRepSeconds
    else {
      if ignoredContinuesSet { lastEndSeconds = cycle.endSeconds }
      return .ignored
    }
    lastEndSeconds = cycle.endSeconds
    let previousUnmeasuredRange = partialByUnmeasuredMinimumRange
    partialByUnmeasuredMinimumRange = nil
    let isWhole = completed && duration >= minimumRepSeconds && duration <= maximumRepSeconds
    var countedMinimum = minimum
    if relearnsUnmeasuredMinimum, isWhole, gateRange < minimum, gateRange >= minimumRange {
      if let previous = previousUnmeasuredRange, Self.areAlike(previous, gateRange) {
        countedMinimum = minimumRange
      } else {
        partialByUnmeasuredMinimumRange = gateRange
      }
    }
    guard isWhole, gateRange >= countedMinimum else { return .partial }
    // Hip rolls the other way are the next set, often of another size: measured against the
    // last set's circles, smaller ones would all be partial.
    if directionStartsSet, cycle.direction != countedDirection { forgetSet() }
    if typicalRange == nil, recent.count >= 1, let fraction = provisionalPartialRangeFraction,
      let first = recent.median, gateRange < fraction * first
    {
      if let previous = previousPartialRange, Self.areAlike(previous, gateRange) {
        restartSet(withRange: previous)
      } else {
        partialBesideYardstickRange = gateRange
        return .partial
      }
    } else if let typical = typicalRange, gateRange < partialRangeFraction * typical {
      // A slower repetition of a movement measured by its acceleration has a range smaller by
      // the tempo squared: as large as the others by its size, it is whole.
      let isWholeBySize =
        size.map { size in
          recentSizes.median.map { size >= partialRangeFraction * $0 } ?? false
        } ?? false
      if !isWholeBySize {
        guard relearnsYardstick, let previous = previousPartialRange,
          Self.areAlike(previous, gateRange)
        else {
          if relearnsYardstick { partialBesideYardstickRange = gateRange }
          return .partial
        }
        restartSet(withRange: previous)
      }
    }
    countedDirection = cycle.direction
    lastCountedSeconds = duration
    recent.add(gateRange)
    if let size { recentSizes.add(size) }
    updateTypicalRange()
    return .counted
  }

  /// Whether a cycle starting at `startSeconds` would be the first counted of its set.
  func opensSet(startSeconds: Double) -> Bool {
    recent.count == 0 || isNewSetPause(startSeconds - lastEndSeconds)
  }

  private func isNewSetPause(_ seconds: Double) -> Bool {
    seconds > max(newSetPauseSeconds, (newSetPauseRepetitions ?? 0) * lastCountedSeconds)
  }

  /// The set's counted repetitions so far were not all whole: it starts again from one of
  /// `range` (already counted).
  mutating func restartSet(withRange range: Double) {
    let lastCounted = lastCountedSeconds
    forgetSet()
    lastCountedSeconds = lastCounted
    recent.add(range)
    updateTypicalRange()
  }

  private mutating func updateTypicalRange() {
    typicalRange = recent.count >= yardstickReps ? recent.median : nil
  }

  /// A new set begins: its repetitions are measured against each other only.
  mutating func forgetSet() {
    partialBesideYardstickRange = nil
    partialByUnmeasuredMinimumRange = nil
    lastCountedSeconds = 0
    recent.removeAll()
    recentSizes.removeAll()
    typicalRange = nil
  }
}

/// Where a 1-D movement rests, which fixes the portrait angle at which a repetition ends.
enum RestPosition: Hashable, Sendable {
  /// At one end of the movement (knee lift: down).
  case extreme
  /// In the middle of a back-and-forth movement, the signal being a position (twist yaw).
  case centre
}

/// Counts a 1-D oscillation by the phase of its normalised portrait (position, −velocity),
/// with amplitude gates, and collects each repetition's metrics.
struct OscillationCounter: Sendable {
  private var position: RangeEnvelope
  private var velocity: RangeEnvelope
  private var counter: PhaseCounter
  private var metrics = RepMetricsAccumulator()
  private(set) var judge: RepJudge
  private let rest: RestPosition
  /// Position span below which the phase is not tracked (sway, noise).
  let gateSpan: Double
  private var gateMinimum = Double.infinity
  private var gateMaximum = -Double.infinity
  private var gateEnvelope: RangeEnvelope
  private var lastTimeSeconds = 0.0
  /// False when the position is not an angle (acceleration-only signals): the range is NaN.
  private let reportsRange: Bool
  /// The portrait radius (normalised) below which the phase is undefined.
  private let deadZoneRadius = 0.3
  /// When the last counted repetition ended.
  private var lastCountedEndSeconds = -Double.infinity
  /// The next completed turn is the rest of one already counted (see `beginCyclesAtMiddle`).
  private var absorbsNextCompletion = false
  /// Where the movement rested before a `restartPortrait`, until the next turn begins.
  private var restartRest: Double?

  init(
    settings: DetectorSettings, rest: RestPosition, minimumSpan: Double, reportsRange: Bool,
    minimumRepSeconds: Double? = nil, relearnsYardstick: Bool = false
  ) {
    position = RangeEnvelope(decaySeconds: settings.envelopeDecaySeconds)
    gateEnvelope = RangeEnvelope(decaySeconds: settings.envelopeDecaySeconds)
    self.reportsRange = reportsRange
    velocity = RangeEnvelope(decaySeconds: settings.envelopeDecaySeconds)
    var counterSettings = PhaseCounter.Settings()
    counterSettings.maximumBridgeSeconds = settings.maximumBridgedGapSeconds
    counterSettings.maximumPauseSeconds = settings.maximumPauseSeconds
    counterSettings.completionToleranceRadians = 0.1 * Double.pi
    counter = PhaseCounter(settings: counterSettings, boundary: .atAngle(Double.pi))
    judge = RepJudge(
      settings: settings, minimumRange: minimumSpan, minimumRepSeconds: minimumRepSeconds,
      yardstickReps: 1)
    judge.relearnsYardstick = relearnsYardstick
    self.rest = rest
    gateSpan = 0.6 * minimumSpan
  }

  /// Whether a cycle is being tracked (the amplitude gate has opened).
  var isActive: Bool { counter.isActive }

  /// Feed one frame. `x`: the movement's position, in degrees where `reportsRange`; `v`: its
  /// rate; `gate`: the value whose span gates counting (often `x`).
  mutating func update(
    timeSeconds t: Double, dtSeconds dt: Double, continuity: FrameContinuity,
    x: Double, v: Double, gate: Double, angularSpeedSquared: Double
  ) -> JudgedCycle? {
    lastTimeSeconds = t
    if continuity == .broken {
      counter.reset()
      absorbsNextCompletion = false
      restartRest = nil
      resetEnvelopes()
      metrics.resetDerivatives()
      return nil
    }
    position.update(x, dtSeconds: dt)
    velocity.update(v, dtSeconds: dt)
    gateEnvelope.update(gate, dtSeconds: dt)
    let halfSpan = position.span / 2
    let velocityAmplitude = max(velocity.maximum, -velocity.minimum)
    let isMoving = gateEnvelope.span >= gateSpan && halfSpan > 0 && velocityAmplitude > 0
    var px = 0.0
    var py = 0.0
    if isMoving {
      px = (x - position.middle) / halfSpan
      py = -v / velocityAmplitude
    }
    let radiusSquared = px * px + py * py
    let isValid = isMoving && radiusSquared >= deadZoneRadius * deadZoneRadius
    let angle = isValid ? angleRadians(y: py, x: px) : 0
    let wasActive = counter.isActive
    // The first movement's direction: from the rest before a restart, else its velocity.
    let direction = restartRest.map { x - $0 } ?? v
    if !wasActive && isValid {
      counter.boundary = .atAngle(restAngle(firstVelocity: direction))
    }
    let activations = counter.activationCount
    let event = counter.update(timeSeconds: t, angleRadians: angle, isValid: isValid)
    if rest == .centre && wasActive && counter.activationCount != activations
      && judge.opensSet(startSeconds: t)
    {
      // A turn abandoned (a reversal, a long gap) begins the next at once, but its boundary
      // was chosen by the movement that first opened the gate, maybe a fidget or a walk long
      // before: outside a set the movement now sets it afresh, or a set after it counts half
      // a twist off. (Within a set its phase stands: a partial twist does not shift it.)
      counter.reset()
    }
    if !wasActive && counter.isActive {
      metrics.startRep()
      gateMinimum = .infinity
      gateMaximum = -.infinity
      // The movement began at rest, before the gate opened: include the rest position.
      if rest == .extreme {
        let restValue = direction > 0 ? gateEnvelope.minimum : gateEnvelope.maximum
        gateMinimum = restValue
        gateMaximum = restValue
        metrics.includeExtent(x: direction > 0 ? position.minimum : position.maximum, y: 0)
      }
      restartRest = nil
    }
    metrics.add(x: x, y: 0, angularSpeedSquared: angularSpeedSquared, dtSeconds: dt)
    gateMinimum = min(gateMinimum, gate)
    gateMaximum = max(gateMaximum, gate)
    let judged: JudgedCycle?
    switch event {
    case .none:
      return nil
    case .completed(let cycle):
      judged = absorbsNextCompletion ? nil : finish(cycle, completed: true)
      absorbsNextCompletion = false
    case .abandoned(let cycle):
      judged = finish(cycle, completed: false)
      absorbsNextCompletion = false
    }
    if let judged, !judged.isPartial { lastCountedEndSeconds = judged.cycle.endSeconds }
    metrics.startRep()
    gateMinimum = gate
    gateMaximum = gate
    return judged
  }

  /// The swing (rest `.centre`) started from rest in its middle at `startSeconds`, first toward
  /// `direction` (the velocity's sign), and has since reached `lowest` and `highest`: a set's
  /// repetitions begin there. If a movement before (a fidget, a small first swing) opened the
  /// count and fixed its boundary half a cycle off, the boundary moves by half a turn and the
  /// turn in progress begins at the start, its extremes included.
  ///
  /// A repetition counted since the start, at the old boundary, ran from before the rest to the
  /// middle of the first twist: it took the first one's place, and the turn now completing (the
  /// first twist's end) is not counted again.
  mutating func beginCyclesAtMiddle(
    startSeconds: Double, direction: Double, lowest: Double, highest: Double
  ) {
    guard rest == .centre, counter.isActive, case .atAngle(let angle) = counter.boundary,
      abs(wrappedRadians(angle - restAngle(firstVelocity: direction))) > Double.pi / 2
    else { return }
    counter.moveBoundaryHalfATurn(turnStartSeconds: startSeconds)
    absorbsNextCompletion = lastCountedEndSeconds > startSeconds
    gateMinimum = min(gateMinimum, lowest)
    gateMaximum = max(gateMaximum, highest)
    metrics.includeExtent(x: lowest, y: 0)
    metrics.includeExtent(x: highest, y: 0)
  }

  /// Whether a repetition starting at `startSeconds` would open a set (no repetition of this
  /// one counted yet).
  func opensSet(startSeconds: Double) -> Bool { judge.opensSet(startSeconds: startSeconds) }

  private mutating func finish(_ cycle: PhaseCounter.Cycle, completed: Bool) -> JudgedCycle? {
    let gateRange = max(0, gateMaximum - gateMinimum)
    let verdict = judge.judge(cycle, completed: completed, gateRange: gateRange)
    if case .ignored = verdict { return nil }
    var reported = rest == .extreme ? metrics.spanX : metrics.spanX / 2
    if !reportsRange { reported = .nan }
    return JudgedCycle(
      cycle: cycle, isPartial: verdict == .partial,
      metrics: metrics.metrics(
        rangeDegrees: reported, durationSeconds: cycle.endSeconds - cycle.startSeconds))
  }

  /// The position now measures something else (the generic counter's axis moved): the turn in
  /// progress is forgotten and the portrait's scale measured afresh. The movement began at rest
  /// at `rest` (in the new position's terms): the scale starts there, and so does the next
  /// turn, so a turn restarted halfway (on the way back) does not take its far end for the
  /// rest.
  mutating func restartPortrait(fromRestAt rest: Double) {
    counter.reset()
    absorbsNextCompletion = false
    resetEnvelopes()
    position.update(rest, dtSeconds: 0)
    gateEnvelope.update(rest, dtSeconds: 0)
    velocity.update(0, dtSeconds: 0)
    restartRest = rest
  }

  /// The portrait's scale is measured afresh from the next frame.
  private mutating func resetEnvelopes() {
    position.reset()
    velocity.reset()
    gateEnvelope.reset()
  }

  /// Unfinished movement at the end of the stream.
  mutating func finishStream() -> JudgedCycle? {
    guard counter.isActive, abs(counter.travelRadians) >= Double.pi else { return nil }
    let cycle = PhaseCounter.Cycle(
      startSeconds: counter.departureSeconds, endSeconds: lastTimeSeconds,
      direction: 1, travelRadians: counter.travelRadians)
    counter.reset()
    return finish(cycle, completed: false)
  }

  /// Portrait angle of the rest position, given the direction of the first movement.
  private func restAngle(firstVelocity v: Double) -> Double {
    switch rest {
    case .extreme:
      // Rising from the minimum (x = −1) or falling from the maximum (x = +1).
      return v > 0 ? Double.pi : 0
    case .centre:
      // Passing the middle in the first movement's direction: (0, −sign v).
      return v > 0 ? -Double.pi / 2 : Double.pi / 2
    }
  }
}
