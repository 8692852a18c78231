import Benchmark
import MotionCore

// Placeholder suite for MotionCore; the core's own benchmarks (frames per second through the
// detectors, allocations per frame) belong here.
let benchmarks: @Sendable () -> Void = {
  Benchmark("Vector3 normalise", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) {
    benchmark in
    var sum = Vector3.zero
    for index in benchmark.scaledIterations {
      let vector = Vector3(Double(index), 1, 2)
      sum += vector.normalized ?? .zero
    }
    blackHole(sum)
  }
}
