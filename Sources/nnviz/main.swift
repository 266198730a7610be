import NNVizCLI
import NNViz

HeapTuning.keepTrainingMemory()  // large model files: forward and backward reuse freed buffers
setNumThreads(getNumThreads())   // the default count, with OpenBLAS's own idle threads ended now
NNVizCommand.run()
