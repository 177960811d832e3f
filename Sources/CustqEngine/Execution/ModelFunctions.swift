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
    /// The purchase model of four parameters.
    typealias MakeModel<Model: PurchaseModel> = @Sendable (Double, Double, Double, Double) -> Model
    static let bgnbd: MakeModel<BGNBD> = { BGNBD(r: $0, alpha: $1, a: $2, b: $3) }
    static let pnbd: MakeModel<ParetoNBD> = { ParetoNBD(r: $0, alpha: $1, s: $2, beta: $3) }

    /// A row's arguments as doubles.
    typealias Row = UnsafeMutableBufferPointer<Double>

    /// bgnbd_p_alive(x, t_x, T, r, alpha, a, b), pnbd_p_alive(x, t_x, T, r, alpha, s, beta)
    static func pAlive<Model>(_ make: @escaping MakeModel<Model>) -> Functions.Kernel {
        { args, context in
            perRow(args, count: context.count) {
                var predictor = Predictor(make)
                return { v in predictor.model(v, at: 3).probabilityAlive(x: v[0], tx: v[1], T: v[2]) }
            }
        }
    }

    /// …_expected_purchases(t, x, t_x, T, four parameters): E[Y(t) | x, t_x, T].
    static func expectedPurchases<Model>(_ make: @escaping MakeModel<Model>) -> Functions.Kernel {
        { args, context in
            perRow(args, count: context.count) {
                var predictor = Predictor(make)
                return { v in predictor.expectedPurchases(in: v[0], x: v[1], tx: v[2], T: v[3], model: predictor.model(v, at: 4)) }
            }
        }
    }

    /// gg_expected_spend(x, m, p, q, v): E[M | x, m]; a customer with no repeat purchase
    /// (m null) gets the population mean.
    static func expectedSpend(_ args: [Vector], _ context: Functions.Context) -> Vector {
        var spendArgs = args
        spendArgs[1] = withZeroForNull(args[1])
        return perRow(spendArgs, count: context.count) {
            { v in GammaGamma(p: v[2], q: v[3], v: v[4]).expectedSpend(x: v[0], m: v[1]) }
        }
    }

    /// …_gg_clv(months, monthly_discount, unit_days, x, t_x, T, m, four purchase parameters, p, q, v):
    /// Σ over months i of E[M] · (E[Y(i·f)] − E[Y((i−1)·f)]) / (1 + d)^i, f the model's time
    /// units per month of 30.4375 days (CLV.md, "CLV over a horizon").
    static func customerValue<Model>(_ make: @escaping MakeModel<Model>) -> Functions.Kernel {
        { args, context in customerValue(args, count: context.count, make) }
    }

    private static func customerValue<Model>(_ args: [Vector], count: Int, _ make: @escaping MakeModel<Model>) -> Vector {
        var valueArgs = args
        valueArgs[6] = withZeroForNull(args[6])
        return perRow(valueArgs, count: count) {
          var predictor = Predictor(make)
          return { v in
            let months = Int(v[0].rounded()), discount = v[1], perMonth = 30.4375 / v[2]
            guard months >= 0, months <= 1200, discount > -1 else { return nil }
            guard let spend = GammaGamma(p: v[11], q: v[12], v: v[13]).expectedSpend(x: v[3], m: v[6]) else { return nil }
            let purchases = predictor.model(v, at: 7)
            var total = 0.0, before = 0.0
            for month in stride(from: 1, through: months, by: 1) {
                guard let upTo = predictor.expectedPurchases(in: Double(month) * perMonth, x: v[3], tx: v[4], T: v[5],
                                                             model: purchases) else { return nil }
                total += spend * (upTo - before) / pow(1 + discount, Double(month))
                before = upTo
            }
            return total
          }
        }
    }

    /// A purchase model made once for the parameters of many rows, and E[Y(t) | alive, x, T]
    /// (a hypergeometric series for BG/NBD) worked out once per distinct (t, x, T): customers
    /// share it far more often than they share (x, t_x, T).
    struct Predictor<Model: PurchaseModel> {
        private let make: MakeModel<Model>
        private var parameters: (Double, Double, Double, Double) = (.nan, .nan, .nan, .nan)
        private var current: Model?
        private var ifAlive: [Key: Double?] = [:]

        private struct Key: Hashable {
            var t: Double, x: Double, T: Double
        }

        init(_ make: @escaping MakeModel<Model>) {
            self.make = make
        }

        /// The model of the four parameters at `start` in the row.
        mutating func model(_ row: Row, at start: Int) -> Model {
            let values = (row[start], row[start + 1], row[start + 2], row[start + 3])
            if let current, values == parameters { return current }
            let model = make(values.0, values.1, values.2, values.3)
            (parameters, current, ifAlive) = (values, model, [:])
            return model
        }

        /// E[Y(t) | x, t_x, T] of `model`, which is the last one `model(_:at:)` gave.
        mutating func expectedPurchases(in t: Double, x: Double, tx: Double, T: Double, model: Model) -> Double? {
            guard t > 0 else { return 0 }
            let alive = model.probabilityAlive(x: x, tx: tx, T: T)
            guard alive.isFinite else { return nil }
            let key = Key(t: t, x: x, T: T)
            let factor: Double?
            if let known = ifAlive[key] {
                factor = known
            } else {
                factor = model.expectedPurchasesIfAlive(in: t, x: x, T: T)
                ifAlive[key] = factor
            }
            return factor.map { $0 * alive }
        }
    }

    /// The closed form on each row's arguments as doubles; null where one is null or the
    /// form gives none. The arguments are laid out column after column, so a row's values
    /// are read with a stride. The rows are shared among the cores, each range with its own
    /// form from `makeForm` (a form may remember what it worked out for earlier rows).
    private static func perRow(_ args: [Vector], count: Int, _ makeForm: () -> (Row) -> Double?) -> Vector {
        var values = [Double](repeating: 0, count: args.count * count)
        var nulls = [Bool](repeating: false, count: count)
        for (index, vector) in args.enumerated() {
            guard case .decimal(let column) = Functions.toDecimal(vector).storage, column.count >= count else {
                nulls = [Bool](repeating: true, count: count)
                continue
            }
            values.withUnsafeMutableBufferPointer { values in
                for i in 0..<count { values[index * count + i] = column[i] }
            }
            if let missing = vector.nulls {
                for i in 0..<count where missing[i] { nulls[i] = true }
            }
        }
        var out = [Double](repeating: 0, count: count)
        let width = args.count
        values.withUnsafeBufferPointer { values in
            out.withUnsafeMutableBufferPointer { out in
                nulls.withUnsafeMutableBufferPointer { nulls in
                    RowRanges.forEach(count) { range in
                        let form = makeForm()
                        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: width)
                        defer { row.deallocate() }
                        for i in range where !nulls[i] {
                            for index in 0..<width { row[index] = values[index * count + i] }
                            if let value = form(row), value.isFinite {
                                out[i] = value
                            } else {
                                nulls[i] = true
                            }
                        }
                    }
                }
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
