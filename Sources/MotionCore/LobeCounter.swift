/// Counts a back-and-forth movement seen only through an acceleration (a twist without a
/// gyroscope) by its lobes: the stretches between zero crossings of the signal. A repetition is
/// two lobes of opposite sign, one per way.
///
/// Pairing lobes does not need to know which way the signal runs. Whether the lever arm's
/// acceleration (against the displacement) or the sideways lean (with it) dominates depends on
/// the tempo, the mounting and the body, and a counter by phase that guessed wrong, or took its
/// start from a fidget, counted half a twist at each end of a bout. The lobes' durations and
/// sizes tell the ways of the movement from what surrounds them:
/// - the push that starts a bout from rest and the stop that ends it are brief lobes (the ramp of
///   the movement, not a way of it): once the set's ways are measured, a lobe active for under
///   `briefLobeFraction` of a typical way is left out;
/// - a lobe much taller than the set's ways but above half its own peak only briefly is a spike
///   (the push from rest, the stop, a change of amplitude): it may end a way (the stop runs into
///   the last one) but does not open a repetition, where it waited for the next movement;
/// - a bout's first lobe waits for the next: unlike it in duration or size (a fidget's drift, a
///   push), it is dropped and the next opens the repetition;
/// - a bout's first repetition is held until the next way: much taller than both its ways (by
///   `boutStartPeakRatio`), that way is the movement starting and the repetition was the body's
///   wander before it (a hand-held device drifts by a few degrees while the body stands still,
///   lobes as large as a gentle twist's ways, and paired); it is not counted. Released at the
///   next way, the first repetition is reported about one way late;
/// - two ways of one sign in a row (the way between them too small to be one) leave the first
///   unpaired: it is reported as partial, and the pairing keeps in step;
/// - the yardstick (the set's typical way) is forgotten when a bout opens after a pause, and
///   when it rejects two moving lobes in a row (lobes that reach the set's activity, not sway):
///   it was another movement's (knee lifts before the twists of a session, a fidget paired with
///   a way). Walking teaches it nothing.
///
/// No allocation per frame: a few numbers per lobe.
struct LobeCounter: Sendable {
  struct Lobe: Sendable {
    var sign: Double
    var startSeconds: Double
    var endSeconds: Double
    /// Largest |signal| in the lobe.
    var peak: Double
    /// How long the signal was clearly away from zero in the lobe: the way itself, without the
    /// quiet before a push or after a stop, seconds.
    var activeSeconds: Double
    /// Whether the lobe opened its bout (nothing yet to measure it by).
    var opensBout = false
    /// How long the body jolted (walked, stepped) in the lobe, seconds.
    var joltySeconds = 0.0
    /// How long the signal stayed above half the lobe's own peak, seconds (`LobeWidth`).
    var halfPeakSeconds = 0.0
    var seconds: Double { endSeconds - startSeconds }
  }

  private(set) var judge: RepJudge
  /// The smallest lobe peak that is a way of the movement at all (signal units).
  private let minimumPeak: Double
  /// Shorter lobes are not a way of the movement, seconds (the fastest twists take 0.6 s a way).
  static let minimumLobeSeconds = 0.25
  /// A lobe active for less than this fraction of the set's typical way is a ripple, a push or a
  /// stop.
  static let briefLobeFraction = 0.4
  /// Beyond this fraction of the typical way's peak (or the smallest peak) the signal is active.
  static let activePeakFraction = 0.25
  /// A bout's first lobe and the next are one movement when their active durations are within
  /// the one ratio of each other and their peaks within the other; the way after a bout's first
  /// repetition, taller than its ways by more than the peak ratio, shows it was not one.
  static let boutStartDurationRatio = 2.0
  static let boutStartPeakRatio = 3.0
  /// A way this many typical ways (and at least `minimumQuietSeconds`) after the last counted one
  /// opens a new bout.
  static let boutGapWays = 2.5
  /// Quiet this long (or a typical way, if longer) after an unanswered lobe ends the bout on it,
  /// seconds.
  static let minimumQuietSeconds = 1.5
  /// Around zero the signal must pass this fraction of the activity threshold to change sign, so
  /// noise does not split a lobe.
  static let zeroBandFraction = 0.25
  /// This many moving lobes in a row rejected by the set's yardstick make it forget the
  /// yardstick (a way of the set is seldom brief twice in a row; a yardstick from another
  /// movement is).
  static let rejectionsThatResetYardstick = 2
  /// Jolty this long within a way, the body stepped, seconds: one footfall, or one knock (the
  /// jolt meter caps a frame's share at a firm step's), keeps the meter over the gate for about
  /// 0.4 s (its 0.25 s and 1 s filters); two footfalls or more, longer.
  static let steppingJoltSeconds = 0.5
  /// A lobe taller than this many typical ways' peaks, and above half its own peak for under
  /// this fraction of their time, is a spike (`isSpike`): the push that starts a bout from rest,
  /// the stop that ends it, or a change of amplitude into or out of a partial twist (the
  /// simulator ramps them over a fifth of a period or less), often twice a way's peak. Ways of
  /// the simulated sets stay above 0.65 of their set's typical width in 95 % of cases.
  static let spikePeakRatio = 1.6
  static let spikeWidthFraction = 0.35

