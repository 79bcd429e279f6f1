package index

import (
	"math"
	"strings"
	"testing"
)

func TestComputeRefuses(t *testing.T) {
	good := func() Basket {
		return Basket{Name: "b", Base: month("2024-01"), Weights: map[string]float64{"A": 1, "B": 2}}
	}
	prices := Prices{
		month("2024-01"): {"A": 10, "B": 20},
		month("2024-02"): {"A": 11, "B": 20},
	}
	tests := []struct {
		name     string
		basket   func(*Basket)
		prices   Prices
		from, to Month
		want     string // in the message
	}{
		{"no commodities", func(b *Basket) { b.Weights = nil }, prices, month("2024-01"), month("2024-02"), "no commodities"},
		{"zero weight", func(b *Basket) { b.Weights["A"] = 0 }, prices, month("2024-01"), month("2024-02"), `"A" has weight 0`},
		{"negative weight", func(b *Basket) { b.Weights["B"] = -1 }, prices, month("2024-01"), month("2024-02"), `"B" has weight -1`},
		{"NaN weight", func(b *Basket) { b.Weights["B"] = math.NaN() }, prices, month("2024-01"), month("2024-02"), `"B" has weight NaN`},
		{"empty code", func(b *Basket) { b.Weights[" "] = 1 }, prices, month("2024-01"), month("2024-02"), "empty commodity code"},
		{"invalid base", func(b *Basket) { b.Base = Month{} }, prices, month("2024-01"), month("2024-02"), "invalid base period"},
		{"unknown group", func(b *Basket) { b.Groups = map[string]string{"A": "12"} }, prices, month("2024-01"), month("2024-02"), `unknown expenditure group "12"`},
		{"group of a commodity not in the basket", func(b *Basket) { b.Groups = map[string]string{"Z": "01"} }, prices, month("2024-01"), month("2024-02"), `"Z", which has no weight`},
		{"from before base", nil, prices, month("2023-12"), month("2024-02"), "before the base period"},
		{"to before from", nil, prices, month("2024-02"), month("2024-01"), "ends before it starts"},
		{"invalid month", nil, prices, month("2024-01"), Month{2024, 13}, "invalid period"},
		{"zero price", nil, Prices{month("2024-01"): {"A": 10, "B": 20}, month("2024-02"): {"A": 0, "B": 20}}, month("2024-01"), month("2024-02"), `2024-02: commodity "A" has price 0`},
		{"negative base price", nil, Prices{month("2024-01"): {"A": 10, "B": -20}}, month("2024-01"), month("2024-01"), `2024-01: commodity "B" has price -20`},
		{"index overflows", nil, Prices{month("2024-01"): {"A": 1e-300, "B": 20}, month("2024-02"): {"A": 1e300, "B": 20}}, month("2024-01"), month("2024-02"), "2024-02: index +Inf is out of range"},
		{"infinite price", nil, Prices{month("2024-01"): {"A": 10, "B": 20}, month("2024-02"): {"A": math.Inf(1), "B": 20}}, month("2024-01"), month("2024-02"), `has price +Inf`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := good()
			if tt.basket != nil {
				tt.basket(&b)
			}
			for _, f := range []func(Basket, Prices, Month, Month) ([]Period, error){Compute, ComputeFixedBase} {
				got, err := f(b, tt.prices, tt.from, tt.to)
				if err == nil {
					t.Fatalf("no error, got %d periods", len(got))
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not contain %q", err, tt.want)
				}
			}
		})
	}
}

func TestExpenditureGroups(t *testing.T) {
	gs := ExpenditureGroups()
	if len(gs) != 11 || gs[0].Code != "01" || gs[10].Code != "11" {
		t.Fatalf("groups = %v", gs)
	}
	gs[0].Name = "changed"
	if g, ok := ExpenditureGroup("01"); !ok || g.Name != "Makanan, Minuman, dan Tembakau" {
		t.Errorf(`ExpenditureGroup("01") = %v, %v`, g, ok)
	}
	if _, ok := ExpenditureGroup("1"); ok {
		t.Error(`ExpenditureGroup("1") found`)
	}
}
