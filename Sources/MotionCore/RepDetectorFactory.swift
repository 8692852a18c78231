/// The detector for an exercise, ready to be fed frames. `repcount count`, `eval` and sessions
/// all build their detectors here, so they count the same way.
public func makeRepDetector(
  for exercise: Exercise, settings: DetectorSettings = DetectorSettings(),
  profile: BodyProfile? = nil
) -> any RepDetector {
  switch exercise {
  case .hipRoll: return HipRollDetector(settings: settings, profile: profile)
  case .twist: return TwistDetector(settings: settings, profile: profile)
  case .kneeLift: return KneeLiftDetector(settings: settings, profile: profile)
  case .any: return GenericDetector(settings: settings, profile: profile)
  }
}
