import ArgumentParser

// Placeholder until its issue lands; replaced by the owner of this command.
struct DoctorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor", abstract: "(not built yet)")

  func run() throws {
    throw ValidationError("'repcount doctor' is not built yet")
  }
}