  private var lobeSign = 0.0
  /// Since the signal's zero was set afresh (`restartLobe`), and until the signal first crosses
  /// it: the sign it left the new zero with (0 while it has not yet left). Nil otherwise.
  private var signSinceRestart: Double?
  private var lobeStartSeconds = 0.0
  private var lobePeak = 0.0
  private var lobeActiveSeconds = 0.0
  private var lobeJoltySeconds = 0.0
  private var lobeWidth: LobeWidth
  private var rejectedInARow = 0
  private var lastCrossingSeconds = 0.0
  private var previousSignal = 0.0
  private var open: Lobe?
  /// The repetition that opened a bout, the larger peak of its ways and its end: held until the
  /// next way shows whether it was the bout's own or the body's wander before it.
  private var held: (judged: JudgedCycle, peak: Double, endSeconds: Double)?
  private var lastWayEndSeconds = -Double.infinity
  /// The counted ways' active durations and peaks: the yardstick for brief lobes and activity.
  private var waySeconds = RecentRanges()
  private var wayPeaks = RecentRanges()
  private var wayHalfPeakSeconds = RecentRanges()
  private var typicalHalfPeakSeconds: Double?
  private var typicalWaySeconds: Double?
  private var typicalWayPeak: Double?
  /// Metrics from the start of the lobe in progress, and from the start of the open lobe.
  private var lobeMetrics = RepMetricsAccumulator()
  private var repMetrics = RepMetricsAccumulator()
  private var hasStarted = false
  /// When the signal was last clearly away from zero, seconds.
  private var lastActiveSeconds = 0.0

  init(settings: DetectorSettings, minimumSpan: Double) {
    judge = RepJudge(settings: settings, minimumRange: minimumSpan)
    minimumPeak = 0.3 * minimumSpan
    lobeWidth = LobeWidth(lowestLevel: 0.5 * minimumPeak)
  }

  /// Feed one frame of the signal. Returns a repetition (counted or partial) when one ends.
  /// `isJolty`: the body is walking or jolting; a repetition ending now, or whose second way
  /// jolted for longer than one footfall's jolt, is not one, and must not become the yardstick
  /// for the set's ways.
  mutating func update(
    timeSeconds t: Double, dtSeconds dt: Double, continuity: FrameContinuity, signal x: Double,
    isJolty: Bool = false
  ) -> JudgedCycle? {
    if !hasStarted {
      hasStarted = true
      lastCrossingSeconds = t
      lastActiveSeconds = t
    }
    if continuity == .broken {
      // A gap never completes a repetition: the bout starts afresh.
      lobeSign = 0
      open = nil
      lastCrossingSeconds = t
      lobeMetrics.resetDerivatives()
      repMetrics.resetDerivatives()
      previousSignal = x
      return nil
    }
    lobeMetrics.add(x: x, y: 0, angularSpeedSquared: 0, dtSeconds: dt)
    repMetrics.add(x: x, y: 0, angularSpeedSquared: 0, dtSeconds: dt)
    if (x > 0) != (previousSignal > 0) { lastCrossingSeconds = t }
    previousSignal = x
    var judged: JudgedCycle?
    let band = Self.zeroBandFraction * activityThreshold
    if lobeSign == 0 {
      if abs(x) > band {
        let sign: Double = x > 0 ? 1 : -1
        if let since = signSinceRestart, since == 0 || since == sign {
          // Not a lobe yet: the stretch from the restart to the first crossing.
          signSinceRestart = sign
        } else {
          signSinceRestart = nil
          startLobe(sign: sign, atSeconds: lastCrossingSeconds)
        }
      }
    } else if x * lobeSign < -band {
      let ended = Lobe(
        sign: lobeSign, startSeconds: lobeStartSeconds, endSeconds: lastCrossingSeconds,
        peak: lobePeak, activeSeconds: lobeActiveSeconds, joltySeconds: lobeJoltySeconds,
        halfPeakSeconds: lobeWidth.secondsAboveHalf(ofPeak: lobePeak))
      judged = finishLobe(ended, isJolty: isJolty)
      startLobe(sign: -lobeSign, atSeconds: lastCrossingSeconds)
    }
    if lobeSign != 0 {
      lobePeak = max(lobePeak, x * lobeSign)
      if isJolty { lobeJoltySeconds += dt }
      lobeWidth.add(x * lobeSign, dtSeconds: dt)
      if x * lobeSign > activityThreshold {
        lobeActiveSeconds += dt
        lastActiveSeconds = t
      }
    }
    if judged == nil, let held, open == nil,
      t - max(held.endSeconds, lastActiveSeconds)
        > max(Self.minimumQuietSeconds, typicalWaySeconds ?? 0)
    {
      // Nothing larger followed the bout's first repetition: it stands.
      self.held = nil
      judged = held.judged
    }
    if judged == nil, let open,
      t - max(open.endSeconds, lastActiveSeconds)
        > max(Self.minimumQuietSeconds, typicalWaySeconds ?? 0)
    {
      // Nothing answered the open lobe, and the signal has gone quiet: the bout ended on it.
      self.open = nil
      judged = judge(open, partner: nil, isJolty: isJolty)
    }
    return judged
  }

