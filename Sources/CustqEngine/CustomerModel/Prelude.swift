/// The built-in metric library, written in custq's own language and loaded at start
/// (`--no-prelude` skips it). Formulas and conventions follow METRICS.md and DESIGN.md;
/// `metrics` lists these, `explain NAME` teaches one, and `define` replaces any of them.
public enum Prelude {
    public static let source = #"""
    -- Value
    define clv = annual_revenue * lifetime_years * margin
      label 'Customer lifetime value (simple, profit-based)' chinese '客户终身价值' kind 'Value' unit 'currency'
      about 'Average annual revenue × expected lifetime in years × profit margin: the profit a customer brings over the whole relationship. This is the simple formula of the source article, not a discounted or predictive model.'
      note 'A customer with any of the three inputs missing has no CLV.'
    define revenue_ltv = annual_revenue * lifetime_years
      label 'Lifetime revenue' chinese '客户终身收入' kind 'Value' unit 'currency'
      about 'Average annual revenue × lifetime in years: what a customer pays over the relationship, before costs.'
    define gross_profit = annual_revenue * margin
      label 'Annual gross profit' chinese '年毛利' kind 'Value' unit 'currency per year'
      about 'Annual revenue × profit margin.'
    define gross_margin_rate = 100.0 * sum(annual_revenue * margin) / sum(annual_revenue)
      label 'Gross margin rate' chinese '毛利率' kind 'Value' unit '%'
      about 'Gross profit as a share of revenue, pooled: total profit over total revenue, not an average of customer margins.'
    define contribution_share = 100.0 * gross_profit / total(gross_profit)
      label 'Contribution share' chinese '贡献占比' kind 'Value' unit '% of all customers'' gross profit'
      about 'The customer''s share of the gross profit of all customers in the table (on profit; customers with no profit figure are left out of the total).'
      note 'The total is over every row of the table, whatever the where filter.'
    define aov = prefer(sum(orders.amount) / frequency, annual_revenue * lifetime_years / orders_count)
      label 'Average order value' chinese '客单价' kind 'Value' unit 'currency per order'
      about 'Spend per order: what the customer spent (returns netted) over their orders, or lifetime revenue over the order count when no orders table is loaded.'
      note 'Customers without orders have no AOV (never 0).'
    define retention_clv(m, r, d) = m * r / (1 + d - r)
      label 'Retention-based CLV' chinese '基于留存率的客户价值' kind 'Value' unit 'currency'
      about 'm × r / (1 + d − r): the value of a customer who brings margin m per period, stays each period with probability r and is discounted at d per period (METRICS.md D1 iii), e.g. retention_clv(gross_profit, 0.8, 0.1). r and d are fractions, not percent.'
    define cac = avg(acquisition_cost)
      label 'Customer acquisition cost' chinese '获客成本' kind 'Value' unit 'currency per customer'
      about 'The mean cost of winning a customer, from the acquisition_cost column.'
    define ltv_cac_ratio = clv / acquisition_cost
      label 'LTV to CAC ratio' chinese '客户价值与获客成本比' kind 'Value' unit 'ratio'
      about 'CLV over what the customer cost to acquire; above 3 is the usual rule of thumb for healthy acquisition.'
      note 'A zero acquisition cost gives no ratio (null), not infinity.'

