import NNVizCore

extension Module {
    /// Loads parameters and buffers from a safetensors file by their state-dict names, like
    /// `model.load_state_dict(safetensors.torch.load_file(path))` with `strict=True`: float64, float32,
    /// float16 and bfloat16 values (and the integer types, for buffers such as `num_batches_tracked`) are
    /// converted to each tensor's dtype. Nothing is changed unless every key and shape fits.
    ///
    /// ```swift
    /// let model = Sequential(Linear(3, 2), ReLU(), Linear(2, 1))
    /// try model.loadSafetensors("mlp.safetensors")   // written by safetensors.torch.save_file(model.state_dict(), …)
    /// ```
    ///
    /// Throws ``SafetensorsError`` naming the file: unreadable or malformed files, and missing keys,
    /// unexpected keys and shape mismatches worded as PyTorch words them.
    public func loadSafetensors(_ path: String) throws {
        let tensors = try SafetensorsFile.read(path)
        do {
            try loadState(tensors)
        } catch let error as TensorError {
            throw SafetensorsError.stateDict(path: path, message: error.description)
        }
    }

    /// Writes every parameter and buffer to a safetensors file, byte for byte what
    /// `safetensors.torch.save_file(model.state_dict(), path, metadata)` writes, so PyTorch loads it with
    /// `model.load_state_dict(safetensors.torch.load_file(path))`. The file is replaced whole or not at all.
    ///
    /// ```swift
    /// try model.saveSafetensors("mlp.safetensors")
    /// try model.saveSafetensors("mlp.safetensors", metadata: ["format": "pt"])
    /// ```
    public func saveSafetensors(_ path: String, metadata: [String: String]? = nil) throws {
        try SafetensorsFile.write(stateEntries(), metadata: metadata, to: path)
    }
}
