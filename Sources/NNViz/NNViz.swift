@_exported import NNVizCore
@_exported import NNVizNN
@_exported import NNVizGraph
@_exported import NNVizPlot
