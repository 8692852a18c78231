import Foundation
import MotionCore

/// Everything a report shows about one session.
public struct ReportData: Sendable {
  public var session: SessionRecord
  public var results: [StepResult]
  /// Recording segment (1 for the first run, more after resuming) of each repetition, by sequence.
  public var repSegments: [Int: Int]
  public var signal: [(segment: Int, sample: SignalSample)]
  /// Sessions up to and including this one, oldest first, for the trend chart.
  public var history: [SessionOverview]

  public init(
    session: SessionRecord, results: [StepResult], repSegments: [Int: Int],
    signal: [(segment: Int, sample: SignalSample)], history: [SessionOverview]
  ) {
    self.session = session
    self.results = results
    self.repSegments = repSegments
    self.signal = signal
    self.history = history
  }

  /// Reads one session and the history before it from the store.
  public init(store: HistoryStore, sessionID: Int64) throws(HistoryError) {
    guard let session = try store.session(id: sessionID) else {
      throw HistoryError(path: store.path, message: "no session \(sessionID) in the history")
    }
    let overview = try HistoryOverview(store: store)
    self.init(
      session: session, results: try store.stepResults(session: sessionID).map(\.result),
      repSegments: try store.repSegments(session: sessionID),
      signal: try store.signal(session: sessionID).map { (segment: $0.segment, sample: $0.1) },
      history: overview.sessions.filter { $0.session.startedAt <= session.startedAt })
  }
}

/// Renders one self-contained HTML page (inline CSS and SVG, nothing fetched) for a session.
public enum ReportRenderer {
  static let width = 900.0
  /// Room left of every plot for its axis labels, in viewBox units: enough for "tempo" at the
  /// largest label size the page's CSS sets (22 units on a phone, see `page`).
  static let gutter = 80.0
  /// Room under a plot for one line of labels at that size.
  static let labelLine = 32.0
  static let exerciseColours: [Exercise: String] = [
    .kneeLift: "#3a6ea5", .twist: "#8a5a9e", .hipRoll: "#2a9d8f", .any: "#666666",
  ]

  public static func html(_ data: ReportData) -> String {
    let summary = SessionSummary(planName: data.session.planName, results: data.results)
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    let title =
      "repcount — \(data.session.planName), \(formatter.string(from: data.session.startedAt))"
    var body = ""
    body += "<h1>\(escape(title))</h1>\n"
    body += "<p class=\"lead\">\(summary.countedReps) of \(summary.targetReps) repetitions, "
    body += "\(summary.completeSteps) of \(summary.results.count) steps complete"
    if let duration = summary.durationSeconds {
      body += String(
        format: ", %.0f min %.0f s", (duration / 60).rounded(.down),
        duration.truncatingRemainder(dividingBy: 60))
    }
    body += " · session \(data.session.id) · \(escape(data.session.status.rawValue))</p>\n"
    body += stepsTable(data.results)
    if !summary.symmetry.isEmpty {
      body += "<h2>Balance</h2>\n<ul class=\"symmetry\">\n"
      for finding in summary.symmetry {
        let cls = finding.isFlagged ? "flag" : "ok"
        body += "<li class=\"\(cls)\">\(escape(FeedbackSentences.sentence(for: finding)))</li>\n"
      }
      body += "</ul>\n"
    }
    body += "<h2>Movement</h2>\n"
    body +=
      "<p class=\"note\">Tilt along two horizontal axes, with posture changes (standing, lying down) taken out; each repetition is a band: green counted, amber counted with a remark, red not counted.</p>\n"
    body += signalChart(data)
    body += "<h2>Repetitions</h2>\n"
    body +=
      "<p class=\"note\">Per step: range of motion (top) and duration (bottom) of each counted repetition; the dashed line is the set's median, amber bars carry a remark (hover for it).</p>\n"
    let moving = movementOnly(data.signal)
    for result in data.results where result.ending != .notStarted {
      body += stepChart(withShapeFlags(result, signal: moving, segments: data.repSegments))
    }
    body += "<h2>Trend</h2>\n"
    body += trendChart(data.history, current: data.session.id)
    return page(title: title, body: body)
  }

