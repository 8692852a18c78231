/// Counts cycles of a point moving around the origin of a plane, by its unwrapped phase.
///
/// Each exercise maps its motion to such a point (the hip-roll tilt vector, or a 1-D signal
/// against its rate: a phase portrait). One repetition is one full turn. Compared with peak
/// picking this is tempo-invariant, shows a pause as a stalled phase and a partial repetition as
/// a reversal, and finishes a repetition as soon as the turn closes.
///
/// Rules:
/// - The phase only advances while the caller says the point is valid (amplitude gates); a short
///   invalid stretch is bridged, a long one (`maximumPauseSeconds`) abandons the turn.
/// - `.fromStart`: the turn is counted from where the motion began, in either direction
///   (`countsBackward`). `.atAngle(θ)`: a forward turn completes each time the phase passes θ
///   (the rest position of a 1-D movement); the first one needs `minimumFirstTravelRadians`.
/// - Moving back by more than `reversalToleranceRadians` from the furthest point abandons the
///   turn (reported as abandoned so the caller can call it partial) and starts a new one there.
/// - Entering the dead zone (invalid) in the last `deadZoneCompletionRadians` of a turn completes
///   it: a movement that slows to a stop at its end still counts at once.
public struct PhaseCounter: Hashable, Sendable {
  public enum Boundary: Hashable, Sendable {
    case fromStart
    case atAngle(Double)
  }

  public struct Settings: Hashable, Sendable {
    public var completionToleranceRadians = 0.15 * Double.pi
    public var reversalToleranceRadians = 0.5 * Double.pi
    public var minimumFirstTravelRadians = 1.0 * Double.pi
    public var deadZoneCompletionRadians = 0.5 * Double.pi
    public var maximumBridgeSeconds = 0.3
    public var maximumPauseSeconds = 5.0
    public var countsBackward = false
    /// An abandoned turn shorter than this is not reported.
    public var minimumReportedTravelRadians = 0.5 * Double.pi
    /// A turn that waits near its start (within this phase, moving slower than
    /// `stalledRadiansPerSecond`) has not yet departed: its start time moves along.
    public var departureRadians = 0.1 * Double.pi
    public var stalledRadiansPerSecond = 0.4
    /// Across an invalid stretch the phase may have advanced at most this many times as fast
    /// as the last completed turn went (nil: no limit). A point that passes near the origin
    /// swings its angle by up to half a turn either way in an instant; a movement cannot.
    public var maximumBridgedTempoFactor: Double? = nil

    public init() {}
  }

  /// One finished (or abandoned) turn.
  public struct Cycle: Hashable, Sendable {
    public var startSeconds: Double
    public var endSeconds: Double
    /// +1: the phase increased (counter-clockwise in the plane), −1: decreased.
    public var direction: Int
    public var travelRadians: Double
  }

  public enum Event: Hashable, Sendable {
    case none
    case completed(Cycle)
    case abandoned(Cycle)
  }

  public var settings: Settings
  public var boundary: Boundary
  public private(set) var isActive = false
  /// Phase travelled since the current turn began, radians (signed).
  public private(set) var travelRadians = 0.0
  public private(set) var cycleStartSeconds = 0.0
  /// When the phase last left the neighbourhood of the turn's start: the movement's real start
  /// (a turn that waits at rest, like a knee lift between repetitions, starts when it moves).
  public private(set) var departureSeconds = 0.0
  /// How many turns were begun other than by completing one (a caller can tell that a turn was
  /// abandoned and a new one begun within one update).
  public private(set) var activationCount = 0

  private var lastAngle = 0.0
  private var hasLastAngle = false
  private var lastValidSeconds = 0.0
  private var lastStepSeconds = 0.0
  private var targetRadians = 2 * Double.pi
  private var peakRadians = 0.0
  private var peakSeconds = 0.0
  private var troughRadians = 0.0
  private var troughSeconds = 0.0
  /// Duration of the last completed turn, seconds (0 before the first).
  private var lastTurnSeconds = 0.0
  /// Direction of the last completed turn (+1, −1; 0 before the first).
  private var lastTurnDirection = 0.0

