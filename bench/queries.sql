.timer on
select customer_id, name, annual_revenue * lifetime_years * margin as clv from customers where tier = 'A' order by clv desc, customer_id limit 10;
select region, tier, avg(annual_revenue * lifetime_years * margin), count(*) from customers group by region, tier order by region, tier;
select count(*) from customers where signup_date >= date '2024-01-01' and region in ('North', 'East');
select segment, sum(annual_revenue), count(*) filter (where churned)::double / count(*) from customers group by segment order by segment;
select tier, quantile_cont(annual_revenue, 0.5), quantile_cont(annual_revenue, 0.9) from customers group by tier order by tier;
select count(annual_revenue), count(*) - count(annual_revenue), count(distinct annual_revenue), min(annual_revenue), quantile_cont(annual_revenue, [0.25, 0.5, 0.75]), max(annual_revenue), avg(annual_revenue), stddev_samp(annual_revenue), count(nps_score), count(*) - count(nps_score), count(distinct nps_score), min(nps_score), quantile_cont(nps_score, [0.25, 0.5, 0.75]), max(nps_score), avg(nps_score), stddev_samp(nps_score) from customers;