  // MARK: - Sections

  /// One row per step, and under a step with remarks a row of them, the width of the table: a
  /// seventh column for them would not fit a phone's screen.
  static func stepsTable(_ results: [StepResult]) -> String {
    var html =
      "<table class=\"steps\">\n<tr><th>#</th><th>step</th><th>count</th><th>partial</th><th>median range</th><th>median time</th></tr>\n"
    for result in results {
      let remarks = result.flags.filter { $0 != .complete }.map {
        escape(FeedbackSentences.sentence(for: $0, result: result))
      }
      let cls = result.count >= result.step.targetReps ? "ok" : "short"
      html +=
        "<tr class=\"\(cls)\"><td>\(result.index + 1)</td><td>\(escape(result.step.title))</td>"
      html += "<td>\(result.count)/\(result.step.targetReps)</td><td>\(result.partialCount)</td>"
      html +=
        "<td>\(result.feedback.medianRangeDegrees.map { String(format: "%.1f°", $0) } ?? "–")</td>"
      html +=
        "<td>\(result.feedback.medianDurationSeconds.map { String(format: "%.1f s", $0) } ?? "–")</td>"
      html += "</tr>\n"
      if !remarks.isEmpty {
        html +=
          "<tr class=\"remarks\"><td></td><td colspan=\"5\">\(remarks.joined(separator: "<br>"))</td></tr>\n"
      }
    }
    return html + "</table>\n"
  }

  static func signalChart(_ data: ReportData) -> String {
    let height = 220.0
    let left = gutter
    let plotWidth = width - left - 10
    // Lay segments end to end with a small gap so a resumed session reads left to right.
    var offsets: [Int: Double] = [:]
    var cursor = 0.0
    let segments = Set(data.signal.map(\.segment)).union(data.repSegments.values).sorted()
    for segment in segments {
      let times =
        data.signal.filter { $0.segment == segment }.map(\.sample.timeSeconds)
        + data.results.flatMap(\.reps).filter { data.repSegments[$0.sequence] == segment }
        .flatMap { [$0.event.startSeconds, $0.event.endSeconds] }
      guard let first = times.min(), let last = times.max() else { continue }
      offsets[segment] = cursor - first
      cursor += last - first + 5
    }
    let totalSeconds = max(cursor - 5, 1)
    let samples = movementOnly(data.signal)
    let tilts = samples.flatMap { [$0.sample.tiltXDegrees, $0.sample.tiltYDegrees] }.map(abs)
      .sorted()
    // The 98th percentile keeps one jolt (getting down to the floor) from flattening the rest.
    let typical = tilts.isEmpty ? 5 : tilts[min(tilts.count - 1, tilts.count * 98 / 100)]
    let limit = max(5, typical * 1.2)
    func x(_ time: Double, _ segment: Int) -> Double {
      left + ((time + (offsets[segment] ?? 0)) / totalSeconds) * plotWidth
    }
    func y(_ degrees: Double) -> Double {
      height / 2 - min(max(degrees / limit, -1), 1) * (height / 2 - 10)
    }
    var svg =
      "<svg id=\"signal\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height + labelLine))\" role=\"img\" aria-label=\"movement signal with repetitions marked\">\n"
    svg +=
      "<rect x=\"\(left)\" y=\"0\" width=\"\(fmt(plotWidth))\" height=\"\(Int(height))\" class=\"plot\"/>\n"
    // Another exercise's detector answering, never credited: not worth a band.
    for rep in data.results.flatMap(\.reps) where rep.counted || !rep.flags.isEmpty {
      let segment = data.repSegments[rep.sequence] ?? 1
      let start = x(rep.event.startSeconds, segment)
      let end = max(x(rep.event.endSeconds, segment), start + 1)
      let remarks = rep.flags.filter { $0 != .creditedToNextStep }
      let cls =
        !rep.counted ? "rep-band miss" : (remarks.isEmpty ? "rep-band good" : "rep-band remark")
      svg +=
        "<rect class=\"\(cls)\" x=\"\(fmt(start))\" y=\"0\" width=\"\(fmt(end - start))\" height=\"\(Int(height))\">"
      svg +=
        "<title>step \(rep.stepIndex + 1), \(rep.counted ? "rep \(rep.stepCount)" : "not counted")\(remarks.isEmpty ? "" : ": " + escape(remarks.map(\.rawValue).joined(separator: ", ")))</title></rect>\n"
    }
    svg +=
      "<line x1=\"\(left)\" x2=\"\(fmt(left + plotWidth))\" y1=\"\(fmt(y(0)))\" y2=\"\(fmt(y(0)))\" class=\"axis\"/>\n"
    for (name, value) in [("x", \SignalSample.tiltXDegrees), ("y", \SignalSample.tiltYDegrees)] {
      // At most ~2 points per pixel keeps the file small for long sessions.
      let stride = max(1, samples.count / Int(plotWidth * 2))
      var points: [String] = []
      var index = 0
      while index < samples.count {
        let item = samples[index]
        points.append(
          "\(fmt(x(item.sample.timeSeconds, item.segment))),\(fmt(y(item.sample[keyPath: value])))")
        index += stride
      }
      if !points.isEmpty {
        svg +=
          "<polyline class=\"trace trace-\(name)\" points=\"\(points.joined(separator: " "))\"/>\n"
      }
    }
    svg += label("\(fmt0(limit))°", x: left - 6, top: 4, anchor: "end")
    svg += bottomLabel("−\(fmt0(limit))°", x: left - 6, bottom: height - 4, anchor: "end")
    svg += label("0 s", x: left, top: height + 4)
    svg += label("\(fmt0(totalSeconds)) s", x: left + plotWidth, top: height + 4, anchor: "end")
    if samples.isEmpty {
      svg +=
        "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(height / 2 - 8))\" class=\"label\" text-anchor=\"middle\">no signal trace stored</text>\n"
    }
    return svg + "</svg>\n"
  }

