#!/usr/bin/env python3
"""Checks custq's orders model against DuckDB SQL on exports of order lines.

    tests/duckdb/check_orders.py [CUSTQ_BINARY]

Writes, from a fixed seed, an export in the shape of Online Retail (one row per invoice
line, no amount column, US dates without seconds, decimal customer ids, cancelled
invoices C…, return lines with a negative quantity, lines without a customer) and one in
the shape of Shopify's orders export (order fields on an order's first line only,
customers by email), plus a customers file with churned written five ways. custq's
figures (--format json) must equal DuckDB's, computed from the rules in the README's
"Orders alone are enough": an order is a distinct order id, the amount is quantity ×
price, cancelled orders and negative lines net off spend and are no purchase. The load
message is checked as text. Prints 'N passed, M failed'.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check_queries import compare as same, ensure_duckdb, run_checks  # noqa: E402

AS_OF = "2011-12-31"


def retail_export(path, rng):
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    invoice = 536365
    for _ in range(300):
        invoice += rng.randint(1, 3)
        customer = rng.choice([None] + [12346 + 7 * k for k in range(40)])
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        year = rng.choice([2010, 2011])
        stamp = f"{month}/{day}/{year} {rng.randint(7, 19)}:{rng.randint(0, 59):02d}"
        cancelled = rng.random() < 0.08
        number = ("C" if cancelled else "") + str(invoice)
        for _ in range(rng.randint(1, 5)):
            quantity = rng.randint(1, 24) * (-1 if cancelled or rng.random() < 0.04 else 1)
            price = rng.choice([0.42, 0.85, 1.25, 2.55, 3.39, 4.95, 7.65, 12.75])
            who = "" if customer is None else f"{customer}.0"
            lines.append(f"{number},{rng.randint(10000, 99999)}A,ITEM,{quantity},{stamp},{price},{who},United Kingdom")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def shopify_export(path, rng):
    lines = ["Name,Email,Financial Status,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price"]
    emails = [f"buyer{k}@example.com" for k in range(25)]
    for number in range(1001, 1121):
        email = rng.choice(emails)
        status = rng.choice(["paid", "paid", "paid", "refunded", "pending"])
        # Some exports repeat the email on every line, some give it on the first only.
        every_line = rng.random() < 0.5
        items = [(rng.randint(1, 3), rng.choice([4.0, 5.5, 12.0, 19.99])) for _ in range(rng.randint(1, 4))]
        subtotal = round(sum(q * p for q, p in items), 2)
        total = round(subtotal + rng.choice([0.0, 4.99]), 2)
        offset = rng.choice(["-0500", "+0800", "+0000"])
        created = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00 {offset}"
        for index, (quantity, price) in enumerate(items):
            first = index == 0
            lines.append(f"#{number},{email if first or every_line else ''},{status if first else ''},"
                         f"{subtotal if first else ''},{total if first else ''},"
                         f"{created},{quantity},Item,{price}")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def olist_files(directory, rng):
    """Olist's shape: a customer_id per order, the person in customers.customer_unique_id
    (whose city may differ between orders), order statuses, the amount in order items."""
    customers = ["customer_id,customer_unique_id,customer_city,customer_state"]
    orders = ["order_id,customer_id,order_status,order_purchase_timestamp"]
    items = ["order_id,order_item_id,product_id,price,freight_value"]
    people = [f"{rng.getrandbits(64):016x}" for _ in range(30)]
    for number in range(1, 121):
        order, key = f"o{number:04d}", f"k{rng.getrandbits(48):012x}"
        person = rng.choice(people)
        city = rng.choice(["sao paulo", "campinas"]) if person < "4" else "rio de janeiro"
        customers.append(f"{key},{person},{city},SP")
        status = rng.choice(["delivered"] * 6 + ["shipped", "canceled", "unavailable"])
        orders.append(f"{order},{key},{status},2018-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:15:00")
        for item in range(1, rng.randint(1, 3) + 1):
            items.append(f"{order},{item},p{rng.randint(1, 9)},{rng.choice(['19.90', '49.00', '120.50', '7.45'])},{rng.choice(['8.72', '15.10'])}")
    # A person with a customer row and no order.
    customers.append(f"knoorder,{people[0]}x,recife,PE")
    for name, rows in (("customers.csv", customers), ("orders.csv", orders), ("order_items.csv", items)):
        with open(os.path.join(directory, name), "w") as out:
            out.write("\n".join(rows) + "\n")


def churn_file(path, rng):
    lines = ["customer_id,flag,status,是否流失,yn,tier"]
    for customer in range(1, 61):
        churned = rng.random() < 0.3
        missing = rng.random() < 0.1
        lines.append(",".join([str(customer),
                               "" if missing else ("1" if churned else "0"),
                               "" if missing else ("Churned" if churned else rng.choice(["Active", "active"])),
                               "" if missing else ("是" if churned else "否"),
                               "" if missing else ("Y" if churned else "N"),
                               rng.choice(["A", "B", "C"])]))
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def chinese_customers(path, rng):
    lines = ["客户编号,客户名称,所属区域,客户等级,注册日期,累计成交金额,满意度,是否流失,推荐意愿"]
    for customer in range(1001, 1081):
        lines.append(",".join([str(customer), f"客户{customer}", rng.choice(["华东", "华北", "华南"]), rng.choice(["A", "B", "C"]),
                               f"2023/{rng.randint(1, 12)}/{rng.randint(1, 28)}", f'"¥{rng.randint(100, 99999):,}.{rng.randint(0, 99):02d}"',
                               rng.choice(["", "1", "2", "3", "4", "5"]), rng.choice(["是", "否", "否"]), str(rng.randint(0, 10))]))
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def english_customers(path, rng):
    lines = ["Account ID,Account Name,Territory,Created Date,Total Spent,Total Orders,Churned,NPS Score"]
    for account in range(1, 61):
        lines.append(",".join([f"A{account:04d}", f"Account {account}", rng.choice(["EMEA", "APAC", "AMER"]),
                               f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/2023", f'"${rng.randint(100, 50000):,}.00"',
                               str(rng.randint(0, 12)), rng.choice(["Yes", "No", "No"]), rng.choice(["", str(rng.randint(0, 10))])]))
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def custq(binary, *arguments):
    done = subprocess.run([binary, *arguments, "--format", "json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(done.stderr.strip())
    return [list(row.values()) for row in json.loads(done.stdout)], done.stderr


RETAIL_SQL = """
with lines as (
  select InvoiceNo as invoice, try_cast(CustomerID as double)::bigint as customer,
         strptime(InvoiceDate, '%m/%d/%Y %H:%M')::date as day, Quantity::bigint * UnitPrice::double as amount,
         not (InvoiceNo like 'C%' or Quantity::bigint < 0) as purchase
  from read_csv('{path}', all_varchar = true))
