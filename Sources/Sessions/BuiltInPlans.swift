/// The plans that ship inside the binary (so `repcount` works when copied anywhere), as YAML in
/// the same format a user writes.
public enum BuiltInPlans {
  /// The default plan.
  public static let defaultName = "back-basics"

  /// Names and YAML text of every built-in plan.
  public static let sources: [(name: String, yaml: String)] = [
    ("back-basics", backBasics),
    ("gentle", gentle),
  ]

  /// The built-in plan with this name, or `nil`.
  public static func plan(named name: String) -> Plan? {
    guard let source = sources.first(where: { $0.name == name }) else { return nil }
    // The built-ins are covered by tests, so a parse failure here is a programming error.
    return try? PlanParser.parse(yaml: source.yaml, source: "built-in plan \(name)")
  }

  static let backBasics = """
    name: back-basics
    summary: Daily mobility for the lower back, about ten minutes.
    steps:
      - exercise: knee-lift
        side: right
        reps: 10
        tempo-seconds: [1.0, 8.0]
      - exercise: knee-lift
        side: left
        reps: 10
        tempo-seconds: [1.0, 8.0]
      # One twist is a turn to the left and back through to the right.
      - exercise: twist
        reps: 10
        tempo-seconds: [1.5, 10.0]
      - exercise: hip-roll
        direction: clockwise
        reps: 10
        tempo-seconds: [2.0, 12.0]
      - exercise: hip-roll
        direction: counterclockwise
        reps: 10
        tempo-seconds: [2.0, 12.0]

    """

  static let gentle = """
    name: gentle
    summary: Go easy. Fewer, slower repetitions for a back that already hurts.
    steps:
      - exercise: knee-lift
        side: right
        reps: 5
        tempo-seconds: [2.5, 15.0]
      - exercise: knee-lift
        side: left
        reps: 5
        tempo-seconds: [2.5, 15.0]
      - exercise: twist
        reps: 5
        tempo-seconds: [3.0, 20.0]
      - exercise: hip-roll
        direction: clockwise
        reps: 5
        tempo-seconds: [4.0, 25.0]
      - exercise: hip-roll
        direction: counterclockwise
        reps: 5
        tempo-seconds: [4.0, 25.0]

    """
}