  /// The trace with posture removed: each tilt unwrapped (no ±180° jumps) and a centred
  /// moving average over `windowSeconds` subtracted, per recording segment, so the chart shows
  /// the repetitions rather than standing up or lying down.
  static func movementOnly(
    _ trace: [(segment: Int, sample: SignalSample)], windowSeconds: Double = 4
  ) -> [(segment: Int, sample: SignalSample)] {
    var output: [(segment: Int, sample: SignalSample)] = []
    output.reserveCapacity(trace.count)
    var start = 0
    while start < trace.count {
      var end = start
      while end < trace.count && trace[end].segment == trace[start].segment { end += 1 }
      let part = trace[start..<end].map(\.sample)
      let xs = highPass(unwrapDegrees(part.map(\.tiltXDegrees)), part, windowSeconds)
      let ys = highPass(unwrapDegrees(part.map(\.tiltYDegrees)), part, windowSeconds)
      for index in part.indices {
        var sample = part[index]
        sample.tiltXDegrees = xs[index]
        sample.tiltYDegrees = ys[index]
        output.append((trace[start].segment, sample))
      }
      start = end
    }
    return output
  }

  static func unwrapDegrees(_ values: [Double]) -> [Double] {
    var output = values
    var offset = 0.0
    for index in values.indices.dropFirst() {
      let step = values[index] - values[index - 1]
      if step > 180 { offset -= 360 } else if step < -180 { offset += 360 }
      output[index] = values[index] + offset
    }
    return output
  }

  private static func highPass(_ values: [Double], _ samples: [SignalSample], _ window: Double)
    -> [Double]
  {
    var prefix = [0.0]
    prefix.reserveCapacity(values.count + 1)
    for value in values { prefix.append(prefix[prefix.count - 1] + value) }
    var output = values
    var low = 0
    var high = 0
    for index in values.indices {
      let time = samples[index].timeSeconds
      while low < index && samples[low].timeSeconds < time - window / 2 { low += 1 }
      if high < index { high = index }
      while high + 1 < values.count && samples[high + 1].timeSeconds <= time + window / 2 {
        high += 1
      }
      let mean = (prefix[high + 1] - prefix[low]) / Double(high - low + 1)
      output[index] = values[index] - mean
    }
    return output
  }