    -- Satisfaction: functions of one survey question, then the library's questions
    define nps_of(q) = 100.0 * (count(q >= 9) - count(q <= 6)) / count(q)
      label 'Net Promoter Score of a question' chinese '净推荐值' kind 'Satisfaction' unit 'points, -100 to 100'
      about 'NPS of any 0–10 question: the share of answers of 9–10 minus the share of 0–6, over the answers given. nps is this over nps_score.'
      note 'Blank answers are not responses; answers outside 0–10 should be filtered first.'
    define csat_of(q) = 100.0 * count(q >= 4) / count(q)
      label 'Satisfaction of a question (top-2-box)' chinese '满意度' kind 'Satisfaction' unit '%'
      about 'CSAT of any 1–5 question: the share of answers of 4 or 5 (satisfied or very satisfied), over the answers given. Product, service, price and overall satisfaction (产品 / 服务 / 价格 / 综合满意度) are each csat_of their own question.'
      note 'Blank answers are left out of the denominator.'
    define top2box(q) = csat_of(q)
      label 'Top-2-box share' chinese '前两项满意占比' kind 'Satisfaction' unit '%'
      about 'The share of answers of 4 or 5 on a 1–5 scale: the same as csat_of, by the name survey tools use.'
    define mean_score_of(q) = avg(q)
      label 'Mean score of a question' chinese '平均得分' kind 'Satisfaction' unit 'score'
      about 'The average answer to a question, over the answers given (the mean method beside top-2-box).'
    define nps = prefer(100.0 * (sum(count(responses.nps_score >= 9)) - sum(count(responses.nps_score <= 6))) / sum(count(responses.nps_score)), nps_of(nps_score))
      label 'Net Promoter Score' chinese '净推荐值' kind 'Satisfaction' unit 'points, -100 to 100'
      about 'Answers to how likely a customer is to recommend you (0–10): the share of promoters (9–10) minus the share of detractors (0–6). Passives (7–8) count only in the denominator.'
      note 'Pooled over answers, never an average of group NPS; blank answers are not responses.'
      note 'Read from the responses table (every answer) when it is loaded, else from the customers'' nps_score column.'
    define nps_group = if(nps_score is null, null, if(nps_score >= 9, 'promoter', if(nps_score >= 7, 'passive', 'detractor')))
      label 'NPS group' chinese '推荐者/中立者/批评者' kind 'Satisfaction'
      levels 'promoter, passive, detractor'
      about 'promoter (9–10), passive (7–8) or detractor (0–6); null when the customer did not answer.'
    define csat = prefer(100.0 * sum(count(responses.csat >= 4)) / sum(count(responses.csat)), csat_of(csat))
      label 'Customer satisfaction (top-2-box)' chinese '客户满意度' kind 'Satisfaction' unit '%'
      about 'The share of answers on the 1–5 scale that are 4 or 5 (satisfied or very satisfied).'
      note 'Blank answers are left out of the denominator; use csat_mean for the average score.'
      note 'Read from the responses table when it is loaded, else from the customers'' csat column.'
    define csat_mean = prefer(sum(sum(responses.csat)) / sum(count(responses.csat)), avg(csat))
      label 'Mean satisfaction score' chinese '平均满意度' kind 'Satisfaction' unit 'score, 1 to 5'
      about 'The average answer on the 1–5 satisfaction scale.'
    define referral_rate = 100.0 * count(referrals > 0) / count(referrals)
      label 'Referral rate' chinese '推荐率' kind 'Satisfaction' unit '%'
      about 'The share of customers who referred at least one new customer.'
    define avg_response_hours = avg(avg_response_hours)
      label 'Average response time' chinese '平均响应时长' kind 'Service' unit 'hours'
      about 'The mean of the customers'' average response hours. In a per-customer expression the name means the column itself.'
    define complaint_rate = 100.0 * count(complaints > 0) / count(complaints)
      label 'Complaint rate' chinese '投诉率' kind 'Service' unit '%'
      about 'The share of customers with at least one complaint (customer-based, not complaints per customer).'