  public init(settings: Settings = Settings(), boundary: Boundary = .fromStart) {
    self.settings = settings
    self.boundary = boundary
  }

  /// Forget the turn in progress (after a long gap); nothing is reported.
  public mutating func reset() {
    isActive = false
    hasLastAngle = false
    travelRadians = 0
  }

  /// The boundary `.atAngle(θ)` turns out to be half a turn off (a movement before the
  /// repetitions fixed it): it moves to θ + π, and the turn in progress, begun at
  /// `turnStartSeconds`, ends where the moved boundary is next passed (the nearer of the two
  /// half turns either way).
  public mutating func moveBoundaryHalfATurn(turnStartSeconds: Double) {
    guard isActive, case .atAngle(let rest) = boundary else { return }
    boundary = .atAngle(wrappedRadians(rest + Double.pi))
    let remaining = targetRadians - travelRadians
    targetRadians += remaining > Double.pi ? -Double.pi : Double.pi
    cycleStartSeconds = turnStartSeconds
    departureSeconds = turnStartSeconds
  }

  /// `keepsDirection`: across the invalid stretch that ends here the point passed so near the
  /// origin that its angle says nothing about which way it went round (it comes out on the
  /// other side either way); the bridged step may then not run against the turn in progress
  /// (or, with none under way, the last completed turn).
  public mutating func update(
    timeSeconds t: Double, angleRadians angle: Double, isValid: Bool, keepsDirection: Bool = false
  ) -> Event {
    guard isValid else { return updateInvalid(timeSeconds: t) }
    guard isActive else {
      activate(timeSeconds: t, angle: angle)
      return .none
    }
    if !hasLastAngle && t - lastValidSeconds > settings.maximumBridgeSeconds {
      let event = abandon(endSeconds: lastValidSeconds)
      activate(timeSeconds: t, angle: angle)
      return event
    }
    // Across a short invalid stretch the shortest way round is assumed, no faster than the
    // recent tempo allows.
    var step = wrappedRadians(angle - lastAngle)
    if !hasLastAngle, let factor = settings.maximumBridgedTempoFactor, lastTurnSeconds > 0 {
      let limit = factor * 2 * Double.pi / lastTurnSeconds * (t - lastValidSeconds)
      step = max(-limit, min(limit, step))
    }
    if !hasLastAngle && keepsDirection && lastTurnSeconds > 0 {
      let direction = travelRadians != 0 ? (travelRadians > 0 ? 1.0 : -1.0) : lastTurnDirection
      if step * direction < 0 { step = 0 }
    }
    lastAngle = angle
    hasLastAngle = true
    lastValidSeconds = t
    travelRadians += step
    let dt = t - lastStepSeconds
    lastStepSeconds = t
    if abs(travelRadians) < settings.departureRadians
      && abs(step) <= settings.stalledRadiansPerSecond * dt
    {
      departureSeconds = t
    }
    if travelRadians > peakRadians {
      peakRadians = travelRadians
      peakSeconds = t
    }
    if travelRadians < troughRadians {
      troughRadians = travelRadians
      troughSeconds = t
    }
    let tolerance = settings.completionToleranceRadians
    if travelRadians >= targetRadians - tolerance {
      return complete(direction: 1, at: t)
    }
    if settings.countsBackward && travelRadians <= -(targetRadians - tolerance) {
      return complete(direction: -1, at: t)
    }
    let reversal = settings.reversalToleranceRadians
    if peakRadians - travelRadians > reversal && peakRadians > reversal * 0.5 {
      let cycle = Cycle(
        startSeconds: departureSeconds, endSeconds: peakSeconds, direction: 1,
        travelRadians: peakRadians)
      restartAfterReversal(fromForwardPeak: true, angle: angle, t: t)
      return report(cycle)
    }
    if settings.countsBackward && travelRadians - troughRadians > reversal
      && troughRadians < -reversal * 0.5
    {
      let cycle = Cycle(
        startSeconds: departureSeconds, endSeconds: troughSeconds, direction: -1,
        travelRadians: troughRadians)
      restartAfterReversal(fromForwardPeak: false, angle: angle, t: t)
      return report(cycle)
    }
    if !settings.countsBackward && travelRadians < -reversal {
      // A forward-only signal running backwards: start again from here.
      activate(timeSeconds: t, angle: angle)
    }
    return .none
  }