  /// Adds `.differentShape` to the counted repetitions whose tilt path stands out from the
  /// set's typical one.
  static func withShapeFlags(
    _ result: StepResult, signal: [(segment: Int, sample: SignalSample)], segments: [Int: Int]
  ) -> StepResult {
    var shapes: [[(Double, Double)]] = []
    var owners: [Int] = []
    for (index, rep) in result.reps.enumerated() where rep.counted && !rep.isManual {
      let segment = segments[rep.sequence] ?? 1
      let samples = signal.filter { $0.segment == segment }.map(\.sample)
      if let shape = RepShape.shape(
        from: samples, start: rep.event.startSeconds, end: rep.event.endSeconds)
      {
        shapes.append(shape)
        owners.append(index)
      }
    }
    var output = result
    for (owner, comparison) in zip(owners, RepShape.compareWithSet(shapes)) where comparison.isOdd {
      output.reps[owner].flags.append(.differentShape)
    }
    return output
  }

  static func stepChart(_ result: StepResult) -> String {
    let reps = result.reps.filter { $0.counted && !$0.isManual }
    var html =
      "<div class=\"step\"><h3>\(result.index + 1). \(escape(result.step.title)) — \(result.count)/\(result.step.targetReps)</h3>\n"
    guard !reps.isEmpty else {
      return html + "<p class=\"note\">No detected repetitions.</p></div>\n"
    }
    let rowHeight = 90.0
    let left = gutter
    let plotWidth = width - left - 10
    let slot = plotWidth / Double(max(reps.count, 10))
    let maxRange = max(1, reps.map(\.event.metrics.rangeDegrees).filter(\.isFinite).max() ?? 1)
    // Twists without a gyroscope have no angle: say so instead of an empty row scaled to 1°.
    let rangeMeasured = reps.contains { $0.event.metrics.rangeDegrees.isFinite }
    let maxDuration = max(0.5, reps.map(\.event.durationSeconds).max() ?? 1)
    var svg =
      "<svg id=\"step-\(result.index)\" class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(2 * rowHeight + 30))\" role=\"img\" aria-label=\"range and duration per repetition\">\n"
    let rows: [(String, Double, (RepEvent) -> Double, Double?, String)] = [
      ("range", 0, { $0.metrics.rangeDegrees }, result.feedback.medianRangeDegrees, "°"),
      (
        "tempo", rowHeight + 14, { $0.durationSeconds }, result.feedback.medianDurationSeconds, " s"
      ),
    ]
    for (name, top, value, median, unit) in rows {
      let scale = name == "range" ? maxRange : maxDuration
      svg +=
        "<rect x=\"\(left)\" y=\"\(fmt(top))\" width=\"\(fmt(plotWidth))\" height=\"\(fmt(rowHeight))\" class=\"plot\"/>\n"
      svg += label(name, x: left - 6, top: top + 4, anchor: "end")
      if name == "range" && !rangeMeasured {
        svg += label(
          "not measured: without a gyroscope a twist has no angle", x: left + plotWidth / 2,
          top: top + rowHeight / 2 - 12, anchor: "middle")
        continue
      }
      svg += label("\(fmt0(scale))\(unit)", x: left - 6, top: top + 4, line: 1, anchor: "end")
      for (index, rep) in reps.enumerated() {
        let raw = value(rep.event)
        let amount = raw.isFinite ? max(0, raw) : 0
        let barHeight = amount / scale * (rowHeight - 4)
        let remarks = rep.flags.filter { $0 != .creditedToNextStep }
        let sentences = remarks.map {
          FeedbackSentences.sentence(for: $0, event: rep.event, step: result.step)
        }
        let cls = remarks.isEmpty ? "bar \(name)-bar" : "bar \(name)-bar flagged"
        svg +=
          "<rect class=\"\(cls)\" x=\"\(fmt(left + Double(index) * slot + slot * 0.15))\" y=\"\(fmt(top + rowHeight - barHeight))\" width=\"\(fmt(slot * 0.7))\" height=\"\(fmt(barHeight))\">"
        svg +=
          "<title>rep \(rep.stepCount): \(String(format: "%.1f", amount))\(unit)\(sentences.isEmpty ? "" : " — " + escape(sentences.joined(separator: " ")))</title></rect>\n"
      }
      if let median {
        let medianY = top + rowHeight - median / scale * (rowHeight - 4)
        svg +=
          "<line class=\"median\" x1=\"\(left)\" x2=\"\(fmt(left + plotWidth))\" y1=\"\(fmt(medianY))\" y2=\"\(fmt(medianY))\"/>\n"
      }
    }
    svg += "</svg>\n"
    html += svg
    let flagged = reps.filter { !$0.flags.filter { $0 != .creditedToNextStep }.isEmpty }
    if !flagged.isEmpty {
      html += "<ul class=\"remarks\">\n"
      for rep in flagged {
        let sentences = rep.flags.filter { $0 != .creditedToNextStep }.map {
          FeedbackSentences.sentence(for: $0, event: rep.event, step: result.step)
        }
        html += "<li>Rep \(rep.stepCount): \(escape(sentences.joined(separator: " ")))</li>\n"
      }
      html += "</ul>\n"
    }
    return html + "</div>\n"
  }

