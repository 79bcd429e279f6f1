// Package index computes the consumer price index and inflation the way BPS
// (Badan Pusat Statistik) does, from monthly commodity prices and a fixed
// basket. It owns the arithmetic only: no database, no HTTP, no rounding for
// display. The prices module collects the observations, builds monthly
// prices with LogAccumulator and publishes what Compute returns.
//
// The formulas are those of DOMAIN.md §8 (BPS method).
//
// A commodity's monthly price is the geometric mean of all its observations
// in the month, over markets, traders and days (GeoMean, LogAccumulator).
//
// The index is a modified Laspeyres index with the base period at 100, where
// w_i = P_0,i·Q_0,i is the base-period value of commodity i:
//
//	I_n = Σ_i w_i·(P_n,i/P_0,i) / Σ_i w_i × 100
//
// BPS computes it as a chain, carrying each commodity's current value
// forward by its month-to-month price relative:
//
//	I_n = Σ_i (P_n,i/P_n−1,i)·P_n−1,i·Q_0,i / Σ_i P_0,i·Q_0,i × 100
//
// The two are the same number: Compute uses the chain, ComputeFixedBase the
// fixed-base form, and the tests hold them together.
//
// Inflation is month-to-month (I_n − I_n−1)/I_n−1 × 100, year-on-year
// against the same month a year earlier, and year-to-date against December
// of the previous year.
//
// The contribution (andil) of commodity i to month-to-month inflation is
//
//	w_i·(P_n,i/P_0,i − P_n−1,i/P_0,i) / Σ_j w_j·(P_n−1,j/P_0,j) × 100
//
// and the contributions add up to the month-to-month inflation.
//
// Group indices are the same index over the commodities of each of BPS's 11
// expenditure groups (ExpenditureGroups), with their weights.
//
// A commodity with no observation in a month keeps its last known price
// (carry forward), and the period lists it in Carried. A commodity needs a
// base-period price to be in the index at all.
package index
