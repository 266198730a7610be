import NNVizCLI

NNVizCommand.run()