  static func trendChart(_ history: [SessionOverview], current: Int64) -> String {
    guard history.count >= 2 else {
      return "<p class=\"note\">The trend appears from the second session on.</p>\n"
    }
    let height = 200.0
    let left = gutter
    let plotWidth = width - left - 140
    let recent = Array(history.suffix(60))
    let ranges = recent.flatMap { $0.exercises.compactMap(\.medianRangeDegrees) }
    let top = max(5, (ranges.max() ?? 5) * 1.1)
    func x(_ index: Int) -> Double {
      left
        + (recent.count == 1 ? plotWidth / 2 : Double(index) / Double(recent.count - 1) * plotWidth)
    }
    func y(_ degrees: Double) -> Double { height - 10 - degrees / top * (height - 20) }
    var svg =
      "<svg id=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height + labelLine))\" role=\"img\" aria-label=\"median range per exercise over past sessions\">\n"
    svg +=
      "<rect x=\"\(left)\" y=\"0\" width=\"\(fmt(plotWidth))\" height=\"\(Int(height))\" class=\"plot\"/>\n"
    if let index = recent.firstIndex(where: { $0.session.id == current }) {
      svg +=
        "<line class=\"current\" x1=\"\(fmt(x(index)))\" x2=\"\(fmt(x(index)))\" y1=\"0\" y2=\"\(Int(height))\"/>\n"
    }
    var legendLine = 0
    for exercise in Exercise.allCases {
      let points = recent.enumerated().compactMap { index, item -> (Double, Double, String)? in
        guard let range = item.figures(for: exercise)?.medianRangeDegrees else { return nil }
        return (
          x(index), y(range),
          "session \(item.session.id): \(String(format: "%.1f°", range)), \(item.figures(for: exercise)?.countedReps ?? 0) reps"
        )
      }
      guard !points.isEmpty else { continue }
      let colour = exerciseColours[exercise] ?? "#666"
      svg +=
        "<polyline class=\"trend-line\" stroke=\"\(colour)\" points=\"\(points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " "))\"/>\n"
      for point in points {
        svg +=
          "<circle class=\"trend-point\" cx=\"\(fmt(point.0))\" cy=\"\(fmt(point.1))\" r=\"3.5\" fill=\"\(colour)\"><title>\(escape(point.2))</title></circle>\n"
      }
      // The swatch is a character of the label, so the two stay together at any label size.
      svg += label(
        "<tspan fill=\"\(colour)\">■</tspan> \(exercise.rawValue)", x: left + plotWidth + 10,
        top: 4, line: legendLine)
      legendLine += 1
    }
    svg += label("\(fmt0(top))°", x: left - 6, top: 4, anchor: "end")
    svg += bottomLabel("0°", x: left - 6, bottom: height - 4, anchor: "end")
    svg += label(
      "\(recent.count) sessions, median range per exercise", x: left, top: height + 4)
    return svg + "</svg>\n"
  }