  /// The signal's zero moved (its baseline was set afresh): the lobe in progress, measured from
  /// the old zero, is dropped, and the next starts where the signal first crosses the new one.
  ///
  /// Until it first crosses the new zero, the signal is a stretch that began wherever the restart
  /// fell: the rest of the settling and the body's sway in the still, run together with the push
  /// that starts the set when it goes the same way. Taken as a lobe, that stretch was as long as
  /// a way and paired with the set's first way, so the set counted a twist too many (its ways
  /// paired half a twist late). When the drift runs the other way, the push crosses the zero and
  /// is the first lobe, dropped as unlike the first way. A set from rest starts with a push; a
  /// first way with none before it would be lost with the stretch.
  mutating func restartLobe(atSeconds t: Double) {
    lobeSign = 0
    lastCrossingSeconds = t
    previousSignal = 0
    signSinceRestart = 0
  }

  /// Unfinished movement at the end of the stream: a held first repetition is reported (nothing
  /// larger followed it), an open lobe as partial.
  mutating func finishStream() -> JudgedCycle? {
    if let held {
      self.held = nil
      return held.judged
    }
    guard let open else { return nil }
    self.open = nil
    return judge(open, partner: nil, isJolty: false)
  }

  /// Away from zero by this much, the signal is moving (signal units).
  private var activityThreshold: Double {
    max(minimumPeak, Self.activePeakFraction * (typicalWayPeak ?? 0))
  }

  private var boutGapSeconds: Double {
    max(Self.minimumQuietSeconds, Self.boutGapWays * (typicalWaySeconds ?? 0))
  }

  private mutating func startLobe(sign: Double, atSeconds start: Double) {
    lobeSign = sign
    lobeStartSeconds = start
    lobePeak = 0
    lobeActiveSeconds = 0
    lobeJoltySeconds = 0
    lobeWidth.reset()
    lobeMetrics.startRep()
  }

  private mutating func finishLobe(_ lobe: Lobe, isJolty: Bool) -> JudgedCycle? {
    guard isWay(lobe), open != nil || !isSpike(lobe) else {
      // Lobes the yardstick keeps rejecting, one after another, are this set's own ways: the
      // yardstick was another movement's (a fidget paired with a way, a faster set). A lobe
      // that never reached the set's activity is no movement at all but the body's sway (in a
      // pause, say) and testifies to nothing: after two of those the yardstick was forgotten,
      // and the push that resumed the set, brief by it, was taken for a way. A spike is left
      // out only where it would open a repetition.
      if isAboveAbsoluteMinimum(lobe), lobe.peak > activityThreshold {
        rejectedInARow += 1
        if rejectedInARow >= Self.rejectionsThatResetYardstick { forgetYardstick() }
      }
      return nil
    }
    rejectedInARow = 0
    var lobe = lobe
    guard let opener = open else {
      var released: JudgedCycle?
      if let held {
        self.held = nil
        // The bout's next way, much taller than both ways of its first repetition: that
        // repetition was the body's wander before the movement (standing still, settling), not
        // its first twist. Its ways stay the yardstick, as a fidget's would until the rules
        // above forget it: forgetting it here made the steps or push that follow ways of their
        // own, and shifted the pairing of the set.
        if lobe.peak <= Self.boutStartPeakRatio * held.peak { released = held.judged }
      }
      // A way after a pause opens a bout; within one, it opens the next repetition.
      lobe.opensBout = lobe.startSeconds - lastWayEndSeconds > boutGapSeconds
      // What came before the pause (another exercise, walking, a fidget, another set) is no
      // yardstick for what is brief or partial in this bout.
      if lobe.opensBout { forgetYardstick() }
      openRepetition(with: lobe)
      return released
    }
    if opener.sign == lobe.sign {
      // The way back between them was too small to be one: the first is left unpaired.
      lobe.opensBout = opener.opensBout
      openRepetition(with: lobe)
      return judge(opener, partner: nil, isJolty: isJolty)
    }
    if opener.opensBout,
      opener.activeSeconds > Self.boutStartDurationRatio * lobe.activeSeconds
        || lobe.activeSeconds > Self.boutStartDurationRatio * opener.activeSeconds
        || opener.peak > Self.boutStartPeakRatio * lobe.peak
        || lobe.peak > Self.boutStartPeakRatio * opener.peak
    {
      // A bout's first lobe unlike the next (a fidget's drift, the push): not a way.
      lobe.opensBout = true
      openRepetition(with: lobe)
      return nil
    }
    open = nil
    // A way back during which the body kept jolting was steps (the start of a walk, a shift of
    // stance), though the jolts had faded by its end: the repetition is not one. The first way
    // is not held to this: steps just before a set run into the push that opens it.
    let stepped = lobe.joltySeconds > Self.steppingJoltSeconds
    let judged = judge(opener, partner: lobe, isJolty: isJolty || stepped)
    if opener.opensBout, let judged, !judged.isPartial {
      // The bout's first repetition waits for the next way (`held`).
      held = (judged, max(opener.peak, lobe.peak), lobe.endSeconds)
      return nil
    }
    return judged
  }

