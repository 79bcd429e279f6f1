package prices_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/prices"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// aggRow is one row of an aggregate table.
type aggRow struct {
	sumLog, min, max float64
	n                int64
}

// aggregates reads the four aggregate tables, keyed by table and primary
// key.
func (h *harness) aggregates() map[string]aggRow {
	h.t.Helper()
	out := map[string]aggRow{}
	for _, q := range []struct{ table, key string }{
		{"price_day_market", "commodity_id || '|' || day || '|' || market_id"},
		{"price_day_city", "commodity_id || '|' || day"},
		{"price_month_market", "commodity_id || '|' || month || '|' || market_id"},
		{"price_month_city", "commodity_id || '|' || month"},
	} {
		rows, err := h.s.App.Deps.DB.QueryContext(context.Background(), `SELECT `+q.key+`, sum_log, n, min_price, max_price FROM `+q.table)
		if err != nil {
			h.t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var r aggRow
			if err := rows.Scan(&k, &r.sumLog, &r.n, &r.min, &r.max); err != nil {
				h.t.Fatal(err)
			}
			out[q.table+"|"+k] = r
		}
		if err := rows.Close(); err != nil {
			h.t.Fatal(err)
		}
	}
	return out
}

// checkAggregatesAgainstObservations compares the aggregates as the
// writes left them with the same months rebuilt from the observations by
// RefreshMonth, the reference computation.
func (h *harness) checkAggregatesAgainstObservations(step string, from, to index.Month) {
	h.t.Helper()
	got := h.aggregates()
	for m := from; !m.After(to); m = m.AddMonths(1) {
		if err := h.store.RefreshMonth(context.Background(), m); err != nil {
			h.t.Fatal(err)
		}
	}
	want := h.aggregates()
	if len(want) == 0 {
		h.t.Fatalf("%s: no aggregates at all", step)
	}
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			h.t.Errorf("%s: %s missing (want %+v)", step, k, w)
		case g.n != w.n || g.min != w.min || g.max != w.max || math.Abs(g.sumLog-w.sumLog) > 1e-9*math.Max(1, math.Abs(w.sumLog)):
			h.t.Errorf("%s: %s = %+v, from the observations %+v", step, k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			h.t.Errorf("%s: %s = %+v has no observations", step, k, g)
		}
	}
}

// priceLines writes a line per market, trader and day of [from, to] for
// a commodity; the price varies so that no two cells are alike.
func priceLines(sb *strings.Builder, commodity, from, to string, markets []string, traders int, seed int) {
	for d := from; d <= to; d = nextDay(d) {
		for mi, m := range markets {
			for t := 1; t <= traders; t++ {
				p := 1000 + (len(d)*seed+mi*37+t*11+int(d[8]-'0')*101+int(d[9]-'0')*7+int(d[6]-'0')*1009)%9000
				fmt.Fprintf(sb, "%s,%s,%s,%d.%d,Lapak %d\n", d, m, commodity, p, t%10, t)
			}
		}
	}
}

func nextDay(d string) string {
	t, _ := time.Parse("2006-01-02", d)
	return t.AddDate(0, 0, 1).Format("2006-01-02")
}

// TestBulkImportAggregatesMatchObservations: the aggregates a bulk
// import writes (built in Go for months new to the database, rebuilt
// from the observations where it had some) are those rebuilt from the
// raw observations, on a fresh database and on one with existing,
// partly rejected prices; and the import marks the baskets stale.
func TestBulkImportAggregatesMatchObservations(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	db := h.s.App.Deps.DB
	markets := []string{"psr-oeba", "psr-inpres", "psr-oesapa"}
	header := "date,market_code,commodity_code,price,trader\n"

	// A: two commodities over three months, two traders, plus lines
	// that share a cell (a second price of the same trader and day, a
	// line without trader).
	var a strings.Builder
	a.WriteString(header)
	priceLines(&a, "beras-premium", "2025-01-01", "2025-03-31", markets, 2, 3)
	priceLines(&a, "bawang-merah", "2025-01-10", "2025-03-20", markets[:2], 2, 5)
	a.WriteString("2025-02-03,psr-oeba,beras-premium,15000,Lapak 1\n2025-02-03,psr-oeba,beras-premium,\"14500,5\",\n")
	h.importCSV("observations", a.String())
	jan, _ := index.ParseMonth("2025-01")
	h.checkAggregatesAgainstObservations("fresh database", jan, jan.AddMonths(5))

	// Existing prices that do not count: some of February rejected, all
	// of bawang-merah's March rejected (a month with observations but
	// no aggregates).
	for _, q := range []string{
		`UPDATE price_observations SET status = 'rejected' WHERE day >= '2025-02-10' AND day <= '2025-02-12'`,
		`UPDATE price_observations SET status = 'rejected' WHERE day >= '2025-03-01' AND commodity_id = (SELECT id FROM price_commodities WHERE code = 'bawang-merah')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []string{"2025-02", "2025-03"} {
		mm, _ := index.ParseMonth(m)
		if err := h.store.RefreshMonth(ctx, mm); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.store.ImportBasket(ctx, prices.Actor{System: "test"}, "Uji", "2025-01",
		strings.NewReader("commodity_code,weight\nberas-premium,10\nbawang-merah,5\nikan-kembung,3\n")); err != nil {
		t.Fatal(err)
	}
	basket, err := h.store.BasketByName(ctx, "Uji")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.Recompute(ctx, basket.ID); err != nil {
		t.Fatal(err)
	}
	if basket, _ = h.store.BasketByName(ctx, "Uji"); basket.Stale {
		t.Fatal("the basket is stale right after its recomputation")
	}

	// B overlaps A's months (beras-premium in February and March, with
	// existing prices), extends them (April, May), brings bawang-merah
	// back into its rejected March and a commodity new to the database.
	var b strings.Builder
	b.WriteString(header)
	priceLines(&b, "beras-premium", "2025-02-15", "2025-05-10", markets, 3, 7)
	priceLines(&b, "bawang-merah", "2025-03-05", "2025-04-30", markets, 1, 11)
	priceLines(&b, "ikan-kembung", "2024-12-20", "2025-02-02", markets[1:], 2, 13)
	h.importCSV("observations", b.String())
	if basket, _ = h.store.BasketByName(ctx, "Uji"); !basket.Stale {
		t.Error("the import did not mark the basket stale")
	}
	dec, _ := index.ParseMonth("2024-12")
	h.checkAggregatesAgainstObservations("existing prices", dec, dec.AddMonths(6))
}
