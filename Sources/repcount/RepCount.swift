import ArgumentParser

@main
struct RepCount: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repcount",
    abstract:
      "Count back-exercise repetitions with a gamepad's or any evdev accelerometer's motion sensor.",
    discussion: """
      repcount reads a motion sensor through libevdev (or a recording of one), counts knee \
      lifts, waist twists and hip rolls, and tells you how your form is going.

      Try it without hardware: `repcount demo`. First steps with a controller: `repcount \
      devices`, then `repcount count --device auto --exercise hip-roll`, or `repcount session` \
      for the whole back-basics plan.
      """,
    subcommands: [
      DevicesCommand.self,
      DoctorCommand.self,
      RecordCommand.self,
      InspectCommand.self,
      CountCommand.self,
      CalibrateCommand.self,
      DemoCommand.self,
      SimulateCommand.self,
      EvalCommand.self,
      SessionCommand.self,
      HistoryCommand.self,
      ReportCommand.self,
    ]
  )
}
