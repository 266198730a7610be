import NNVizCLI
import NNViz

HeapTuning.keepTrainingMemory()  // large model files: forward and backward reuse freed buffers
NNVizCommand.run()
