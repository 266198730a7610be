/// Levenshtein distance between names, for "did you mean" suggestions.
enum EditDistance {
    /// The number of single-character insertions, deletions and substitutions that turn `a` into `b`.
    ///
    /// ```swift
    /// EditDistance.between("stpe", "step")   // 2
    /// ```
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidate nearest to `name` ignoring case, if it is near enough to be a plausible typo: at most
    /// half the length of `name` (and at least 2) edits away. Ties go to the earlier candidate.
    ///
    /// ```swift
    /// EditDistance.nearest(to: "val_los", among: ["step", "val_loss"])   // "val_loss"
    /// ```
    static func nearest(to name: String, among candidates: [String]) -> String? {
        let target = name.lowercased()
        let limit = max(2, target.count / 2)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = between(target, candidate.lowercased())
            if distance <= limit && distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }
}
