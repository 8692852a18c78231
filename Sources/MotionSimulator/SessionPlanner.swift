import Foundation
import MotionCore

/// The programmes a recording follows: one exercise (both directions or sides), or a whole
/// session with walking and posture changes between exercises.
enum SessionPlanner {
  static let defaultHipRollReps = 10
  static let defaultTwistReps = 10
  static let defaultKneeLiftReps = 8

  static func plan(
    exercise: SimulatedExercise, reps: Int?, profile: DifficultyProfile,
    tempo: SimulationTempo = .usual, random: SimulationRandom
  ) -> PlanBuilder {
    var random = random
    let heading = random.uniform(-Double.pi...Double.pi)
    let standing = BasePose(
      kind: .standing, headingRadians: heading, floorPosition: .zero, lyingFlexionRadians: 0)
    var lying = standing
    lying.kind = .lying
    lying.lyingFlexionRadians = random.uniform(0...45) * Double.pi / 180
    // Tempo of this person, per exercise.
    let hipRollPeriod = random.uniform(1.7...4.2) * tempo.periodFactor(.hipRoll)
    let twistPeriod = random.uniform(1.7...3.7) * tempo.periodFactor(.twist)
    let kneeLiftTempo = random.uniform(0.75...1.4) * tempo.periodFactor(.kneeLift)
    let builderRandom = random.fork()

    switch exercise {
    case .hipRoll:
      var builder = PlanBuilder(
        random: builderRandom, difficulty: profile, tempo: tempo, start: standing)
      builder.rest(random.uniform(1.5...4))
      hipRolls(&builder, reps: reps ?? defaultHipRollReps, period: hipRollPeriod, random: &random)
      builder.finish()
      return builder
    case .twist:
      var builder = PlanBuilder(
        random: builderRandom, difficulty: profile, tempo: tempo, start: standing)
      builder.rest(random.uniform(1.5...4))
      builder.twistSet(counted: reps ?? defaultTwistReps, basePeriod: twistPeriod)
      builder.finish()
      return builder
    case .kneeLift:
      var builder = PlanBuilder(
        random: builderRandom, difficulty: profile, tempo: tempo, start: lying)
      builder.rest(random.uniform(2...4))
      kneeLifts(&builder, reps: reps ?? defaultKneeLiftReps, tempo: kneeLiftTempo, random: &random)
      builder.finish()
      return builder
    case .session:
      var builder = PlanBuilder(
        random: builderRandom, difficulty: profile, tempo: tempo, start: standing)
      builder.rest(random.uniform(2...4))
      builder.walk(steps: random.integer(3...6))
      builder.rest(random.uniform(1.5...3))
      hipRolls(&builder, reps: reps ?? defaultHipRollReps, period: hipRollPeriod, random: &random)
      builder.rest(random.uniform(2...5))
      if random.chance(0.5) {
        builder.walk(steps: random.integer(2...4))
        builder.rest(random.uniform(1.5...3))
      }
      builder.twistSet(counted: reps ?? defaultTwistReps, basePeriod: twistPeriod)
      builder.rest(random.uniform(1.5...3))
      builder.walk(steps: random.integer(2...5))
      builder.still(random.uniform(0.8...2))
      builder.lieDown()
      builder.rest(random.uniform(2...4))
      kneeLifts(&builder, reps: reps ?? defaultKneeLiftReps, tempo: kneeLiftTempo, random: &random)
      builder.rest(random.uniform(1.5...3))
      builder.standUp()
      builder.still(random.uniform(1...2))
      builder.walk(steps: random.integer(3...6))
      builder.finish()
      return builder
    }
  }

  private static func hipRolls(
    _ builder: inout PlanBuilder, reps: Int, period: Double, random: inout SimulationRandom
  ) {
    builder.hipRollSet(direction: .clockwise, counted: reps, basePeriod: period)
    // A short stop before reversing.
    builder.still(random.uniform(0.4...2.5))
    builder.hipRollSet(
      direction: .counterclockwise, counted: reps, basePeriod: period * random.uniform(0.9...1.1))
  }

  private static func kneeLifts(
    _ builder: inout PlanBuilder, reps: Int, tempo: Double, random: inout SimulationRandom
  ) {
    builder.kneeLiftSet(side: .right, counted: reps, tempoScale: tempo)
    builder.rest(random.uniform(1.5...4))
    builder.kneeLiftSet(side: .left, counted: reps, tempoScale: tempo * random.uniform(0.9...1.1))
  }
}
