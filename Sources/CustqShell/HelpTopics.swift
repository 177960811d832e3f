import CustqEngine
import CustqLanguage

/// `.help TOPIC`: a few lines on one command, query form or part of the language.
enum HelpTopics {
    static let forms: [(name: String, text: String)] = [
        ("top", """
            top N by EXPR [asc|desc] [show ITEMS] [where COND]
            bottom N by EXPR [show ITEMS] [where COND]
              The N rows with the largest (bottom: smallest) EXPR, with the table's key and name.
              Ties go to the smaller key; rows where EXPR is null are left out.
              top 10 by clv where tier = A
              bottom 5 by csat where region = 华东 show city
            """),
        ("show", """
            show ITEMS|* [where COND] [order by EXPR [asc|desc], …] [limit N]
              Rows, with the listed columns or expressions (as NAME renames one).
              show name, region, annual_revenue * margin as profit where churned order by profit desc limit 20
            """),
        ("count", """
            count [by GROUPS] [where COND]
              Rows, or rows per group. count(COND) counts rows where COND is true.
              count by region
              count where signup_date >= 2024-01-01 and region in (North, East)
            """),
        ("aggregates", """
            AGG, AGG … [by GROUPS] [where COND] [order by …] [limit N]
              count, count(COND), sum, avg, min, max, median, stddev, p25, p75, p90, p95, p99,
              distinct, share(COND); each as `avg clv` or `avg(clv)`, optionally `as NAME`.
              Groups come out ordered by their values (nulls last) unless order by says otherwise.
              avg clv, count by region, tier
              sum annual_revenue, share(churned) by segment order by segment
            """),
        ("describe", """
            describe [COLUMNS] [where COND]
              Per column: count, nulls, distinct, min, p25, median, p75, max, mean, std,
              and the most frequent values of text columns.
              describe annual_revenue, nps_score
            """),
        ("histogram", """
            histogram EXPR [bins N] [where COND]
              Counts in N equal-width bins (10 by default) from the smallest to the largest value.
              histogram nps_score bins 5
            """),
        ("chart", """
            chart AGG by GROUP [where COND]
              One aggregate per group, drawn as bars scaled to the terminal.
              chart avg annual_revenue by region
            """),
        ("rfm", """
            rfm [by GROUP] [where COND] [order by COLUMN [desc]] [limit N]
              Customers per RFM segment, best first: customers, share, orders, revenue, revenue
              share, average recency/frequency/monetary. Scores 1–5 by equal-count groups (SQL
              NTILE(5)); .scoring cutpoints scores by value cut points instead. r_score, f_score,
              m_score, rfm_cell and rfm_segment are columns in any query.
              rfm by region
              top 20 by monetary where rfm_segment = "At Risk"
            """),
        ("abc", """
            abc by EXPR [where COND] [order by COLUMN [desc]] [limit N]
              Customers by their share of EXPR's total, largest first: A while the running share is
              at most abc_a_share (80%), B at most abc_b_share (95%), C the rest.
              abc by monetary
              define abc_a_share = 70
            """),
        ("cohort", """
            cohort [by month|quarter|year] [where COND]
              Customers by the period of their first order (rows) and the share of each cohort with
              an order in each period since (columns; blank: not reached by the as-of date). Reads
              the orders table; orders after the as-of date are left out.
              cohort by quarter
              cohort where customers.region = North
            """),
        ("retention", """
            retention [by month|quarter|year] [where COND]
              A row per period of the orders: customers active (a purchase in it), new (their
              first), retained (active the period before too), reactivated; retention % =
              retained / active the period before, churn % = 100 − it, and the contractual
              (E − N)/S form beside them, labelled. Orders after the as-of date are left out.
              retention by quarter
            growth [by month|quarter|year] [where COND]
              New customers, active customers, revenue (every line, returns net off) and its
              growth over the period before, in %.
              growth by year
            concentration by EXPR [where COND]
              The share of EXPR's total held by the top 1, 5, 10, 20 and 50 % of customers.
              concentration by monetary
            """),
        ("lifecycle", """
            lifecycle (a column of customers)
              Each customer's stage, from their orders and the as-of date: potential (no order
              yet), new (first order within lifecycle_new_days, 90), active (last order within
              lifecycle_active_days, 90), silent (within lifecycle_silent_days, 365), churned.
              Groups by it are listed in that order.
              count by lifecycle
              define lifecycle_silent_days = 180
            """),
        ("metrics", """
            metrics
              Every metric of the library and your definitions: its names in English and Chinese,
              its unit, whether it is a value per customer or a measure over a group, and whether
              the loaded data has what it needs (and if not, what is missing).
            """),
        ("explain", """
            explain NAME
              What a metric means, its formula and conventions, what it reads down to the columns,
              and a worked example on the loaded data (the as-of date it used, rows without a value).
              explain nps
              explain clv
            """),
        ("clv", """
            clv fit [bgnbd|pnbd] [by day|week|month]
            clv
            clv check
            clv track
              Fits BG/NBD (or Pareto/NBD with pnbd) for repeat purchases and Gamma-Gamma for
              spend per purchase on the orders up to the as-of date, by maximum likelihood:
              parameters with standard errors, the log-likelihood, AIC and whether the fit
              converged. Times in weeks unless by says otherwise (a month is 30.4375 days). clv_summary then holds each customer's x
              (repeat purchase days), t_x, T and m (mean repeat spend). clv shows the fit again.
              Each customer then has p_alive, expected_purchases(t), expected_spend and
              predicted_clv(months [, monthly_discount]) (1% a month by default).
              With .asof before the end of the orders, the rest is the holdout: clv check compares
              the model with it by calibration purchases (0 to 7+), clv track week by week.
              .asof 1997-09-30
              clv fit
              top 10 by predicted_clv(12) show p_alive, expected_purchases(39)
              from clv_summary top 10 by x
            """),
        ("define", """
            define NAME = EXPR
              A per-row column usable in any query, or, when EXPR aggregates, a measure. A name
              of the metric library is replaced by yours until undefine NAME brings it back.
              define clv = annual_revenue * lifetime_years * margin
              define churn = share(churned)
              define annual_revenue = yearly_spend     (maps your export's column name)
              undefine clv
            """),
        ("functions", """
            Numbers   abs round floor ceil sqrt ln exp    round(x, 2)
            Dates     year month days_between today month_of
                        days_between(signup_date, today()), count by month_of(order_date)
            Choices   if coalesce    if(churned, 0, annual_revenue), coalesce(phone, email)
            Text      lower upper length trim substr replace concat
                      contains starts_with ends_with like ilike
                        substr(sku, 1, 3): from the 1st; substr(sku, -3): the last 3
                        replace(name, 'Ltd', ''), contains(email, '@')
                        name like 'A%': % any text, _ one character; ilike: any case
                        first || ' ' || last: null if either is; concat() skips nulls
            Convert   date(x [, format])  timestamp(x [, format])
                      number(x)  integer(x)  text(x)
                        date('31/01/2024'): day or month first as all values allow
                        date(ordered, '%d.%m.%Y'), timestamp(t, '%m/%d/%Y %I:%M %p')
                        number('¥1,234.50') 1234.5, number('(300.00)') -300
                        number('25%') 0.25, integer('3.5') 4, text(customer_id) '17850'
                      A value that does not convert is null; the result says how many.
                      Format codes: %Y %y %m %d %b %H %I %M %S %p %z %%
            Segments  ntile(k, x) qcut(k, x) abc(x [, a, b]) total(x) prefer(a, b)
            Models    expected_purchases(t) predicted_clv(months [, discount])   (after clv fit)
                      bgnbd_p_alive bgnbd_expected_purchases bgnbd_gg_clv gg_expected_spend
                      pnbd_p_alive pnbd_expected_purchases pnbd_gg_clv
                        the kernels, on a summary and parameters of your own (.help clv)
            Operators: + - * / % ||   = != < <= > >=   and or not   [not] like
                       [not] in (…)   between … and …   is [not] null
            Numbers may be written 10k, 1.5m, 20%; dates 2024-01-31; text 'x' or "x".
            """),
        ("formats", """
            .format table|csv|tsv|json|ndjson|markdown   (or --format on the command line)
              table is for people; csv, tsv, json and ndjson are exact (full precision, ISO dates,
              null as an empty field or JSON null); markdown is for reports.
            """),
    ]

    static var names: [String] { forms.map(\.name) + DotCommand.catalogue.map(\.name) }

    static func text(for topic: String) -> String? {
        let key = topic.lowercased().trimmingPrefix(".")
        if let form = forms.first(where: { $0.name == key }) { return form.text + "\n" }
        if key == "bottom" { return text(for: "top") }
        if key == "undefine" { return text(for: "define") }
        if key == "growth" || key == "concentration" { return text(for: "retention") }
        if key == "exit" || key == "q" { return text(for: "quit") }
        if key == "mode" { return text(for: "format") }
        if FunctionRegistry.named(String(key))?.kind == .aggregate { return text(for: "aggregates") }
        if let command = DotCommand.catalogue.first(where: { $0.name == key }) {
            return command.usage + "\n  " + command.help + "\n"
        }
        return nil
    }
}
