#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gaussian hypergeometric function ₂F₁(a, b; c; z) = Σₖ (a)ₖ (b)ₖ / ((c)ₖ k!) zᵏ for
/// 0 ≤ z < 1, summed term by term until a term no longer changes the sum. The models call
/// it with Euler-transformed arguments (see BGNBD), whose first two parameters stay small
/// while c grows with the purchase count, so the series converges where the direct one
/// overflows (CLV.md, "Numerics").
public enum Hypergeometric {
    /// Nil when the series has not settled after `maxTerms` terms (z too close to 1), or
    /// when c is zero or a negative whole number.
    public static func f21(_ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int = 200_000) -> Double? {
        guard z >= 0, z < 1, !(c <= 0 && c == c.rounded()) else { return nil }
        var term = 1.0, sum = 1.0
        for k in 0..<maxTerms {
            let n = Double(k)
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            sum += term
            // Terms that overflow will never settle: give up at once rather than after maxTerms.
            guard sum.isFinite else { return nil }
            // A zero parameter ends the series; otherwise stop once terms are negligible and shrinking.
            if term == 0 || (abs(term) <= 1e-17 * abs(sum) && abs((a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2)) * z) < 1) {
                return sum.isFinite ? sum : nil
            }
        }
        return nil
    }
}