  // MARK: - Page and helpers

  static func page(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escape(title))</title>
    <style>
    body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 940px; margin: 24px auto; padding: 0 12px; color: #222; background: #fff; }
    h1 { font-size: 1.5em; margin-bottom: 4px; } h2 { margin-top: 28px; border-bottom: 1px solid #ddd; } h3 { font-size: 1em; margin: 16px 0 4px; }
    .lead { color: #444; margin-top: 0; } .note { color: #666; font-size: 0.9em; }
    table.steps { border-collapse: collapse; width: 100%; font-size: 0.92em; }
    table.steps th, table.steps td { border-bottom: 1px solid #eee; padding: 4px 6px; text-align: left; vertical-align: top; }
    tr.short td:nth-child(3) { color: #b5532b; font-weight: 600; }
    table.steps tr:has(+ tr.remarks) td { border-bottom: none; } table.steps tr.remarks td { color: #555; padding-top: 0; }
    ul.symmetry li.flag { color: #b5532b; } ul.symmetry li.ok { color: #2a7d4f; }
    ul.remarks { font-size: 0.88em; color: #555; margin-top: 2px; }
    svg { width: 100%; height: auto; display: block; }
    .plot { fill: #fafafa; stroke: #ddd; }
    .axis { stroke: #bbb; stroke-dasharray: 3 3; }
    .label { font-size: 11px; fill: #666; }
    .rep-band.good { fill: #2a9d8f; opacity: 0.16; } .rep-band.remark { fill: #e9a23b; opacity: 0.28; } .rep-band.miss { fill: #e76f51; opacity: 0.25; }
    .trace { fill: none; stroke-width: 1.4; } .trace-x { stroke: #264653; } .trace-y { stroke: #8a5a9e; }
    .bar { fill: #2a9d8f; } .bar.tempo-bar { fill: #3a6ea5; } .bar.flagged { fill: #e9a23b; }
    .median { stroke: #222; stroke-dasharray: 5 4; stroke-width: 1; }
    .trend-line { fill: none; stroke-width: 2; } .current { stroke: #999; stroke-dasharray: 2 3; }
    /* Charts shrink with the screen; their labels grow in the chart's units to stay readable (≥ 8 px from 360 px up). */
    @media (max-width: 760px) { svg .label { font-size: 15px; } }
    @media (max-width: 520px) { svg .label { font-size: 22px; } table.steps th, table.steps td { padding: 4px 3px; } }
    </style>
    </head>
    <body>
    \(body)
    <p class="note">Made by repcount. Thresholds: a symmetry index above 10 % is the usual clinical flag; tempo and range variation are flagged above 20 % and 25 %, range loss above 20 %.</p>
    </body>
    </html>

    """
  }

  /// A chart label (`text` is markup) whose top is near `top` at whatever size the CSS gives
  /// labels; `line` 1, 2, … are the lines under it. Offsets are in em so that lines stay apart
  /// when a phone's screen makes the labels larger.
  static func label(
    _ text: String, x: Double, top: Double, line: Int = 0, anchor: String = "start"
  ) -> String {
    "<text x=\"\(fmt(x))\" y=\"\(fmt(top))\" dy=\"\(fmt(0.8 + 1.3 * Double(line)))em\" class=\"label\" text-anchor=\"\(anchor)\">\(text)</text>\n"
  }

  /// A chart label standing on `bottom` (its baseline).
  static func bottomLabel(_ text: String, x: Double, bottom: Double, anchor: String = "start")
    -> String
  {
    "<text x=\"\(fmt(x))\" y=\"\(fmt(bottom))\" class=\"label\" text-anchor=\"\(anchor)\">\(text)</text>\n"
  }

  static func escape(_ text: String) -> String {
    var output = ""
    for character in text {
      switch character {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      default: output.append(character)
      }
    }
    return output
  }

  static func fmt(_ value: Double) -> String { String(format: "%.1f", value.isFinite ? value : 0) }
  static func fmt0(_ value: Double) -> String { String(format: "%.0f", value.isFinite ? value : 0) }
}
