/// What a model of repeat purchasing says of a customer (BG/NBD, Pareto/NBD).
public protocol PurchaseModel: Sendable {
    /// P(alive | x, t_x, T).
    func probabilityAlive(x: Double, tx: Double, T: Double) -> Double
    /// E[Y(t) | alive, x, T]: the expected purchases in the next `t` time units of a customer
    /// known to be alive, which does not depend on t_x; nil when the series does not settle.
    /// Customers share it far more often than they share (x, t_x, T).
    func expectedPurchasesIfAlive(in t: Double, x: Double, T: Double) -> Double?
    /// E[X(t)]: a new customer's expected purchases in `t` time units.
    func expectedPurchases(in t: Double) -> Double?
    var parameters: [Double] { get }
}

extension PurchaseModel {
    /// E[Y(t) | x, t_x, T] = E[Y(t) | alive, x, T] · P(alive | x, t_x, T): expected purchases
    /// in the next `t` time units; nil when a series does not settle.
    public func expectedPurchases(in t: Double, x: Double, tx: Double, T: Double) -> Double? {
        guard t > 0 else { return 0 }
        let alive = probabilityAlive(x: x, tx: tx, T: T)
        guard alive.isFinite, let ifAlive = expectedPurchasesIfAlive(in: t, x: x, T: T) else { return nil }
        return ifAlive * alive
    }
}
