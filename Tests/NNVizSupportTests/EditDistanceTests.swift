import Testing
import NNVizSupport

@Suite struct EditDistanceTests {
    @Test func distances() {
        #expect(EditDistance.between("", "loss") == 4)
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("val_loss", "val_loss") == 0)
        // An adjacent transposition is one edit.
        #expect(EditDistance.between("stpe", "step") == 1)
        #expect(EditDistance.between("inptu", "input") == 1)
        #expect(EditDistance.between("ab", "ba") == 1)
        #expect(EditDistance.between("ca", "abc") == 3)
    }

    @Test func thresholdGrowsWithTheWord() {
        #expect((1...12).map(EditDistance.threshold(forLength:)) == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
    }

    @Test func nearestIgnoresCaseAndFarNames() {
        #expect(EditDistance.nearest(to: "VAL_LOS", among: ["step", "val_loss", "val_acc"]) == "val_loss")
        #expect(EditDistance.nearest(to: "accuracy", among: ["step", "loss"]) == nil)
        // Short words: one edit at most, so `gru` is not taken for `elu`, but `rnn` is for `rnn `'s typo `rnm`.
        #expect(EditDistance.nearest(to: "gru", among: ["elu", "relu", "linear"]) == nil)
        #expect(EditDistance.nearest(to: "rnm", among: ["elu", "rnn"]) == "rnn")
        #expect(EditDistance.nearest(to: "mes", among: ["mse", "bce"]) == "mse")
        // Up to 8 letters: two edits; beyond: three.
        #expect(EditDistance.nearest(to: "lnear", among: ["linear"]) == "linear")
        #expect(EditDistance.nearest(to: "dropot", among: ["dropout"]) == "dropout")
        #expect(EditDistance.nearest(to: "batchnrm", among: ["batchnorm2d"]) == nil)
        #expect(EditDistance.nearest(to: "batchnorm", among: ["batchnorm2d"]) == "batchnorm2d")
        #expect(EditDistance.nearest(to: "train_loss", among: ["epoch", "train_loss_step"]) == nil)
        // Ties go to the earlier candidate.
        #expect(EditDistance.nearest(to: "lose", among: ["loss", "lost"]) == "loss")
    }
}
