/// The shape of one repetition (its tilt path) and how alike two shapes are, by dynamic time
/// warping, so a repetition that moved differently stands out even when its range and duration
/// look normal.
///
/// Reference shapes can be the set's own typical repetition (the medoid, used by the report) or
/// a calibration's reference repetitions, once a profile stores them.
public enum RepShape {
  /// Points a shape is resampled to: enough for a smooth circle or arc, cheap to compare.
  public static let points = 32
  /// A repetition whose distance to the set's typical shape is above this multiple of the
  /// set's median distance moved differently. Our choice: twice the usual spread.
  public static let oddShapeMultiple = 2.0
  /// ... and at least this fraction of the typical shape's size (so a very steady set does not
  /// flag tiny differences).
  public static let oddShapeMinimumFraction = 0.25

  /// The tilt path between two times, resampled to `points` points and centred; `nil` with
  /// fewer than four samples inside.
  public static func shape(from samples: [SignalSample], start: Double, end: Double)
    -> [(Double, Double)]?
  {
    let inside = samples.filter { $0.timeSeconds >= start && $0.timeSeconds <= end }
    guard inside.count >= 4, end > start else { return nil }
    var output: [(Double, Double)] = []
    output.reserveCapacity(points)
    var cursor = 0
    for index in 0..<points {
      let time = start + (end - start) * Double(index) / Double(points - 1)
      while cursor + 1 < inside.count - 1 && inside[cursor + 1].timeSeconds < time { cursor += 1 }
      let a = inside[cursor]
      let b = inside[min(cursor + 1, inside.count - 1)]
      let span = b.timeSeconds - a.timeSeconds
      let weight = span > 0 ? min(max((time - a.timeSeconds) / span, 0), 1) : 0
      output.append(
        (
          a.tiltXDegrees + (b.tiltXDegrees - a.tiltXDegrees) * weight,
          a.tiltYDegrees + (b.tiltYDegrees - a.tiltYDegrees) * weight
        ))
    }
    let meanX = output.reduce(0) { $0 + $1.0 } / Double(points)
    let meanY = output.reduce(0) { $0 + $1.1 } / Double(points)
    return output.map { ($0.0 - meanX, $0.1 - meanY) }
  }

  /// Dynamic-time-warping distance in degrees: the mean point distance along the best
  /// alignment, within a Sakoe–Chiba band of a quarter of the length.
  public static func distance(_ a: [(Double, Double)], _ b: [(Double, Double)]) -> Double {
    let n = a.count
    let m = b.count
    guard n > 0, m > 0 else { return .infinity }
    let band = max(abs(n - m), max(n, m) / 4)
    var previous = [Double](repeating: .infinity, count: m + 1)
    var current = [Double](repeating: .infinity, count: m + 1)
    var previousLength = [Int](repeating: 0, count: m + 1)
    var currentLength = [Int](repeating: 0, count: m + 1)
    previous[0] = 0
    for i in 1...n {
      current[0] = .infinity
      for j in 1...m {
        current[j] = .infinity
        guard abs(i - j) <= band else { continue }
        let dx = a[i - 1].0 - b[j - 1].0
        let dy = a[i - 1].1 - b[j - 1].1
        let cost = (dx * dx + dy * dy).squareRoot()
        var best = previous[j - 1]
        var length = previousLength[j - 1]
        if previous[j] < best {
          best = previous[j]
          length = previousLength[j]
        }
        if current[j - 1] < best {
          best = current[j - 1]
          length = currentLength[j - 1]
        }
        current[j] = best + cost
        currentLength[j] = length + 1
      }
      swap(&previous, &current)
      swap(&previousLength, &currentLength)
    }
    let length = previousLength[m]
    return length > 0 ? previous[m] / Double(length) : .infinity
  }

  /// Each shape's distance to the set's typical shape (the medoid: the one closest to all the
  /// others), and whether it moved differently.
  public static func compareWithSet(_ shapes: [[(Double, Double)]]) -> [(
    distanceDegrees: Double, isOdd: Bool
  )] {
    guard shapes.count >= 3 else { return shapes.map { _ in (0, false) } }
    var sums = [Double](repeating: 0, count: shapes.count)
    var table = [[Double]](
      repeating: [Double](repeating: 0, count: shapes.count), count: shapes.count)
    for i in shapes.indices {
      for j in shapes.indices where j > i {
        let d = distance(shapes[i], shapes[j])
        table[i][j] = d
        table[j][i] = d
        sums[i] += d
        sums[j] += d
      }
    }
    let medoid = sums.indices.min { sums[$0] < sums[$1] } ?? 0
    let distances = shapes.indices.map { table[medoid][$0] }
    let median =
      FormFeedback.median(distances.enumerated().filter { $0.offset != medoid }.map(\.element)) ?? 0
    let size =
      (shapes[medoid].reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 } / Double(shapes[medoid].count))
      .squareRoot()
    return distances.map { d in
      (d, d > oddShapeMultiple * median && d > oddShapeMinimumFraction * size)
    }
  }
}