    -- Retention
    define churn_rate = prefer(100.0 * count(churned) / count(churned is not null), 100.0 * count(lifecycle = 'churned') / count(lifecycle))
      label 'Churn rate' chinese '客户流失率' kind 'Retention' unit '%'
      about 'The share of customers marked as churned (lost); without a churned column, the share of customers in lifecycle stage churned (no order for over lifecycle_silent_days).'
      note 'Customers with no churned value are left out of the denominator.'
    define retention_rate = prefer(100.0 * count(not churned) / count(churned is not null), 100.0 - churn_rate)
      label 'Retention rate' chinese '客户留存率' kind 'Retention' unit '%'
      about 'The share of customers not churned: 100 − churn rate.'
    define frequency = prefer(distinct(orders.purchase_id), prefer(count(orders), orders_count))
      label 'Purchase frequency' chinese '购买频次' kind 'Retention' unit 'orders'
      about 'How many orders the customer placed: distinct orders in the orders table when it is loaded (an export of order lines counts each order once; cancelled orders and returns are no purchase), else the orders_count column.'
    define repeat_purchase_rate = 100.0 * count(frequency >= 2) / count(frequency >= 1)
      label 'Repeat purchase rate' chinese '复购率' kind 'Retention' unit '%'
      about 'Of the customers who bought at least once, the share who bought at least twice.'
    define monetary = prefer(sum(orders.amount), prefer(total_spent, annual_revenue * lifetime_years))
      label 'Monetary value' chinese '消费金额' kind 'Retention' unit 'currency'
      about 'What the customer spent in total: the sum of the amounts of their order lines (quantity × price when the export has no amount; cancellations and returns net off); without orders, a total_spent column (累计成交金额, Total Spent), else lifetime revenue.'
    define recency_days = prefer(days_between(max(orders.purchase_date), today()), days_between(last_purchase_date, today()))
      label 'Recency' chinese '最近一次购买距今天数' kind 'Retention' unit 'days'
      about 'Days from the last purchase to the as-of date (today(), set with .asof): 0 means a purchase on that day.'
    define tenure_days = days_between(signup_date, today())
      label 'Tenure' chinese '客户关系时长' kind 'Retention' unit 'days'
      about 'Days from sign-up to the as-of date.'
    define purchase_cycle_days = prefer(days_between(min(orders.purchase_date), max(orders.purchase_date)) / (frequency - 1), days_between(first_purchase_date, last_purchase_date) / (orders_count - 1))
      label 'Purchase cycle' chinese '购买周期' kind 'Retention' unit 'days'
      about 'The mean gap between purchases: days from the first to the last purchase over the number of gaps.'
      note 'Customers with fewer than two orders have no cycle (null).'

    -- RFM (DESIGN.md section 5): scores 1–5 by equal-count quintiles (SQL NTILE(5)), ties by customer_id
    \#(ntileScores)
    define rfm_cell = r_score * 100 + f_score * 10 + m_score
      label 'RFM cell' chinese 'RFM组合' kind 'Segmentation' unit 'three digits, e.g. 545'
      about 'The three scores side by side: 545 is recency 5, frequency 4, monetary 5.'
    define rfm_segment = if(r_score is null or f_score is null, null, if(r_score <= 2, if(f_score <= 2, 'Hibernating', if(f_score <= 4, 'At Risk', 'Can''t Lose Them')), if(r_score = 3, if(f_score <= 2, 'About To Sleep', if(f_score = 3, 'Need Attention', 'Loyal Customers')), if(f_score >= 4, if(r_score = 5, 'Champions', 'Loyal Customers'), if(f_score = 1, if(r_score = 4, 'Promising', 'New Customers'), 'Potential Loyalists')))))
      label 'RFM segment' chinese 'RFM客户分群' kind 'Segmentation'
      levels 'Champions, Loyal Customers, Potential Loyalists, New Customers, Promising, Need Attention, About To Sleep, At Risk, Can''t Lose Them, Hibernating'
      about 'The segment of the recency × frequency grid: R≤2,F≤2 Hibernating; R≤2,F 3–4 At Risk; R≤2,F=5 Can''t Lose Them; R=3,F≤2 About To Sleep; R=3,F=3 Need Attention; F≥4,R 3–4 Loyal Customers; R=4,F=1 Promising; R=5,F=1 New Customers; R 4–5,F 2–3 Potential Loyalists; R=5,F≥4 Champions.'

