/// What a model of repeat purchasing says of a customer (BG/NBD, Pareto/NBD).
public protocol PurchaseModel: Sendable {
    /// P(alive | x, t_x, T).
    func probabilityAlive(x: Double, tx: Double, T: Double) -> Double
    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` time units; nil when the
    /// series does not settle.
    func expectedPurchases(in t: Double, x: Double, tx: Double, T: Double) -> Double?
    /// E[X(t)]: a new customer's expected purchases in `t` time units.
    func expectedPurchases(in t: Double) -> Double?
    var parameters: [Double] { get }
}
