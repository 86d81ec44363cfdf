/// Close-match suggestions, scored like Python's difflib.SequenceMatcher ratio (which az uses
/// with a 0.7 cutoff for misspelled commands).
public enum Suggest {
    public static func closest(_ word: String, among candidates: [String], cutoff: Double = 0.7) -> String? {
        var best: (String, Double)?
        for c in candidates {
            let r = ratio(word.lowercased(), c.lowercased())
            if r >= cutoff, r > (best?.1 ?? 0) { best = (c, r) }
        }
        return best?.0
    }

    /// 2 * matches / total, where matches come from the longest common blocks, recursively.
    static func ratio(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard !x.isEmpty || !y.isEmpty else { return 1 }
        return 2 * Double(matches(x[...], y[...])) / Double(x.count + y.count)
    }

    private static func matches(_ x: ArraySlice<Unicode.Scalar>, _ y: ArraySlice<Unicode.Scalar>) -> Int {
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var bestLen = 0, bestI = x.startIndex, bestJ = y.startIndex
        for i in x.indices {
            for j in y.indices {
                var k = 0
                while i + k < x.endIndex, j + k < y.endIndex, x[i + k] == y[j + k] { k += 1 }
                if k > bestLen { bestLen = k; bestI = i; bestJ = j }
            }
        }
        guard bestLen > 0 else { return 0 }
        return bestLen + matches(x[x.startIndex..<bestI], y[y.startIndex..<bestJ])
            + matches(x[(bestI + bestLen)...], y[(bestJ + bestLen)...])
    }
}