    define rfm_segment_order = if(rfm_segment = 'Champions', 1, if(rfm_segment = 'Loyal Customers', 2, if(rfm_segment = 'Potential Loyalists', 3, if(rfm_segment = 'New Customers', 4, if(rfm_segment = 'Promising', 5, if(rfm_segment = 'Need Attention', 6, if(rfm_segment = 'About To Sleep', 7, if(rfm_segment = 'At Risk', 8, if(rfm_segment = 'Can''t Lose Them', 9, if(rfm_segment = 'Hibernating', 10, null))))))))))
      label 'RFM segment order' chinese 'RFM分群顺序' kind 'Segmentation' unit '1 (Champions) to 10 (Hibernating)'
      about 'The fixed order rfm lists segments in, best first.'
    define abc_a_share = 80
      label 'ABC: A up to' chinese 'A类累计占比上限' kind 'Segmentation' unit '% of the total'
      about 'Customers whose cumulative share of the total, largest first, is at most this are class A.'
    define abc_b_share = 95
      label 'ABC: B up to' chinese 'B类累计占比上限' kind 'Segmentation' unit '% of the total'
      about 'Customers past A whose cumulative share is at most this are class B; the rest are C.'
    define abc_class = abc(monetary, abc_a_share, abc_b_share)
      label 'ABC class' chinese 'ABC分类' kind 'Segmentation' unit 'A, B or C'
      about 'Customers sorted by total spend, largest first (ties by customer_id); the cumulative share of all spend, including the customer, up to abc_a_share (80%) is A, up to abc_b_share (95%) B, the rest C.'
      note 'abc by EXPR classes customers by another value; change a limit with define, e.g. define abc_a_share = 70.'

    define value_tier = if(f_score is null or m_score is null, null, if(f_score + m_score >= 8, 'high', if(f_score + m_score >= 5, 'medium', 'low')))
      label 'Value tier' chinese '客户价值分层' kind 'Segmentation' unit 'high, medium, low'
      levels 'high, medium, low'
      about 'High (高价值客户), medium (中等价值客户) or low (低价值客户) by purchase behaviour: f_score + m_score of 8 or more is high, 5 to 7 medium, 4 or less low (METRICS.md E3).'
      note 'The scores are those of rfm (.scoring ntile, the default, or .scoring cutpoints, the value cut points METRICS.md prefers here); customers without a purchase have no tier.'
    define loyalty_index(w_repeat, w_referral, w_retention) = w_repeat * repeat_purchase_rate + w_referral * referral_rate + w_retention * retention_rate
      label 'Loyalty index (weighted)' chinese '客户忠诚度' kind 'Retention' unit 'weighted %'
      about 'Loyalty is not one number (METRICS.md C4): it is repeat purchase, referral and churn side by side. This index weighs them with weights you give: repeat_purchase_rate, referral_rate and retention_rate (100 − churn) each 0–100 %, so weights summing to 1 keep it on 0–100.'
      note 'Show the parts beside it: loyalty_index(0.5, 0.2, 0.3), repeat_purchase_rate, referral_rate, churn_rate by tier.'

    -- Lifecycle (METRICS.md C5); the thresholds are definitions of their own, so they can be changed
    define lifecycle_new_days = 90
      label 'Lifecycle: new within' chinese '新客户天数' kind 'Segmentation' unit 'days'
      about 'A customer whose first order is at most this many days before the as-of date is new.'
    define lifecycle_active_days = 90
      label 'Lifecycle: active within' chinese '活跃客户天数' kind 'Segmentation' unit 'days'
      about 'A customer (not new) whose last order is at most this many days before the as-of date is active.'
    define lifecycle_silent_days = 365
      label 'Lifecycle: silent within' chinese '沉默客户天数' kind 'Segmentation' unit 'days'
      about 'A customer whose last order is older than active but at most this many days old is silent; older is churned.'
    define first_purchase_days = prefer(days_between(min(orders.purchase_date), today()), days_between(first_purchase_date, today()))
      label 'Days since first purchase' chinese '首次购买距今天数' kind 'Retention' unit 'days'
      about 'Days from the first purchase to the as-of date.'
    define historical_clv = monetary * margin
      label 'Historical CLV (profit to date)' chinese '历史客户价值' kind 'Value' unit 'currency'
      about 'What the customer has brought so far: total spend to the as-of date × profit margin (METRICS.md D1 i). Not a forecast: clv is the simple formula, predicted_clv the model.'
    define annual_purchase_value = monetary / (first_purchase_days / 365.25)
      label 'Average annual purchase value' chinese '客户年均购买额' kind 'Value' unit 'currency per year'
      about 'Total spend over the years since the first purchase ((as-of date − first purchase) / 365.25): partial first years are annualised.'
      note 'A customer whose first purchase is on the as-of date has no annual value (null), not infinity.'
    define lifecycle = if(frequency is null or frequency = 0, 'potential', if(first_purchase_days <= lifecycle_new_days, 'new', if(recency_days <= lifecycle_active_days, 'active', if(recency_days <= lifecycle_silent_days, 'silent', 'churned'))))
      label 'Lifecycle stage' chinese '客户生命周期阶段' kind 'Segmentation' unit 'potential, new, active, silent, churned'
      levels 'potential, new, active, silent, churned'
      about 'potential: no order yet; new: first order within lifecycle_new_days (90) of the as-of date; active: last order within lifecycle_active_days (90) and not new; silent: last order within lifecycle_silent_days (365); churned: older.'
      note 'Change a threshold with define, e.g. define lifecycle_silent_days = 180.'

