import Foundation
import Testing

/// `repcount report last --html` looked at in a real browser: a report of three sessions made by
/// the built binary is laid out by headless Chromium at a desktop's and a phone's width, measured
/// by the browser itself (`Fixtures/report-layout-probe.js` in a copy of the page) and
/// photographed. Set `REPCOUNT_REPORT_SCREENSHOTS` to a folder to keep the two screenshots there.
@Suite(
  "report in a browser",
  // Skipped, with the reason, where Chromium is missing; never in CI, which installs it.
  .enabled(
    if: HeadlessChromium.binary != nil || ProcessInfo.processInfo.environment["CI"] != nil,
    Comment(rawValue: HeadlessChromium.missingReason ?? "")))
struct ReportBrowserIntegrationTests {
  struct Viewport {
    var name: String
    var width: Int
    var height: Int
  }
  static let viewports = [
    Viewport(name: "desktop", width: 1280, height: 900),
    Viewport(name: "phone", width: 400, height: 800),
  ]
  /// Sessions in the history; the report shows the last, the trend all of them.
  static let sessions = 3

  @Test("the report fits a desktop's and a phone's width, its charts are drawn, nothing is fetched")
  func reportLooksRightInABrowser() throws {
    _ = try #require(
      HeadlessChromium.binary,
      Comment(
        rawValue: (HeadlessChromium.missingReason ?? "")
          + "; in CI the test must run: .ci/run installs chromium-headless-shell"))
    let folder = try Harness.temporaryDirectory()
    var keepFolder = false
    defer { if !keepFolder { try? FileManager.default.removeItem(atPath: folder) } }
    let report = try Self.writeReport(in: folder)
    let probe = folder + "/report-probe.html"
    try Self.probeCopy(of: try String(contentsOfFile: report, encoding: .utf8))
      .write(toFile: probe, atomically: true, encoding: .utf8)