  private func isAboveAbsoluteMinimum(_ lobe: Lobe) -> Bool {
    lobe.seconds >= Self.minimumLobeSeconds && lobe.peak >= minimumPeak
  }

  private mutating func forgetYardstick() {
    judge.forgetSet()
    waySeconds.removeAll()
    wayPeaks.removeAll()
    wayHalfPeakSeconds.removeAll()
    typicalWaySeconds = nil
    typicalWayPeak = nil
    typicalHalfPeakSeconds = nil
    rejectedInARow = 0
  }

  /// Whether a lobe is a way of the movement: long and large enough, and not brief against the
  /// set's ways once they are measured.
  private func isWay(_ lobe: Lobe) -> Bool {
    guard isAboveAbsoluteMinimum(lobe) else { return false }
    if let typical = typicalWaySeconds, lobe.activeSeconds < Self.briefLobeFraction * typical {
      return false
    }
    return true
  }

  /// Whether a lobe is a spike rather than a way, by the set's ways: much taller than they are,
  /// and above half its own peak for a fraction of their time. A spike may end a way (the stop
  /// that ends a bout runs into its last way), so it is only kept from opening a repetition.
  private func isSpike(_ lobe: Lobe) -> Bool {
    guard let typicalPeak = typicalWayPeak, let typicalWidth = typicalHalfPeakSeconds else {
      return false
    }
    return lobe.peak > Self.spikePeakRatio * typicalPeak
      && lobe.halfPeakSeconds < Self.spikeWidthFraction * typicalWidth
  }

  private mutating func openRepetition(with lobe: Lobe) {
    open = lobe
    repMetrics = lobeMetrics
  }

  private mutating func judge(_ opener: Lobe, partner: Lobe?, isJolty: Bool) -> JudgedCycle? {
    // Walking: not a twist, and no yardstick for the set's ways.
    if isJolty { return nil }
    let end = partner?.endSeconds ?? opener.endSeconds
    let completed = partner != nil
    let range = opener.peak + (partner?.peak ?? 0)
    let cycle = PhaseCounter.Cycle(
      startSeconds: opener.startSeconds, endSeconds: end, direction: Int(opener.sign),
      travelRadians: completed ? 2 * Double.pi : Double.pi)
    let duration = end - opener.startSeconds
    let verdict = judge.judge(
      cycle, completed: completed, gateRange: range, size: range * duration * duration)
    if case .ignored = verdict { return nil }
    if verdict == .counted { lastWayEndSeconds = end }
    if verdict == .counted, let partner {
      waySeconds.add(opener.activeSeconds)
      waySeconds.add(partner.activeSeconds)
      wayPeaks.add(opener.peak)
      wayPeaks.add(partner.peak)
      wayHalfPeakSeconds.add(opener.halfPeakSeconds)
      wayHalfPeakSeconds.add(partner.halfPeakSeconds)
      typicalWaySeconds = waySeconds.median
      typicalWayPeak = wayPeaks.median
      typicalHalfPeakSeconds = wayHalfPeakSeconds.median
    }
    return JudgedCycle(
      cycle: cycle, isPartial: verdict == .partial,
      metrics: repMetrics.metrics(rangeDegrees: .nan, durationSeconds: duration))
  }
}
