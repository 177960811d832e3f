/// How a column writes day and month when the year comes last.
public enum DateOrder: Equatable {
    /// `12/31/2024`: the US order, Excel's default for English exports.
    case monthFirst
    /// `31/12/2024`: most of the world.
    case dayFirst
}