select customer, count(distinct invoice) filter (where purchase), sum(amount),
       date '{as_of}' - max(day) filter (where purchase)
from lines where customer is not null group by customer order by customer
"""

SHOPIFY_SQL = """
with lines as (select Name, Email, "Financial Status" as status, try_cast(Total as double) as total
               from read_csv('{path}', all_varchar = true)),
     orders as (select Name, max(Email) as Email, max(status) as status, sum(total) as total from lines group by Name)
select Email, count(distinct Name), sum(total), sum(total) / count(distinct Name) from orders
where {condition} group by Email order by Email
"""

OLIST_SQL = """
with c as (select * from read_csv('{d}/customers.csv', all_varchar = true)),
     o as (select * from read_csv('{d}/orders.csv', all_varchar = true) where order_status not in ('canceled', 'unavailable')),
     i as (select order_id, sum(price::double) as amount from read_csv('{d}/order_items.csv', all_varchar = true) group by order_id),
     per as (select c.customer_unique_id as person, count(o.order_id) as frequency, sum(i.amount) as monetary
             from (select distinct customer_unique_id from c) c
             left join (select o.*, c2.customer_unique_id from o join c c2 using (customer_id)) o using (customer_unique_id)
             left join i using (order_id) group by person)
select person, frequency, monetary from per order by person
"""


def main():
    ensure_duckdb()
    import duckdb

    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".build", "debug", "custq")
    directory = tempfile.mkdtemp(prefix="custq-orders-")
    rng = random.Random(20261202)
    retail = os.path.join(directory, "retail.csv")
    shopify = os.path.join(directory, "shopify.csv")
    churn = os.path.join(directory, "churn.csv")
    retail_export(retail, rng)
    shopify_export(shopify, rng)
    churn_file(churn, rng)
    olist_files(directory, rng)
    chinese = os.path.join(directory, "客户.csv")
    english = os.path.join(directory, "accounts.csv")
    chinese_customers(chinese, rng)
    english_customers(english, rng)
    con = duckdb.connect()
    checks = []

    def retail_customers():
        ours, err = custq(binary, retail, "-c", f".asof {AS_OF}",
                          "-c", "show customer_id, frequency, monetary, recency_days order by customer_id")
        theirs = con.execute(RETAIL_SQL.format(path=retail, as_of=AS_OF)).fetchall()
        problem = same("frequency, monetary, recency by customer", ours, theirs)
        lines_total, orders, cancelled, returns = con.execute(
            f"select count(*), count(distinct InvoiceNo), count(distinct InvoiceNo) filter (where InvoiceNo like 'C%'), "
            f"count(*) filter (where InvoiceNo not like 'C%' and Quantity::bigint < 0) from read_csv('{retail}', all_varchar = true)").fetchone()
        expected = (f"orders: retail is read as the orders table; CustomerID is read as customer_id; order_date is the date of "
                    f"InvoiceDate; {lines_total:,} lines in {orders} orders (InvoiceNo): frequency counts orders, monetary sums "
                    f"the lines; amount is Quantity × UnitPrice; {cancelled} cancelled orders (InvoiceNo starting with C) and "
                    f"{returns} return lines (a negative quantity or amount) net off their customers' spend and are not purchases\n")
        if problem is None and expected not in err:
            problem = f"the load message differs:\n  custq:  {err}\n  wanted: {expected}"
        return problem

    def retail_rates():
        ours, _ = custq(binary, retail, "-c", f".asof {AS_OF}", "-c", "repeat_purchase_rate, avg aov")
        theirs = con.execute(f"""
            with c as ({RETAIL_SQL.format(path=retail, as_of=AS_OF)})
            select 100.0 * count(*) filter (where "count(DISTINCT invoice) FILTER (WHERE purchase)" >= 2)
                   / count(*) filter (where "count(DISTINCT invoice) FILTER (WHERE purchase)" >= 1),
                   avg("sum(amount)" / nullif("count(DISTINCT invoice) FILTER (WHERE purchase)", 0))
            from c""").fetchall()
        return same("repeat_purchase_rate, avg aov", ours, theirs)

    def shopify_customers():
        ours, err = custq(binary, shopify, "-c", "show customer_id, frequency, monetary, aov order by customer_id")
        problem = same("Shopify orders by email", ours, con.execute(SHOPIFY_SQL.format(path=shopify, condition="true")).fetchall())
        lines_total, orders = con.execute(f"select count(*), count(distinct Name) from read_csv('{shopify}', all_varchar = true)").fetchone()
        expected = (f"{lines_total} lines in {orders} orders (Name): frequency counts orders, Total is given once per order "
                    f"(on its first line), and monetary sums it; Email, Financial Status are given on each order's first line "
                    f"only: read for all of its lines\n")
        if problem is None and expected not in err:
            problem = f"the load message lacks: {expected}\n  custq: {err}"
        return problem

    def shopify_paid_orders():
        ours, err = custq(binary, shopify, "-c", ".orders shopify where `Financial Status` = paid",
                          "-c", "show customer_id, frequency, monetary, aov order by customer_id")
        theirs = con.execute(SHOPIFY_SQL.format(path=shopify, condition="status = 'paid'")).fetchall()
        problem = same("paid Shopify orders by email", ours, theirs)
        kept, lines_total = con.execute(f"""select count(*) filter (where status = 'paid'), count(*) from (
            select max("Financial Status") over (partition by Name) as status from read_csv('{shopify}', all_varchar = true))""").fetchone()
        expected = f"orders: {kept} of {lines_total} rows of shopify are the orders (where `Financial Status` = paid)"
        if problem is None and expected not in err:
            problem = f"the load message lacks: {expected}\n  custq: {err}"
        return problem

    def olist_people():
        ours, err = custq(binary, *(os.path.join(directory, f) for f in ("customers.csv", "orders.csv", "order_items.csv")),
                          "-c", ".link orders.order_id = order_items.order_id",
                          "-c", ".orders orders customer_id = customers.customer_unique_id amount = sum(order_items.price) "
                                "where order_status not in (canceled, unavailable)",
                          "-c", "show customer_id, frequency, monetary order by customer_id")
        theirs = con.execute(OLIST_SQL.format(d=directory)).fetchall()
        problem = same("Olist people: frequency and monetary by customer_unique_id", ours, theirs)
        rate, _ = custq(binary, *(os.path.join(directory, f) for f in ("customers.csv", "orders.csv", "order_items.csv")),
                        "-c", ".link orders.order_id = order_items.order_id",
                        "-c", ".orders orders customer_id = customers.customer_unique_id amount = sum(order_items.price) "
                              "where order_status not in (canceled, unavailable)", "-c", "repeat_purchase_rate")
        theirs_rate = con.execute(f"""select 100.0 * count(*) filter (where frequency >= 2) / count(*) filter (where frequency >= 1)
                                      from ({OLIST_SQL.format(d=directory)})""").fetchall()
        problem = problem or same("Olist repeat purchase rate", rate, theirs_rate)
        people, rows = con.execute(f"""select count(distinct customer_unique_id), count(*)
                                       from read_csv('{directory}/customers.csv', all_varchar = true)""").fetchone()
        differing = [name for name in ("customer_city", "customer_state") if con.execute(
            f"""select count(*) from (select customer_unique_id from read_csv('{directory}/customers.csv', all_varchar = true)
                group by customer_unique_id having count(distinct {name}) > 1)""").fetchone()[0] > 0]
        expected = (f"customers: {people} people by customer_unique_id, from the {rows} rows of customers (kept as customer_rows); "
                    f"its customer_id (a key per order's customer) is only in customer_rows"
                    + (f"; {', '.join(differing)} {'differs' if len(differing) == 1 else 'differ'} between one person's rows: "
                       f"only in customer_rows" if differing else "") + "\n")
        if problem is None and expected not in err:
            problem = f"the load message lacks: {expected}\n  custq: {err}"
        return problem

    def churned_spellings():
        for column, yes in (("flag", "'1'"), ("status", "'Churned'"), ("是否流失", "'是'"), ("yn", "'Y'")):
            ours, err = custq(binary, churn, "-c", f"define churned = {column}", "-c", "churn_rate, retention_rate by tier")
            theirs = con.execute(f"""select tier, 100.0 * count(*) filter (where "{column}" = {yes}) / count("{column}"),
                                            100.0 * count(*) filter (where "{column}" <> {yes}) / count("{column}")
                                     from read_csv('{churn}', all_varchar = true) group by tier order by tier""").fetchall()
            problem = same(f"churned = {column}", ours, theirs)
            if problem:
                return problem
        status = subprocess.run([binary, churn, "-c", "define churned = tier", "-c", "churn_rate"], capture_output=True, text=True)
        if status.returncode != 1 or "error: churned must say yes or no, but tier holds" not in status.stderr:
            return f"a churned that says no yes or no was not refused: {status.stderr}"
        return None

    def chinese_names():
        ours, err = custq(binary, chinese, "-c", "churn_rate, csat, nps, avg monetary by 所属区域")
        theirs = con.execute(f"""select 所属区域, 100.0 * count(*) filter (where 是否流失 = '是') / count(是否流失),
                                        100.0 * count(*) filter (where 满意度::int >= 4) / count(满意度),
                                        100.0 * (count(*) filter (where 推荐意愿::int >= 9) - count(*) filter (where 推荐意愿::int <= 6)) / count(推荐意愿),
                                        avg(replace(replace(累计成交金额, '¥', ''), ',', '')::double)
                                 from read_csv('{chinese}', all_varchar = true) group by 所属区域 order by 所属区域""").fetchall()
        problem = same("churn_rate, csat, nps, monetary by 所属区域", ours, theirs)
        expected = ("客户: 客户编号 → customer_id, 客户名称 → name, 所属区域 → region, 客户等级 → tier, 注册日期 → signup_date, "
                    "累计成交金额 → total_spent, 推荐意愿 → nps_score, 满意度 → csat, 是否流失 → churned\n")
        if problem is None and expected not in err:
            problem = f"the load message lacks: {expected}\n  custq: {err}"
        return problem

    def english_names():
        top, err = custq(binary, english, "-c", "top 3 by monetary")
        ours, _ = custq(binary, english, "-c", "churn_rate, avg frequency, nps by region")
        theirs_top = con.execute(f"""select "Account ID", "Account Name", replace(replace("Total Spent", '$', ''), ',', '')::double as m
                                     from read_csv('{english}', all_varchar = true) order by m desc, "Account ID" limit 3""").fetchall()
        problem = same("top 3 by monetary", top, theirs_top)
        theirs = con.execute(f"""select Territory, 100.0 * count(*) filter (where Churned = 'Yes') / count(Churned),
                                        avg("Total Orders"::int),
                                        100.0 * (count(*) filter (where "NPS Score"::int >= 9) - count(*) filter (where "NPS Score"::int <= 6)) / count("NPS Score")
                                 from read_csv('{english}', all_varchar = true) group by Territory order by Territory""").fetchall()
        problem = problem or same("churn_rate, frequency, nps by region", ours, theirs)
        expected = ("accounts: Account ID → customer_id, Account Name → name, Territory → region, Created Date → signup_date, "
                    "Total Orders → orders_count, Total Spent → total_spent, NPS Score → nps_score\n")
        if problem is None and expected not in err:
            problem = f"the load message lacks: {expected}\n  custq: {err}"
        return problem

    checks = [("line items: frequency by distinct orders, monetary = Σ quantity × price, cancellations netted", retail_customers),
              ("line items: repeat purchase rate and AOV", retail_rates),
              ("Shopify: order fields on the first line, customers by email", shopify_customers),
              ("Shopify: .orders where on an order field keeps whole orders", shopify_paid_orders),
              ("Olist: the person looked up in customers.customer_unique_id", olist_people),
              ("churned written as 0/1, Churned/Active, 是/否, Y/N", churned_spellings),
              ("a Chinese customers export: 客户编号 → customer_id, 满意度 → csat …", chinese_names),
              ("an English CRM export: Account ID → customer_id, Total Spent → total_spent …", english_names)]
    status = run_checks(checks)
    shutil.rmtree(directory)
    return status

if __name__ == "__main__":
    sys.exit(main())