    var problems: [String] = []
    for viewport in Self.viewports {
      let findings = try Self.measure(probe, viewport)
      problems += Self.layoutProblems(findings, viewport).map { "\(viewport.name): \($0)" }
      // A page that tries to fetch something is not opened without its strict copy's guard.
      guard findings.fetched.isEmpty else { continue }
      let png = folder + "/report-\(viewport.name).png"
      let pageHeight = Int(findings.document.height.rounded(.up))
      try HeadlessChromium.screenshot(
        of: report, to: png, width: viewport.width, height: min(pageHeight, 16_000))
      let image = try PNGImage(contentsOfFile: png)
      problems += Self.pixelProblems(image, findings, viewport).map { "\(viewport.name): \($0)" }
      if let keep = ProcessInfo.processInfo.environment["REPCOUNT_REPORT_SCREENSHOTS"] {
        let copy = keep + "/report-\(viewport.name).png"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: png, toPath: copy)
      }
    }
    for problem in problems { Issue.record(Comment(rawValue: problem)) }
    if !problems.isEmpty {
      keepFolder = true
      Issue.record("the report, its probed copy and the screenshots are kept in \(folder)")
    }
  }

  // MARK: - The report

  /// Three sessions through `repcount session`, each with the plan its simulated person followed:
  /// two simulated on a Wii Remote at the waist (quick to simulate), then the bundled demo
  /// recording (a DualShock 4 at the waist), which the report shows. Returns the report's path.
  static func writeReport(in folder: String) throws -> String {
    let repcount = try Harness.repcountBinary()
    let history = folder + "/history.sqlite"
    var recordings: [String] = []
    for seed in 1..<sessions {
      let recording = folder + "/session-\(seed).evemu"
      try check(
        Harness.run(
          repcount,
          [
            "simulate", "--exercise", "session", "--seed", "\(seed)", "--device",
            "nintendo-wii-remote", "--placement", "waist", "--out", recording,
          ]), "simulate")
      recordings.append(recording)
    }
    recordings.append(Harness.repositoryRoot + "/Sources/repcount/Resources/demo-session.csv")
    for recording in recordings {
      let truth = URL(fileURLWithPath: recording).deletingPathExtension().path + ".truth.json"
      let plan = folder + "/plan.yaml"
      try planYAML(truthFile: truth).write(toFile: plan, atomically: true, encoding: .utf8)
      try check(
        Harness.run(
          repcount, ["session", "--plan", plan, "--input", recording, "--history", history]),
        "session --input \(recording)")
    }
    let report = folder + "/report.html"
    try check(
      Harness.run(repcount, ["report", "last", "--html", report, "--history", history]),
      "report last")
    return report
  }

  /// The plan a simulated session's person followed, from its truth file.
  static func planYAML(truthFile: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: truthFile))
    guard let truth = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let sets = truth["sets"] as? [[String: Any]], !sets.isEmpty
    else { throw HarnessError(description: "\(truthFile): no sets") }
    var yaml = "name: simulated\nsteps:\n"
    for set in sets {
      yaml += "  - exercise: \(set["exercise"] as? String ?? "any")\n"
      yaml += "    reps: \(set["countedReps"] as? Int ?? 1)\n"
      if let side = set["side"] as? String { yaml += "    side: \(side)\n" }
      if let direction = set["direction"] as? String { yaml += "    direction: \(direction)\n" }
    }
    return yaml
  }

  static func check(_ result: ProcessResult, _ what: String) throws {
    guard result.status == 0 else {
      throw HarnessError(
        description: "repcount \(what) failed (status \(result.status)): \(result.standardError)")
    }
  }

  // MARK: - Measuring in the browser

  /// A copy of the page with a strict content security policy (inline style and script only:
  /// any fetch is blocked and shows up in the resource timings) and the layout probe.
  static func probeCopy(of html: String) throws -> String {
    guard let head = html.range(of: "<head>") else {
      throw HarnessError(description: "the report has no <head>")
    }
    let script = try String(
      contentsOfFile: Harness.fixturesDirectory + "/report-layout-probe.js", encoding: .utf8)
    let guardAndProbe = """

      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
      <script>
      \(script)
      </script>
      """
    return html.replacingCharacters(in: head, with: "<head>" + guardAndProbe)
  }

  /// What the probe found, read back from the DOM Chromium dumps.
  struct LayoutFindings: Decodable {
    struct Window: Decodable {
      var width: Double
      var height: Double
      var scale: Double
    }
    struct Size: Decodable {
      var width: Double
      var height: Double
    }
    struct Chart: Decodable {
      var name: String
      /// `signal`, `bars` (a step's range and tempo), `trend` or `other`.
      var kind: String
      var left: Double
      var top: Double
      var width: Double
      var height: Double
      var labels: Int
      var smallestLabelPixels: Double
      var marks: Int
      /// Points on each line of a trend chart.
      var lines: [Int]
      var labelOverlaps: [String]
      var labelsOutside: [String]
      var marksOutside: [String]
    }
    var viewport: Window
    var document: Size
    var fetched: [String]
    var overflowing: [String]
    var charts: [Chart]
  }

  static func measure(_ page: String, _ viewport: Viewport) throws -> LayoutFindings {
    let dom = try HeadlessChromium.dumpDOM(
      of: page, width: viewport.width, height: viewport.height)
    // The probe's own source names the element too: its output is the last one.
    guard let element = dom.range(of: "<pre id=\"layout-probe\"", options: .backwards),
      let open = dom[element.upperBound...].firstIndex(of: ">"),
      let close = dom[open...].firstIndex(of: "<"),
      let json = Data(base64Encoded: String(dom[dom.index(after: open)..<close]))
    else {
      throw HarnessError(
        description: "\(viewport.name): the layout probe wrote no result into the page (did "
          + "its script fail?); the dumped DOM ends with: \(dom.suffix(500))")
    }
    return try JSONDecoder().decode(LayoutFindings.self, from: json)
  }

  /// Smallest label that can still be read, in CSS pixels.
  static let smallestReadableLabel = 8.0

  static func layoutProblems(_ findings: LayoutFindings, _ viewport: Viewport) -> [String] {
    var problems: [String] = []
    let width = Double(viewport.width)
    if findings.viewport.width != width || findings.viewport.scale != 1 {
      problems.append(
        "Chromium laid the page out \(px(findings.viewport.width)) px wide at scale "
          + "\(findings.viewport.scale), not \(viewport.width) px at scale 1")
    }
    if !findings.fetched.isEmpty {
      problems.append(
        "the report tries to fetch \(findings.fetched.joined(separator: ", ")); it must be "
          + "self-contained (inline style and SVG, no network)")
    }
    if !findings.overflowing.isEmpty || findings.document.width > width {
      let sticking = findings.overflowing.isEmpty ? "" : "; sticking out: "
      problems.append(
        "the page is \(px(findings.document.width)) px wide in a \(viewport.width) px window"
          + sticking + listed(findings.overflowing))
    }
    for kind in ["signal", "bars", "trend"]
    where !findings.charts.contains(where: { $0.kind == kind }) {
      problems.append("no \(kind) chart in the report")
    }
    for chart in findings.charts {
      let name = "chart \(chart.name)"
      if chart.width < 1 || chart.height < 1 {
        problems.append("\(name) has no size: \(px(chart.width)) × \(px(chart.height)) px")
      }
      if chart.left < 0 || chart.left + chart.width > width + 0.5 {
        problems.append(
          "\(name) spans x \(px(chart.left))…\(px(chart.left + chart.width)), outside the "
            + "\(viewport.width) px page")
      }
      if !chart.labelOverlaps.isEmpty {
        problems.append("\(name): labels overlap: \(listed(chart.labelOverlaps))")
      }
      if !chart.labelsOutside.isEmpty {
        problems.append("\(name): labels cut off at its edge: \(listed(chart.labelsOutside))")
      }
      if !chart.marksOutside.isEmpty {
        problems.append("\(name): marks outside its plot area: \(listed(chart.marksOutside))")
      }
      if chart.labels > 0 && chart.smallestLabelPixels < smallestReadableLabel {
        problems.append(
          "\(name): labels are drawn \(String(format: "%.1f", chart.smallestLabelPixels)) px "
            + "high, too small to read (at least \(smallestReadableLabel) px)")
      }
      if chart.kind != "other" && chart.marks == 0 {
        problems.append("\(name) marks no repetition")
      }
      if chart.kind == "trend" && chart.lines.max() != sessions {
        problems.append(
          "\(name): its longest line has \(chart.lines.max() ?? 0) points for a history of "
            + "\(sessions) sessions")
      }
    }
    return problems
  }

  static func px(_ value: Double) -> String { String(format: "%.0f", value) }

  static func listed(_ items: [String]) -> String {
    let shown = items.prefix(5).joined(separator: "; ")
    return items.count > 5 ? "\(shown); and \(items.count - 5) more" : shown
  }

  // MARK: - Looking at the screenshot

  /// Share of a chart's pixels that must be in colour (the data), not white or grey (background,
  /// frame, labels).
  static let smallestColouredShare = 0.01

  static func pixelProblems(_ image: PNGImage, _ findings: LayoutFindings, _ viewport: Viewport)
    -> [String]
  {
    var problems: [String] = []
    if image.width != viewport.width {
      problems.append("the screenshot is \(image.width) px wide, not \(viewport.width)")
    }
    // The page as a whole: not blank.
    var ink = 0
    for y in 0..<image.height {
      for x in 0..<image.width where darkness(image.pixel(x, y)) > 50 { ink += 1 }
    }
    if Double(ink) < 0.005 * Double(image.width * image.height) {
      problems.append(
        "the screenshot is blank: \(ink) of \(image.width * image.height) pixels drawn")
    }
    // Each chart: its data drawn in colour.
    for chart in findings.charts where chart.kind != "other" {
      let left = max(0, Int(chart.left.rounded(.up)))
      let top = max(0, Int(chart.top.rounded(.up)))
      let right = min(image.width, Int((chart.left + chart.width).rounded(.down)))
      let bottom = min(image.height, Int((chart.top + chart.height).rounded(.down)))
      guard right > left, bottom > top else {
        problems.append("chart \(chart.name) is not within the screenshot")
        continue
      }
      var coloured = 0
      for y in top..<bottom {
        for x in left..<right where saturation(image.pixel(x, y)) >= 40 { coloured += 1 }
      }
      let share = Double(coloured) / Double((right - left) * (bottom - top))
      if share < smallestColouredShare {
        problems.append(
          "chart \(chart.name): only \(String(format: "%.2f", share * 100)) % of its pixels are "
            + "in colour; its data is not drawn")
      }
    }
    return problems
  }

  /// How far a pixel is from white, 0…255.
  static func darkness(_ pixel: (red: UInt8, green: UInt8, blue: UInt8)) -> Int {
    255 - Int(min(pixel.red, pixel.green, pixel.blue))
  }

  /// How far a pixel is from grey, 0…255.
  static func saturation(_ pixel: (red: UInt8, green: UInt8, blue: UInt8)) -> Int {
    Int(max(pixel.red, pixel.green, pixel.blue)) - Int(min(pixel.red, pixel.green, pixel.blue))
  }
}
