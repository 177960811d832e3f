#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CustqModels

/// The kernels of the predictive model functions (bgnbd_p_alive, bgnbd_expected_purchases,
/// gg_expected_spend, bgnbd_gg_clv): each row's values of the customer summary and the
/// model's parameters in, the model's closed form out (CustqModels). A row with a null
/// argument, or where the model gives no value (a series that does not settle, q ≤ 1), is null.
enum ModelFunctions {
    /// The purchase model of four parameters, from a row's values.
    typealias MakeModel = @Sendable (ArraySlice<Double>) -> any PurchaseModel
    static let bgnbd: MakeModel = { v in BGNBD(r: v[v.startIndex], alpha: v[v.startIndex + 1], a: v[v.startIndex + 2], b: v[v.startIndex + 3]) }
    static let pnbd: MakeModel = { v in ParetoNBD(r: v[v.startIndex], alpha: v[v.startIndex + 1], s: v[v.startIndex + 2], beta: v[v.startIndex + 3]) }

    /// bgnbd_p_alive(x, t_x, T, r, alpha, a, b), pnbd_p_alive(x, t_x, T, r, alpha, s, beta)
    static func pAlive(_ make: @escaping MakeModel) -> Functions.Kernel {
        { args, context in
            perRow(args, count: context.count) { v in make(v[3...6]).probabilityAlive(x: v[0], tx: v[1], T: v[2]) }
        }
    }

    /// …_expected_purchases(t, x, t_x, T, four parameters): E[Y(t) | x, t_x, T].
    static func expectedPurchases(_ make: @escaping MakeModel) -> Functions.Kernel {
        { args, context in
            perRow(args, count: context.count) { v in make(v[4...7]).expectedPurchases(in: v[0], x: v[1], tx: v[2], T: v[3]) }
        }
    }

    /// gg_expected_spend(x, m, p, q, v): E[M | x, m]; a customer with no repeat purchase
    /// (m null) gets the population mean.
    static func expectedSpend(_ args: [Vector], _ context: Functions.Context) -> Vector {
        var spendArgs = args
        spendArgs[1] = withZeroForNull(args[1])
        return perRow(spendArgs, count: context.count) { v in
            GammaGamma(p: v[2], q: v[3], v: v[4]).expectedSpend(x: v[0], m: v[1])
        }
    }

    /// …_gg_clv(months, monthly_discount, unit_days, x, t_x, T, m, four purchase parameters, p, q, v):
    /// Σ over months i of E[M] · (E[Y(i·f)] − E[Y((i−1)·f)]) / (1 + d)^i, f the model's time
    /// units per month of 30.4375 days (CLV.md, "CLV over a horizon").
    static func customerValue(_ make: @escaping MakeModel) -> Functions.Kernel {
        { args, context in customerValue(args, count: context.count, make) }
    }

    private static func customerValue(_ args: [Vector], count: Int, _ make: MakeModel) -> Vector {
        var valueArgs = args
        valueArgs[6] = withZeroForNull(args[6])
        return perRow(valueArgs, count: count) { v in
            let months = Int(v[0].rounded()), discount = v[1], perMonth = 30.4375 / v[2]
            guard months >= 0, months <= 1200, discount > -1 else { return nil }
            let purchases = make(v[7...10])
            guard let spend = GammaGamma(p: v[11], q: v[12], v: v[13]).expectedSpend(x: v[3], m: v[6]) else { return nil }
            var total = 0.0, before = 0.0
            for month in stride(from: 1, through: months, by: 1) {
                guard let upTo = purchases.expectedPurchases(in: Double(month) * perMonth, x: v[3], tx: v[4], T: v[5]) else { return nil }
                total += spend * (upTo - before) / pow(1 + discount, Double(month))
                before = upTo
            }
            return total
        }
    }

    /// The closed form on each row's arguments as doubles; null where one is null or the
    /// form gives none.
    private static func perRow(_ args: [Vector], count: Int, _ form: ([Double]) -> Double?) -> Vector {
        let columns = args.map { vector -> [Double] in
            guard case .decimal(let values) = Functions.toDecimal(vector).storage else { return [] }
            return values
        }
        var out = [Double](repeating: 0, count: count)
        var nulls = [Bool](repeating: false, count: count)
        var row = [Double](repeating: 0, count: args.count)
        for i in 0..<count {
            var missing = false
            for (index, vector) in args.enumerated() {
                guard !vector.isNull(i), index < columns.count, i < columns[index].count else { missing = true; break }
                row[index] = columns[index][i]
            }
            if !missing, let value = form(row), value.isFinite {
                out[i] = value
            } else {
                nulls[i] = true
            }
        }
        return Vector(storage: .decimal(out), nulls: nulls.contains(true) ? nulls : nil)
    }

    /// A customer with no repeat purchase has no mean repeat spend; the model reads 0 there.
    private static func withZeroForNull(_ v: Vector) -> Vector {
        guard let nulls = v.nulls, case .decimal(let values) = Functions.toDecimal(v).storage else { return v }
        return Vector(storage: .decimal(values.indices.map { nulls[$0] ? 0 : values[$0] }), nulls: nil)
    }
}
