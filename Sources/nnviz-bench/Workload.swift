import Foundation

/// One benchmark: `prepare` builds inputs outside the timed region and returns the body to time.
///
/// Each subsystem keeps its workloads in a file of its own (`CoreWorkloads.swift`, …) and lists them
/// in ``allWorkloads``.
struct Workload {
    let name: String
    /// How many timed runs; the median is reported.
    let repeats: Int
    let prepare: () -> () -> Void
}

/// Every workload, in the order `nnviz-bench` runs them when none is named.
let allWorkloads: [Workload] = coreWorkloads + plotWorkloads + optimizerWorkloads + graphWorkloads + trainingWorkloads
    + transformerWorkloads
    + convolutionWorkloads
