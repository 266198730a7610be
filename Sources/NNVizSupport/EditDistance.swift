/// "Did you mean" suggestions: the one edit distance and the one threshold every part of nnviz uses, so a
/// typo is corrected alike in model files, command options and CSV column names.
///
/// ```swift
/// EditDistance.nearest(to: "lineer", among: ["linear", "relu"])   // "linear"
/// EditDistance.nearest(to: "gru", among: ["elu"])                 // nil: 1 edit in 3 letters is too many
/// ```
public enum EditDistance {
    /// The optimal-string-alignment distance between `a` and `b`: single-character insertions, deletions and
    /// substitutions, and transpositions of two adjacent characters (`inptu` → `input` is one edit).
    ///
    /// ```swift
    /// EditDistance.between("kitten", "sitting")   // 3
    /// EditDistance.between("stpe", "step")        // 1
    /// ```
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        // Three rows of the dynamic-programming table: two back (for transpositions), one back, and this one.
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { best = min(best, twoBack[j - 2] + 1) }
                current[j] = best
            }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }

    /// The most edits a word of `length` characters may be away from a suggestion: 1 up to 4 characters,
    /// 2 up to 8, 3 beyond.
    public static func threshold(forLength length: Int) -> Int {
        length <= 4 ? 1 : length <= 8 ? 2 : 3
    }

    /// The candidate nearest to `name` ignoring case, if it is within ``threshold(forLength:)`` edits
    /// (judged by the length of `name`). Ties go to the earlier candidate.
    ///
    /// ```swift
    /// EditDistance.nearest(to: "VAL_LOS", among: ["step", "val_loss"])   // "val_loss"
    /// ```
    public static func nearest(to name: String, among candidates: [String]) -> String? {
        let target = name.lowercased()
        let limit = threshold(forLength: target.count)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = between(target, candidate.lowercased())
            if distance <= limit && distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }
}
