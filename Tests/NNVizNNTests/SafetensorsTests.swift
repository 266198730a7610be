import Foundation
import Testing
@testable import NNVizCore
@testable import NNVizNN

/// Safetensors files: PyTorch's files read back, nnviz's files byte for byte what safetensors writes and read
/// by PyTorch, load_state_dict's checks in PyTorch's words, and hostile files as errors.
@Suite(.serialized)
struct SafetensorsTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/safetensors")
    static let fixture: [String: Any] = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("safetensors.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func mlp() -> Sequential { Sequential(Linear(3, 2), ReLU(), Linear(2, 1)) }
    static func bnModel() -> Sequential { Sequential(Linear(3, 4), BatchNorm1d(4), ReLU(), Linear(4, 2)) }

    static func tensor(_ object: Any) -> (shape: [Int], values: [Double]) {
        let entry = object as! [String: Any]
        return (entry["shape"] as! [Int], (entry["data"] as! [NSNumber]).map(\.doubleValue))
    }

    /// `[{"name", "value"}]` as name → (shape, values).
    static func state(_ object: Any) -> [(name: String, shape: [Int], values: [Double])] {
        (object as! [[String: Any]]).map {
            let (shape, values) = tensor($0["value"]!)
            return ($0["name"] as! String, shape, values)
        }
    }

    /// A float32 model's state equals the fixture's, bit for bit.
    static func expectState(_ model: Module, _ expected: Any, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = model.stateDict()
        let expected = state(expected)
        #expect(Set(actual.keys) == Set(expected.map(\.name)), sourceLocation: sourceLocation)
        for (name, shape, values) in expected {
            guard let tensor = actual[name] else { continue }
            #expect(tensor.shape == shape, "\(name)", sourceLocation: sourceLocation)
            if tensor.dtype == .int64 {
                #expect(tensor.int64s == values.map { Int64($0) }, "\(name)", sourceLocation: sourceLocation)
            } else {
                #expect(tensor.floats.map(\.bitPattern) == values.map { Float($0).bitPattern }, "\(name)", sourceLocation: sourceLocation)
            }
        }
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nnviz-safetensors-\(getpid())-\(name)").path
    }

    // MARK: - Files PyTorch wrote

    @Test func float32FileLoadsExactlyAndComputesPyTorchsOutput() throws {
        let model = Self.mlp()
        try model.loadSafetensors(Self.path("mlp_f32.safetensors"))
        let mlp = Self.fixture["mlp"] as! [String: Any]
        Self.expectState(model, mlp["state"]!)
        let (inputShape, input) = Self.tensor(mlp["input"]!)
        let (_, expected) = Self.tensor(mlp["output"]!)
        let output = model(Tensor(shape: inputShape, values: input)).scalars
        for (a, b) in zip(output, expected) { #expect(abs(a - b) <= 1e-6) }
    }

    @Test(arguments: ["f64", "f16", "bf16"])
    func otherFloatTypesConvertAsPyTorchConvertsThem(_ dtype: String) throws {
        let model = Self.mlp()
        try model.loadSafetensors(Self.path("mlp_\(dtype).safetensors"))
        Self.expectState(model, (Self.fixture["mlp_loaded"] as! [String: Any])[dtype]!)
    }

    @Test func float64FileIntoFloat64TensorsIsExact() throws {
        let tensors = try SafetensorsFile.read(Self.path("mlp_f64.safetensors"))
        let expected = Self.state((Self.fixture["mlp"] as! [String: Any])["state"]!)
        #expect(tensors.map(\.name) == ["0.bias", "0.weight", "2.bias", "2.weight"])
        for (name, tensor) in tensors {
            let entry = expected.first { $0.name == name }!
            #expect(tensor.dtype == .float64)
            #expect(tensor.shape == entry.shape)
            // Foundation's JSON reader may be off in a double's last bit: the values are float32s, compare as such.
            #expect(tensor.scalars.map { Float($0) } == entry.values.map { Float($0) })
            #expect(tensor.scalars.allSatisfy { Double(Float($0)) == $0 })
        }
    }

    @Test(arguments: ["f16", "bf16"])
    func halfAndBFloat16SpecialValuesAsPyTorchReadsThem(_ dtype: String) throws {
        let expected = (Self.fixture["specials"] as! [String: Any])[dtype] as! [String: Any]
        let tensors = try SafetensorsFile.read(Self.path("specials_\(dtype).safetensors"))
        #expect(tensors.count == 1 && tensors[0].name == "values")
        #expect(tensors[0].tensor.floats.map(\.bitPattern) == (expected["float32_bits"] as! [NSNumber]).map(\.uint32Value))
    }

    @Test func everyHalfConvertsExactly() {
        for bits in UInt16.min...UInt16.max {
            let ours = SafetensorsDType.float(half: bits)
            let reference = Float(Float16(bitPattern: bits))
            if reference.isNaN {
                #expect(ours.isNaN && ours.sign == reference.sign && ours.bitPattern & 0x0040_0000 != 0)
                #expect(ours.bitPattern & 0x003F_E000 == UInt32(bits & 0x1FF) << 13)
            } else if ours.bitPattern != reference.bitPattern {
                Issue.record("half 0x\(String(bits, radix: 16)): \(ours) instead of \(reference)")
            }
        }
    }

    @Test func batchNormRunningStatisticsAndStepCount() throws {
        let model = Self.bnModel()
        try model.loadSafetensors(Self.path("bn_f32.safetensors"))
        let bn = Self.fixture["bn"] as! [String: Any]
        Self.expectState(model, bn["state"]!)
        let steps = model.stateDict()["1.num_batches_tracked"]!
        #expect(steps.dtype == .int64 && steps.shape == [] && steps.int64s == [5])
        model.eval()
        let (inputShape, input) = Self.tensor(bn["input"]!)
        let (_, expected) = Self.tensor(bn["eval_output"]!)
        let output = model(Tensor(shape: inputShape, values: input)).scalars
        #expect(output.count == expected.count)
        for (a, b) in zip(output, expected) { #expect(abs(a - b) <= 1e-6) }
    }

    @Test func keysAndShapesThatDoNotFitAreReportedInPyTorchsWordsAndChangeNothing() throws {
        let model = Self.mlp()
        let before = model.stateDict().mapValues(\.scalars)
        let path = Self.path("mlp_mismatch.safetensors")
        let error = #expect(throws: SafetensorsError.self) { try model.loadSafetensors(path) }
        #expect(error == .stateDict(path: path, message: Self.fixture["mismatch_error"] as! String))
        #expect(error?.description.hasPrefix(path + ": Error(s) in loading state_dict for Sequential:\n\tMissing key(s)") == true)
        #expect(model.stateDict().mapValues(\.scalars) == before)
    }

    @Test func loadStateDictWordsEachProblemAsPyTorch() {
        let fc = Linear(3, 3)
        let error = #expect(throws: TensorError.self) { try fc.loadStateDict(["weight": Tensor.zeros([2, 3])]) }
        #expect(error?.description == """
            Error(s) in loading state_dict for Linear:
            \tMissing key(s) in state_dict: "bias". \n\tsize mismatch for weight: copying a param with shape \
            torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([3, 3]).
            """)
    }

    @Test func oneElementValueLoadsIntoAScalarBuffer() throws {
        let bn = BatchNorm1d(2)
        var state = bn.stateDict()
        state["num_batches_tracked"] = Tensor(shape: [1], int64s: [7])
        try bn.loadStateDict(state)
        #expect(bn.numBatchesTracked!.shape == [] && bn.numBatchesTracked!.int64s == [7])
    }

    // MARK: - Files nnviz writes

    @Test(arguments: ["mlp_f32", "bn_f32"])
    func savedFileIsWhatSafetensorsWrites(_ name: String) throws {
        let model = name == "mlp_f32" ? Self.mlp() : Self.bnModel()
        try model.loadSafetensors(Self.path("\(name).safetensors"))
        let out = Self.temporaryPath("\(name).safetensors")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try model.saveSafetensors(out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: Self.path("\(name).safetensors"))))
    }

    @Test func metadataIsWrittenAsSafetensorsWritesIt() throws {
        let model = Self.mlp()
        try model.loadSafetensors(Self.path("mlp_f32_metadata.safetensors"))
        let out = Self.temporaryPath("metadata.safetensors")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try model.saveSafetensors(out, metadata: ["format": "pt"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: Self.path("mlp_f32_metadata.safetensors"))))
    }

    @Test(arguments: ["mlp_f64", "mlp_f32", "bn_f32", "specials_f16", "specials_bf16", "mlp_mismatch"])
    func readingThenEncodingGivesTheSameBytes(_ name: String) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path("\(name).safetensors"))))
        let tensors = try SafetensorsFile.read(Self.path("\(name).safetensors"))
        // Half and bfloat16 tensors are read as float32 and written so; the others round-trip exactly.
        guard !name.hasPrefix("specials") else {
            #expect(SafetensorsFile.encode(tensors, metadata: nil).count == original.count + 17 * 2)
            return
        }
        #expect(SafetensorsFile.encode(tensors, metadata: nil) == original)
    }

    @Test func emptyStateIsSafetensorsEmptyFile() {
        #expect(SafetensorsFile.encode([], metadata: nil) == [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
    }

    @Test func namesAreEscapedAsSerdeJSONEscapesThemAndReadBack() throws {
        let name = "wé\n\"\\/\u{01}\u{7f}😀"
        #expect(SafetensorsFile.jsonString(name) == "\"wé\\n\\\"\\\\/\\u0001\u{7f}😀\"")
        let out = Self.temporaryPath("names.safetensors")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try Data(SafetensorsFile.encode([(name, Tensor([1.5]))], metadata: nil)).write(to: URL(fileURLWithPath: out))
        #expect(try SafetensorsFile.read(out).map(\.name) == [name])
        try Self.write(out, header: #"{"\ud83d\ude00\u00e9\t":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}"#, dataSize: 4)
        #expect(try SafetensorsFile.read(out).map(\.name) == ["😀é\t"])
    }

    final class EveryDType: Module {
        @Param var weight: Tensor? = Tensor([[1.5, -2.25]])
        @Param var double: Tensor? = Tensor([0.1, -1e300], dtype: .float64)
        @Buffer var steps: Tensor? = Tensor(shape: [], int64s: [9_007_199_254_740_993])
        @Buffer var mask: Tensor? = Tensor([true, false, true])
    }

    @Test func everyNNVizDTypeRoundTrips() throws {
        let out = Self.temporaryPath("dtypes.safetensors")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try EveryDType().saveSafetensors(out)
        let header = try SafetensorsFile.read(out)
        #expect(header.map(\.name) == ["steps", "double", "weight", "mask"])
        let loaded = EveryDType()
        loaded.weight = Parameter(Tensor.zeros([1, 2]))
        loaded.double = Tensor.zeros([2], dtype: .float64)
        loaded.steps = Tensor(shape: [], int64s: [0])
        loaded.mask = Tensor([false, false, false])
        try loaded.loadSafetensors(out)
        #expect(loaded.weight!.floats == [1.5, -2.25])
        #expect(loaded.double!.dtype == .float64 && loaded.double!.scalars == [0.1, -1e300])
        #expect(loaded.steps!.int64s == [9_007_199_254_740_993])
        #expect(loaded.mask!.dtype == .bool && loaded.mask!.scalars == [1, 0, 1])
    }

    /// What nnviz writes, PyTorch reads: nnviz_saved.safetensors is this model as nnviz saves it, and the
    /// fixture holds what `bn_model().load_state_dict(load_file(…), strict=True)` read from it. If the bytes
    /// ever differ, the new file is left at the temporary path printed in the failure.
    @Test func nnvizSavedFile() throws {
        let model = Self.bnModel()
        try model.loadSafetensors(Self.path("bn_f32.safetensors"))
        let bn = model.children()[1] as! BatchNorm1d
        bn.runningMean = Tensor([0.125, -3.5, 1e-3, 42])
        bn.numBatchesTracked = Tensor(shape: [], int64s: [9_007_199_254_740_993])
        let out = Self.temporaryPath("nnviz_saved.safetensors")
        try model.saveSafetensors(out)
        let committed = try Data(contentsOf: URL(fileURLWithPath: Self.path("nnviz_saved.safetensors")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == committed, "new file left at \(out)")
        if try Data(contentsOf: URL(fileURLWithPath: out)) == committed { try FileManager.default.removeItem(atPath: out) }

        let read = Self.fixture["nnviz_saved"] as! [String: Any]
        #expect(read["torch_writes_same_bytes"] as? Bool == true)
        let state = model.stateDict()
        for entry in read["state"] as! [[String: Any]] {
            let name = entry["name"] as! String
            let value = entry["value"] as! [String: Any]
            if name.hasSuffix("num_batches_tracked") {
                #expect((value["data"] as! [NSNumber]).map(\.int64Value) == [9_007_199_254_740_993])
                #expect(value["dtype"] as? String == "int64")
            } else {
                #expect(state[name]!.floats.map(\.bitPattern) == (value["data"] as! [NSNumber]).map { Float($0.doubleValue).bitPattern }, "\(name)")
            }
        }
        model.eval()
        let (inputShape, input) = Self.tensor((Self.fixture["bn"] as! [String: Any])["input"]!)
        let (_, expected) = Self.tensor(read["eval_output"]!)
        let output = model(Tensor(shape: inputShape, values: input)).scalars
        for (a, b) in zip(output, expected) { #expect(abs(a - b) <= 1e-6) }
    }

    @Test func writingIntoAMissingDirectoryOrOverADirectoryIsAnError() throws {
        let path = "/nonexistent-nnviz-dir/model.safetensors"
        let error = #expect(throws: SafetensorsError.self) { try Self.mlp().saveSafetensors(path) }
        #expect(error?.path == path)
        #expect(error?.description == path + ": cannot write the file: the directory '/nonexistent-nnviz-dir' does not exist")
        let directory = Self.temporaryPath("a-directory")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: SafetensorsError.cannotWrite(path: directory, reason: "it is a directory")) { try Self.mlp().saveSafetensors(directory) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix(".nnviz-safetensors-\(getpid())-a-directory") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    // MARK: - Hostile files

    /// Writes an 8-byte length (`length`, or the header's own), `header` and `dataSize` zero bytes.
    static func write(_ path: String, header: String, dataSize: Int, length: UInt64? = nil) throws {
        try write(path, header: Array(header.utf8), dataSize: dataSize, length: length)
    }

    static func write(_ path: String, header: [UInt8], dataSize: Int, length: UInt64? = nil) throws {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: (length ?? UInt64(header.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += header + [UInt8](repeating: 0, count: dataSize)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The error reading a file made of `header` and `dataSize` bytes gives.
    static func hostile(_ header: String, dataSize: Int = 0, length: UInt64? = nil) throws -> SafetensorsError? {
        try hostile(Array(header.utf8), dataSize: dataSize, length: length)
    }

    static func hostile(_ header: [UInt8], dataSize: Int = 0, length: UInt64? = nil) throws -> SafetensorsError? {
        let path = temporaryPath("hostile.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(path, header: header, dataSize: dataSize, length: length)
        do {
            _ = try SafetensorsFile.read(path)
            return nil
        } catch let error as SafetensorsError {
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
            return error
        }
    }

    static func entry(_ dtype: String = "F32", _ shape: String = "[1]", _ offsets: String = "[0,4]") -> String {
        "{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    @Test func shortFilesAndAbsurdHeaderLengths() throws {
        let path = Self.temporaryPath("short.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for size in [0, 7] {
            try Data(repeating: 1, count: size).write(to: URL(fileURLWithPath: path))
            #expect(throws: SafetensorsError.truncated(path: path, size: size)) { try SafetensorsFile.read(path) }
        }
        #expect(try Self.hostile("{}", length: 100_000_001)?.reason == "header length 100000001 is above safetensors' limit of 100000000 bytes")
        #expect(try Self.hostile("{}", length: UInt64.max).map { if case .invalidHeaderLength = $0 { true } else { false } } == true)
        #expect(try Self.hostile("{}", dataSize: 10, length: 1_000)?.reason == "header length 1000 runs past the end of the file (20 bytes, so at most 12)")
        let lengthOnly = Self.temporaryPath("length-only.safetensors")
        defer { try? FileManager.default.removeItem(atPath: lengthOnly) }
        try Self.write(lengthOnly, header: [], dataSize: 0, length: 50_000_000)
        #expect(throws: SafetensorsError.invalidHeaderLength(path: lengthOnly, length: 50_000_000, fileSize: 8)) { try SafetensorsFile.read(lengthOnly) }
    }

    @Test func headersThatAreNotTheJSONSafetensorsWrites() throws {
        func reason(_ header: String, dataSize: Int = 4) throws -> String? { try Self.hostile(header, dataSize: dataSize)?.reason }
        #expect(try Self.hostile([0x7B, 0xFF, 0xFE, 0x7D])?.reason == "invalid header: the header is not UTF-8 text")
        #expect(try reason("hello") == "invalid header: the header is not a JSON object (it starts with 'h') (header byte 0)")
        #expect(try reason("") == "invalid header: the header is empty (header byte 0)")
        #expect(try reason("{\"a\":") == "invalid header: expected '{' for tensor \"a\" (an object with dtype, shape and data_offsets), found the end of the header (header byte 5)")
        #expect(try reason("{\"a\":\(Self.entry())} x") == "invalid header: unexpected 'x' after the header's JSON object (header byte 55)")
        #expect(try reason("{\"a\":{\"dtype\":5,\"shape\":[1],\"data_offsets\":[0,4]}}")?.contains("expected a string for the dtype of tensor \"a\", found '5'") == true)
        #expect(try reason("{\"a\":{\"dtype\":\"F32\",\"shape\":\"x\",\"data_offsets\":[0,4]}}")?.contains("expected '[' for the shape of tensor \"a\" (a list of integers), found '\"'") == true)
        #expect(try reason("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}")?.contains("a number in the shape of tensor \"a\" is not an integer") == true)
        #expect(try reason("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}")?.contains("the data_offsets of tensor \"a\" are 1 numbers, not 2") == true)
        #expect(try reason("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}")?.contains("tensor \"a\" has no data_offsets") == true)
        #expect(try reason("{\"__metadata__\":{\"format\":1},\"a\":\(Self.entry())}")?.contains("expected a string for the __metadata__ value of \"format\", found '1'") == true)
        #expect(try reason("{\"a\":\(Self.entry()),}")?.contains("expected a string for a tensor name, found '}'") == true)
        #expect(try reason("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}")?.contains("tensor \"a\" has two dtype fields") == true)
        #expect(try reason("{\"a\\q\":1}")?.contains("invalid escape '\\q'") == true)
        #expect(try reason("{\"\\ud800\":1}")?.contains("lone surrogate") == true)
        #expect(try reason("{\"a\u{01}\":1}")?.contains("control character 0x1") == true)
    }

    @Test func unknownFieldsAreSkippedButNotWithoutLimit() throws {
        #expect(try Self.hostile("{\"a\":{\"dtype\":\"F32\",\"note\":{\"x\":[1,-2.5e3,true,null,\"s\",[],{}]},\"shape\":[1],\"data_offsets\":[0,4]}}", dataSize: 4) == nil)
        let deep = String(repeating: "[", count: 100_000)
        let nested = try Self.hostile("{\"a\":{\"dtype\":\"F32\",\"note\":\(deep)", dataSize: 4)
        #expect(nested?.reason == "invalid header: JSON nested deeper than 128 levels (header byte 153)")
        #expect(try Self.hostile("{\"a\":{\"dtype\":\"F32\",\"note\":[1 2]}}", dataSize: 4)?.reason.contains("expected ',' or ']', found '2'") == true)
    }

    @Test func aHundredThousandNestedBracketsAreAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(try Self.hostile(deep)?.reason == "invalid header: the header is not a JSON object (it starts with '[') (header byte 0)")
        let deepDtype = "{\"a\":{\"dtype\":" + deep + "}}"
        #expect(try Self.hostile(deepDtype)?.reason == "invalid header: expected a string for the dtype of tensor \"a\", found '[' (header byte 14)")
        let deepObjects = "{\"a\":" + String(repeating: "{\"a\":", count: 100_000)
        #expect(try Self.hostile(deepObjects)?.reason == "invalid header: JSON nested deeper than 128 levels (header byte 640)")
    }

    @Test func dtypesNNVizDoesNotRead() throws {
        for dtype in ["F12", "F8_E4M3", "U64", "f32"] {
            #expect(try Self.hostile("{\"a\":\(Self.entry(dtype))}", dataSize: 4)?.reason.contains(
                "tensor \"a\" has dtype \"\(dtype)\", which nnviz does not read (it reads I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL)") == true)
        }
    }

    @Test func shapesAndOffsetsThatLie() throws {
        func reason(_ header: String, _ dataSize: Int) throws -> String? { try Self.hostile(header, dataSize: dataSize)?.reason }
        #expect(try reason("{\"a\":\(Self.entry("F32", "[2]", "[0,4]"))}", 4)
                == "tensor \"a\": shape [2] of F32 takes 8 bytes, but data_offsets [0, 4] span 4")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[2]", "[0,8]")),\"b\":\(Self.entry("F32", "[2]", "[4,12]"))}", 12)
                == "tensor \"b\": data_offsets [4, 12] overlap tensor \"a\" (data_offsets [0, 8])")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[1]", "[0,4]")),\"b\":\(Self.entry("F32", "[1]", "[8,12]"))}", 12)
                == "tensor \"b\": data_offsets [8, 12] leave bytes 4..<8 of the data section to no tensor")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[1]", "[4,8]"))}", 8)
                == "tensor \"a\": data_offsets [4, 8] leave bytes 0..<4 of the data section to no tensor")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[2]", "[0,8]"))}", 4)
                == "tensor \"a\": data_offsets [0, 8] run past the end of the data section (4 bytes)")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[1]", "[8,4]"))}", 8)
                == "tensor \"a\": data_offsets [8, 4] end before they begin")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[1]", "[0,4]"))}", 8)
                == "the tensors cover 4 of the data section's 8 bytes (the last tensor must end where the file ends)")
        #expect(try reason("{}", 3) == "the tensors cover 0 of the data section's 3 bytes (the last tensor must end where the file ends)")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[-1]", "[0,4]"))}", 4)?.contains("the shape of tensor \"a\" has a negative number") == true)
        #expect(try reason("{\"a\":\(Self.entry("F32", "[4294967296,4294967296]", "[0,4]"))}", 4)
                == "tensor \"a\": shape [4294967296, 4294967296] overflows: it has more than 9223372036854775807 elements")
        #expect(try reason("{\"a\":\(Self.entry("F64", "[4611686018427387904]", "[0,4]"))}", 4)
                == "tensor \"a\": shape [4611686018427387904] of F64 overflows: more than 9223372036854775807 bytes")
        #expect(try reason("{\"a\":\(Self.entry("F32", "[99999999999999999999]", "[0,4]"))}", 4)?
                .contains("a number in the shape of tensor \"a\" is larger than 9223372036854775807") == true)
        #expect(try reason("{\"a\":\(Self.entry("F32", "[1]", "[0,4]")),\"a\":\(Self.entry("F32", "[1]", "[4,8]"))}", 8)
                == "invalid header: duplicate key \"a\" (header byte 54)")
        #expect(try reason("{\"__metadata__\":{\"k\":\"v\",\"k\":\"w\"}}", 0)?.contains("duplicate __metadata__ key \"k\"") == true)
    }

    @Test func zeroSizedAndScalarTensorsAreValid() throws {
        let tensors = try #require(try {
            let path = Self.temporaryPath("zero.safetensors")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Self.write(path, header: "{\"x\":\(Self.entry("F32", "[]", "[0,4]")),\"y\":\(Self.entry("F32", "[0,3]", "[4,4]"))}", dataSize: 4)
            return try SafetensorsFile.read(path)
        }())
        #expect(tensors.map(\.name) == ["x", "y"])
        #expect(tensors[0].tensor.shape == [] && tensors[0].tensor.scalars == [0])
        #expect(tensors[1].tensor.shape == [0, 3] && tensors[1].tensor.count == 0)
    }

    @Test func integerAndBoolDTypesReadAsInt64AndBool() throws {
        let path = Self.temporaryPath("integers.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = "{\"a\":\(Self.entry("I32", "[2]", "[0,8]")),\"b\":\(Self.entry("I16", "[2]", "[8,12]")),"
            + "\"c\":\(Self.entry("I8", "[2]", "[12,14]")),\"d\":\(Self.entry("U8", "[2]", "[14,16]")),\"e\":\(Self.entry("BOOL", "[3]", "[16,19]"))}"
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += Array(header.utf8)
        bytes += [0xFE, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x80]   // I32: -2, Int32.min
        bytes += [0x00, 0x80, 0x39, 0x30]                           // I16: Int16.min, 12345
        bytes += [0x80, 0x7F, 0xFF, 0x01]                           // I8: -128, 127; U8: 255, 1
        bytes += [0x01, 0x00, 0x02]                                 // BOOL
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let tensors = try SafetensorsFile.read(path)
        #expect(tensors.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(tensors[0].tensor.dtype == .int64 && tensors[0].tensor.int64s == [-2, Int64(Int32.min)])
        #expect(tensors[1].tensor.int64s == [Int64(Int16.min), 12345])
        #expect(tensors[2].tensor.int64s == [-128, 127])
        #expect(tensors[3].tensor.int64s == [255, 1])
        #expect(tensors[4].tensor.dtype == .bool && tensors[4].tensor.scalars == [1, 0, 1])
    }

    @Test func missingFilesAndDirectories() {
        let missing = Self.temporaryPath("does-not-exist.safetensors")
        #expect(throws: SafetensorsError.cannotRead(path: missing, reason: "No such file or directory")) { try Self.mlp().loadSafetensors(missing) }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: SafetensorsError.cannotRead(path: directory, reason: "it is a directory")) { try Self.mlp().loadSafetensors(directory) }
    }
}
