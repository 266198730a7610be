let coreWorkloads: [Workload] = []
