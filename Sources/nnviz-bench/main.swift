import Foundation
import NNViz

// nnviz-bench [workload...]: runs the named workloads (all when none is named) and prints one JSON
// line per workload: {"workload": name, "median_s": …, "min_s": …, "max_s": …, "repeats": n}.

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

HeapTuning.keepTrainingMemory()  // as a training script would: steps reuse their buffers
setNumThreads(getNumThreads())   // as the nnviz command: OpenBLAS's own idle threads ended at the start

let requested = Array(CommandLine.arguments.dropFirst())
let known = Set(allWorkloads.map(\.name))
if let unknown = requested.first(where: { !known.contains($0) }) {
    FileHandle.standardError.write(Data("nnviz-bench: unknown workload '\(unknown)'; known: \(allWorkloads.map(\.name).joined(separator: ", "))\n".utf8))
    exit(1)
}
for workload in allWorkloads where requested.isEmpty || requested.contains(workload.name) {
    let body = workload.prepare()
    body()  // warm-up
    var times: [Double] = []
    for _ in 0..<workload.repeats { times.append(seconds(body)) }
    times.sort()
    let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    let line = String(format: "{\"workload\": \"%@\", \"median_s\": %.6f, \"min_s\": %.6f, \"max_s\": %.6f, \"repeats\": %d}",
                      workload.name, median, times.first!, times.last!, workload.repeats)
    print(line)
    fflush(stdout)
}