  private mutating func updateInvalid(timeSeconds t: Double) -> Event {
    guard isActive else { return .none }
    if hasLastAngle {
      hasLastAngle = false
      let window = settings.deadZoneCompletionRadians
      if travelRadians > 0 && targetRadians - travelRadians <= window {
        return complete(direction: 1, at: t)
      }
      if settings.countsBackward && travelRadians < 0 && targetRadians + travelRadians <= window {
        return complete(direction: -1, at: t)
      }
    }
    if t - lastValidSeconds > settings.maximumPauseSeconds {
      let event = abandon(endSeconds: lastValidSeconds)
      isActive = false
      return event
    }
    return .none
  }

  private mutating func activate(timeSeconds t: Double, angle: Double) {
    activationCount &+= 1
    isActive = true
    hasLastAngle = true
    lastAngle = angle
    lastValidSeconds = t
    cycleStartSeconds = t
    departureSeconds = t
    travelRadians = 0
    peakRadians = 0
    troughRadians = 0
    peakSeconds = t
    troughSeconds = t
    switch boundary {
    case .fromStart:
      targetRadians = 2 * Double.pi
    case .atAngle(let rest):
      var distance = (rest - angle).truncatingRemainder(dividingBy: 2 * Double.pi)
      if distance < 0 { distance += 2 * Double.pi }
      targetRadians =
        distance >= settings.minimumFirstTravelRadians ? distance : distance + 2 * Double.pi
    }
  }

  private mutating func complete(direction: Int, at t: Double) -> Event {
    let cycle = Cycle(
      startSeconds: departureSeconds, endSeconds: t, direction: direction,
      travelRadians: travelRadians)
    travelRadians -= Double(direction) * targetRadians
    lastTurnSeconds = t - cycleStartSeconds
    lastTurnDirection = Double(direction)
    targetRadians = 2 * Double.pi
    cycleStartSeconds = t
    departureSeconds = t
    peakRadians = travelRadians
    troughRadians = travelRadians
    peakSeconds = t
    troughSeconds = t
    return .completed(cycle)
  }

  private mutating func abandon(endSeconds: Double) -> Event {
    let direction = travelRadians >= 0 ? 1 : -1
    let cycle = Cycle(
      startSeconds: departureSeconds, endSeconds: endSeconds, direction: direction,
      travelRadians: travelRadians)
    return report(cycle)
  }

  private func report(_ cycle: Cycle) -> Event {
    abs(cycle.travelRadians) >= settings.minimumReportedTravelRadians ? .abandoned(cycle) : .none
  }

  private mutating func restartAfterReversal(fromForwardPeak: Bool, angle: Double, t: Double) {
    guard settings.countsBackward, case .fromStart = boundary else {
      activate(timeSeconds: t, angle: angle)
      return
    }
    // The new turn began at the turning point, in the other direction.
    let turn = fromForwardPeak ? peakRadians : troughRadians
    cycleStartSeconds = fromForwardPeak ? peakSeconds : troughSeconds
    departureSeconds = cycleStartSeconds
    travelRadians -= turn
    targetRadians = 2 * Double.pi
    peakRadians = max(0, travelRadians)
    troughRadians = min(0, travelRadians)
    peakSeconds = t
    troughSeconds = t
  }
}
