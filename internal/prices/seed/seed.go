// Package seed holds the reference data the prices module ships with:
// Kupang's markets, the strategic commodities, HET/HAP reference prices,
// the Kupang food basket, origin regions and points of entry of goods, and
// the real monthly Kota Kupang prices the demo data is spread from. The
// files are embedded, so a deployment never reads the shared folder they
// were copied from; README.md names each file's source.
package seed

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

//go:embed *.csv
var files embed.FS

// Market is a traditional market.
type Market struct {
	Code, Name, Alias, Kelurahan, Kecamatan string
	Lat, Lon                                float64
}

// Commodity is a tracked commodity. PanelName names its series in the
// Panel Harga file, empty when the demo data has no real series for it.
type Commodity struct {
	Code, Name, Variety, Unit, GroupCode, Category, PanelName string
}

// Reference is a HET or HAP price with its legal basis; empty ValidFrom
// or ValidTo leaves that end open.
type Reference struct {
	Commodity, Kind    string
	Price              float64
	LegalBasis         string
	ValidFrom, ValidTo string
	Note               string
}

// Weight is a basket commodity's base-period expenditure value.
type Weight struct {
	Commodity string
	Weight    float64
}

// Region is an origin region (kab/kota) with its Kemendagri code.
type Region struct {
	Code, Name, Province string
	Lat, Lon             float64
}

// EntryPoint is where goods enter the city (port, airport, road).
type EntryPoint struct {
	Code, Name, Mode string
	Lat, Lon         float64
}

// MonthlyPrice is one real monthly price of a Panel Harga series.
type MonthlyPrice struct {
	Month, PanelName string
	Price            float64
}

// Markets returns markets.csv.
func Markets() ([]Market, error) {
	var out []Market
	err := each("markets.csv", 7, func(r []string) error {
		lat, lon, err := latLon(r[5], r[6])
		out = append(out, Market{Code: r[0], Name: r[1], Alias: r[2], Kelurahan: r[3], Kecamatan: r[4], Lat: lat, Lon: lon})
		return err
	})
	return out, err
}

// Commodities returns commodities.csv.
func Commodities() ([]Commodity, error) {
	var out []Commodity
	err := each("commodities.csv", 7, func(r []string) error {
		out = append(out, Commodity{Code: r[0], Name: r[1], Variety: r[2], Unit: r[3], GroupCode: r[4], Category: r[5], PanelName: r[6]})
		return nil
	})
	return out, err
}

// References returns references.csv.
func References() ([]Reference, error) {
	var out []Reference
	err := each("references.csv", 7, func(r []string) error {
		p, err := strconv.ParseFloat(r[2], 64)
		out = append(out, Reference{Commodity: r[0], Kind: r[1], Price: p, LegalBasis: r[3], ValidFrom: r[4], ValidTo: r[5], Note: r[6]})
		return err
	})
	return out, err
}

// KupangBasket returns basket_kupang.csv.
func KupangBasket() ([]Weight, error) {
	var out []Weight
	err := each("basket_kupang.csv", 2, func(r []string) error {
		w, err := strconv.ParseFloat(r[1], 64)
		out = append(out, Weight{Commodity: r[0], Weight: w})
		return err
	})
	return out, err
}

// Origins returns origins.csv.
func Origins() ([]Region, error) {
	var out []Region
	err := each("origins.csv", 5, func(r []string) error {
		lat, lon, err := latLon(r[3], r[4])
		out = append(out, Region{Code: r[0], Name: r[1], Province: r[2], Lat: lat, Lon: lon})
		return err
	})
	return out, err
}

// EntryPoints returns entry_points.csv.
func EntryPoints() ([]EntryPoint, error) {
	var out []EntryPoint
	err := each("entry_points.csv", 5, func(r []string) error {
		lat, lon, err := latLon(r[3], r[4])
		out = append(out, EntryPoint{Code: r[0], Name: r[1], Mode: r[2], Lat: lat, Lon: lon})
		return err
	})
	return out, err
}

// KupangMonthly returns the real monthly Kota Kupang prices.
func KupangMonthly() ([]MonthlyPrice, error) {
	var out []MonthlyPrice
	err := each("panelharga_kota_kupang_monthly.csv", 3, func(r []string) error {
		p, err := strconv.ParseFloat(r[2], 64)
		out = append(out, MonthlyPrice{Month: r[0], PanelName: r[1], Price: p})
		return err
	})
	return out, err
}

// each calls fn for every data row of an embedded CSV file with the given
// number of columns; a malformed row is a build defect, reported with its
// line so that editing a seed file fails the tests at once.
func each(name string, cols int, fn func([]string) error) error {
	f, err := files.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = cols
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("seed %s: header: %w", name, err)
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("seed %s: %w", name, err)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("seed %s line %d: %w", name, line, err)
		}
	}
}

func latLon(a, b string) (float64, float64, error) {
	if a == "" && b == "" {
		return 0, 0, nil
	}
	lat, err := strconv.ParseFloat(a, 64)
	if err != nil {
		return 0, 0, err
	}
	lon, err := strconv.ParseFloat(b, 64)
	return lat, lon, err
}
