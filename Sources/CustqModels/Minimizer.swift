/// Unconstrained minimisation for model fitting: BFGS with a backtracking (Armijo) line
/// search, on analytic gradients or central differences, and the Hessian at the minimum for
/// standard errors. The models minimise over log-parameters, so every point is a valid
/// parameter set.
public enum Minimizer {
    public struct Minimum: Sendable {
        public var point: [Double]
        public var value: Double
        /// The largest gradient component at `point`.
        public var gradientNorm: Double
        public var iterations: Int
        /// Whether the gradient vanished (to `gradientTolerance`) rather than the search stalling.
        public var converged: Bool
    }

    /// A function to minimise, and how its gradient is had.
    public enum Objective {
        /// Values only: gradients by central differences (2n values each).
        case numeric(([Double]) -> Double)
        /// The value and its gradient from one evaluation.
        case analytic(([Double]) -> (value: Double, gradient: [Double]))

        public func value(at x: [Double]) -> Double {
            switch self {
            case .numeric(let f): f(x)
            case .analytic(let f): f(x).value
            }
        }

        public func gradient(at x: [Double]) -> [Double] {
            switch self {
            case .numeric(let f): Minimizer.gradient(f, at: x)
            case .analytic(let f): f(x).gradient
            }
        }

        /// The value, with the gradient when it comes at little extra cost.
        func valueAndCheapGradient(at x: [Double]) -> (value: Double, gradient: [Double]?) {
            switch self {
            case .numeric(let f): (f(x), nil)
            case .analytic(let f): f(x)
            }
        }
    }

    /// `giveUp`: asked after every step; true ends the search there, unconverged (a
    /// parameter running off to a boundary, where the likelihood keeps creeping up).
    public static func minimize(_ objective: Objective, from start: [Double], gradientTolerance: Double = 1e-7,
                                maxIterations: Int = 1000, giveUp: (([Double]) -> Bool)? = nil) -> Minimum {
        let n = start.count
        var x = start
        var (value, g) = objective.valueAndCheapGradient(at: x)
        var gradient = g ?? objective.gradient(at: x)
        var inverse = identity(n)
        var iterations = 0
        var history: [Double] = []
        while iterations < maxIterations {
            let norm = gradient.map(abs).max() ?? 0
            if norm < gradientTolerance { return Minimum(point: x, value: value, gradientNorm: norm, iterations: iterations, converged: true) }
            var direction = multiply(inverse, gradient).map { -$0 }
            var slope = dot(gradient, direction)
            if !(slope < 0) {
                inverse = identity(n)
                direction = gradient.map { -$0 }
                slope = dot(gradient, direction)
            }
            // At most 5 in any log-parameter per step: e^5 is a large move already.
            var step = min(1, 5 / (direction.map(abs).max() ?? 1))
            var next = x, nextValue = Double.nan, nextGradient: [Double]?
            var found = false
            for _ in 0..<60 {
                next = zip(x, direction).map { $0 + step * $1 }
                (nextValue, nextGradient) = objective.valueAndCheapGradient(at: next)
                if nextValue.isFinite, nextValue <= value + 1e-4 * step * slope { found = true; break }
                step /= 2
            }
            guard found else { break }
            let nextG = nextGradient ?? objective.gradient(at: next)
            let s = zip(next, x).map { $0 - $1 }, y = zip(nextG, gradient).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-12 { inverse = updated(inverse, s: s, y: y, sy: sy) }
            let settled = abs(value - nextValue) <= 1e-15 * max(1, abs(value))
            (x, value, gradient) = (next, nextValue, nextG)
            iterations += 1
            if giveUp?(x) == true { break }
            // Crawling along a ridge: 25 steps gained less than 1e-10 of the value.
            history.append(value)
            if history.count > 25, history[history.count - 26] - value <= 1e-10 * max(1, abs(value)) { break }
            if settled, (gradient.map(abs).max() ?? 0) < gradientTolerance * 100 { break }
        }
        let norm = gradient.map(abs).max() ?? 0
        return Minimum(point: x, value: value, gradientNorm: norm, iterations: iterations, converged: norm < gradientTolerance * 100)
    }

    /// Central differences, each step scaled to its coordinate.
    public static func gradient(_ f: ([Double]) -> Double, at x: [Double]) -> [Double] {
        (0..<x.count).map { i in
            let h = 1e-6 * max(1, abs(x[i]))
            var up = x, down = x
            up[i] += h
            down[i] -= h
            return (f(up) - f(down)) / (2 * h)
        }
    }

    /// The Hessian of the objective at `x`: central differences of the analytic gradient
    /// (symmetrised), or second differences of the values.
    public static func hessian(_ objective: Objective, at x: [Double]) -> [[Double]] {
        let n = x.count
        let h = x.map { 1e-4 * max(1, abs($0)) }
        var result = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        switch objective {
        case .analytic:
            let columns = (0..<n).map { j in
                var up = x, down = x
                up[j] += h[j]
                down[j] -= h[j]
                return zip(objective.gradient(at: up), objective.gradient(at: down)).map { ($0 - $1) / (2 * h[j]) }
            }
            for i in 0..<n {
                for j in 0..<n { result[i][j] = (columns[j][i] + columns[i][j]) / 2 }
            }
        case .numeric(let f):
            for i in 0..<n {
                for j in i..<n {
                    func at(_ di: Double, _ dj: Double) -> Double {
                        var p = x
                        p[i] += di * h[i]
                        p[j] += dj * h[j]
                        return f(p)
                    }
                    let value = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * h[j])
                    result[i][j] = value
                    result[j][i] = value
                }
            }
        }
        return result
    }

    /// The inverse of a symmetric positive definite matrix, by Cholesky; nil when it is not
    /// positive definite.
    public static func inverseOfPositiveDefinite(_ m: [[Double]]) -> [[Double]]? {
        let n = m.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = m[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i][i] = sum.squareRoot()
                } else {
                    l[i][j] = sum / l[j][j]
                }
            }
        }
        // Columns of the inverse: solve L Lᵀ v = eᵢ.
        var inverse = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for column in 0..<n {
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var sum = i == column ? 1.0 : 0
                for k in 0..<i { sum -= l[i][k] * y[k] }
                y[i] = sum / l[i][i]
            }
            var v = [Double](repeating: 0, count: n)
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum = y[i]
                for k in (i + 1)..<n { sum -= l[k][i] * v[k] }
                v[i] = sum / l[i][i]
            }
            for i in 0..<n { inverse[i][column] = v[i] }
        }
        return inverse
    }

    private static func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    private static func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] { m.map { dot($0, v) } }

    /// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (s·y).
    private static func updated(_ h: [[Double]], s: [Double], y: [Double], sy: Double) -> [[Double]] {
        let n = s.count, rho = 1 / sy
        let hy = multiply(h, y)
        let yhy = dot(y, hy)
        var result = h
        for i in 0..<n {
            for j in 0..<n {
                result[i][j] += (1 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j])
            }
        }
        return result
    }
}
