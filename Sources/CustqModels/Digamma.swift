#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ψ(x) = d ln Γ(x) / dx for x > 0, which the analytic gradients of the likelihoods need:
/// the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series
/// ln x − 1/(2x) − Σ B₂ₖ / (2k x²ᵏ), whose terms to x⁻¹² leave under 1e-15 there
/// (Abramowitz & Stegun 6.3.5 and 6.3.18).
func digamma(_ value: Double) -> Double {
    var x = value, shift = 0.0
    while x < 10 {
        shift -= 1 / x
        x += 1
    }
    let inverse2 = 1 / (x * x)
    let series = inverse2 * (1.0 / 12 - inverse2 * (1.0 / 120 - inverse2 * (1.0 / 252 - inverse2 * (1.0 / 240 - inverse2 * (1.0 / 132 - inverse2 * 691.0 / 32760)))))
    return shift + log(x) - 0.5 / x - series
}
