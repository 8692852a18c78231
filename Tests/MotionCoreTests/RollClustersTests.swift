import Testing

@testable import MotionCore

@Suite struct RollClustersTests {
  /// A device turned in its holder after the calibration: both legs roll "right" by sign, the
  /// right leg more so. The right set comes first, as plans have it.
  @Test func aSecondTightGroupIsTheOtherLeg() {
    var clusters = RollClusters()
    let right = [-0.79, -0.78, -0.80, -0.79, -0.78].map { clusters.side(ofRollFraction: $0) }
    #expect(right.allSatisfy { $0 == .right })
    let left = [-0.20, -0.19, -0.21, -0.20, -0.20].map { clusters.side(ofRollFraction: $0) }
    // The first lift unlike the tight first group is taken as the other leg at once (its sign
    // would say right); from the second on, the group with the higher fraction is the left leg.
    #expect(left == Array(repeating: .left, count: 5))
  }

  /// A device at the side can give one leg a roll near 0, of either sign lift by lift. The first
  /// lift clearly unlike that group is judged as two groups are: the higher is the left leg.
  @Test func theOtherLegOfANearZeroGroupIsJudgedByOrder() {
    var clusters = RollClusters()
    _ = [-0.01, 0.02, 0.01, 0.02].map { clusters.side(ofRollFraction: $0) }
    #expect(clusters.side(ofRollFraction: 0.6) == .left)
    var mirrored = RollClusters()
    _ = [0.01, -0.02, -0.01, -0.02].map { mirrored.side(ofRollFraction: $0) }
    #expect(mirrored.side(ofRollFraction: -0.6) == .right)
  }

  /// Without a second group the sign decides, lift by lift.
  @Test func oneGroupGoesBySign() {
    var clusters = RollClusters()
    let sides = [0.31, 0.30, 0.29, 0.32].map { clusters.side(ofRollFraction: $0) }
    #expect(sides.allSatisfy { $0 == .left })
  }

  /// A hand-held device's roll wanders from lift to lift: a loose first group is not trusted,
  /// and a second group against it is not formed (grouped, the last three would read left).
  @Test func aLooseFirstGroupIsNotTrusted() {
    var clusters = RollClusters()
    let sides = [-0.6, -0.5, -0.7, -0.2, -0.22, -0.21].map { clusters.side(ofRollFraction: $0) }
    #expect(sides.allSatisfy { $0 == .right })
  }
}
