// Tensor, autograd and the PyTorch-compatible generator.