    -- Service
    define engagement = interactions_90d / 3.0
      label 'Engagement' chinese '互动频率' kind 'Service' unit 'interactions per month'
      about 'Interactions with the customer in the last 90 days, per month.'
    """#

    /// RFM scores by equal-count groups (SQL NTILE(5)): the default.
    public static let ntileScores = #"""
    define r_score = ntile(5, -recency_days)
      label 'RFM recency score' chinese '最近购买得分' kind 'Segmentation' unit '1 (stalest) to 5 (most recent)'
      about 'Customers with a purchase, ordered stalest first and cut into five equal-count groups: 1 is the longest since buying, 5 the most recent.'
      note 'Ties are broken by customer_id ascending; customers with no purchase have no score.'
    define f_score = ntile(5, if(frequency > 0, frequency, null))
      label 'RFM frequency score' chinese '购买频次得分' kind 'Segmentation' unit '1 (fewest) to 5 (most orders)'
      about 'Customers with a purchase, ordered by number of orders ascending and cut into five equal-count groups.'
      note 'Ties are broken by customer_id ascending; customers with no purchase have no score.'
    define m_score = ntile(5, monetary)
      label 'RFM monetary score' chinese '消费金额得分' kind 'Segmentation' unit '1 (least) to 5 (most spent)'
      about 'Customers with a purchase, ordered by total spend ascending and cut into five equal-count groups.'
      note 'Ties are broken by customer_id ascending.'
    """#

    /// RFM scores by value cut points (`.scoring cutpoints`): each score's quintile cut points
    /// are the 20/40/60/80% continuous quantiles, so equal values always share a score.
    public static let cutPointScores = #"""
    define r_score = qcut(5, -recency_days)
      label 'RFM recency score' chinese '最近购买得分' kind 'Segmentation' unit '1 (stalest) to 5 (most recent)'
      about 'By value cut points: the 20/40/60/80% quantiles of -recency_days over customers with a purchase cut them into five score bands; a customer scores 1 + the number of cut points above which they fall.'
      note 'Equal recencies always share a score, so the groups need not be equal in size. .scoring ntile returns to equal-count groups.'
    define f_score = qcut(5, if(frequency > 0, frequency, null))
      label 'RFM frequency score' chinese '购买频次得分' kind 'Segmentation' unit '1 (fewest) to 5 (most orders)'
      about 'By value cut points: the 20/40/60/80% quantiles of the order count over customers with a purchase; a customer scores 1 + the number of cut points their count is above.'
      note 'Equal counts always share a score (with many one-order customers, several scores may be empty).'
    define m_score = qcut(5, monetary)
      label 'RFM monetary score' chinese '消费金额得分' kind 'Segmentation' unit '1 (least) to 5 (most spent)'
      about 'By value cut points: the 20/40/60/80% quantiles of total spend; a customer scores 1 + the number of cut points their spend is above.'
      note 'Equal spends always share a score.'
    """#
}
