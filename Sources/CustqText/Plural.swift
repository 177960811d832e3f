/// Counts in messages: "1 row", "2 rows", "1,923 customers" — never "1 rows".
public enum Plural {
    /// `count` with thousands separators and `noun`, made plural with an s unless given.
    public static func count(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        NumberFormat.grouped(count) + " " + (count == 1 ? noun : plural ?? noun + "s")
    }
}
