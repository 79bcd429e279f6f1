package prices

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
)

// Import kinds.
const (
	ImportCommodities  = "commodities"
	ImportMarkets      = "markets"
	ImportObservations = "observations"
)

// ImportKinds lists the kinds in the order pages offer them.
var ImportKinds = []string{ImportObservations, ImportCommodities, ImportMarkets}

// ImportError is one invalid line of an imported file. Key is a catalog
// key (its English text is what the command line prints).
type ImportError struct {
	Line  int
	Field string // the column a store check refused, "" otherwise
	Key   string
	Args  []any
}

// ImportResult is what an import did, or why it did nothing.
type ImportResult struct {
	Kind    string
	Rows    int // data lines read
	Created int
	Updated int
	Errors  []ImportError
}

// ErrInvalidFile is returned when any line is invalid: the whole file is
// refused and nothing is imported.
var ErrInvalidFile = errors.New("prices: the file has invalid lines; nothing was imported")

// maxImportErrors stops reporting after this many bad lines; a file that
// bad is the wrong file.
const maxImportErrors = 200

// importColumns are the columns each kind requires and accepts.
var importColumns = map[string]struct{ required, optional []string }{
	ImportCommodities:  {[]string{"code", "name", "unit", "group_code"}, []string{"het", "variety", "category"}},
	ImportMarkets:      {[]string{"code", "name"}, []string{"lat", "lon", "address"}},
	ImportObservations: {[]string{"date", "market_code", "commodity_code", "price"}, []string{"trader"}},
}

// Import reads a CSV or XLSX file (the first sheet) of one kind in one
// transaction; the format is recognised from the content. Every line is
// checked; if any is invalid, nothing is imported and the result lists
// the bad lines (with ErrInvalidFile).
func (s *Store) Import(ctx context.Context, a Actor, kind string, r io.Reader) (ImportResult, error) {
	res := ImportResult{Kind: kind}
	cols, ok := importColumns[kind]
	if !ok {
		return res, fmt.Errorf("prices: unknown import kind %q (want %s)", kind, strings.Join(ImportKinds, ", "))
	}
	f, herr := openTable(r, cols.required, cols.optional)
	if herr != nil {
		res.Errors = []ImportError{*herr}
		return res, ErrInvalidFile
	}
	defer f.close()
	err := s.bulkTx(ctx, func(tx *sql.Tx, bw *bulkWriter) error {
		if err := s.bulkSession(ctx, tx); err != nil {
			return err
		}
		var err error
		switch kind {
		case ImportObservations:
			err = s.importObservations(ctx, tx, bw, f, &res)
		case ImportCommodities:
			err = s.importCommodities(ctx, tx, a, f, &res)
		case ImportMarkets:
			err = s.importMarkets(ctx, tx, a, f, &res)
		}
		if err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			return ErrInvalidFile // rolls everything back
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_import." + kind, ObjectType: "price_import", ObjectID: kind,
			After: map[string]int{"rows": res.Rows, "created": res.Created, "updated": res.Updated}})
	})
	if err != nil {
		res.Created, res.Updated = 0, 0
	}
	return res, err
}

// addError records a bad line; it reports false once enough are known.
func (res *ImportResult) addError(line int, key string, args ...any) bool {
	res.Errors = append(res.Errors, ImportError{Line: line, Key: key, Args: args})
	return len(res.Errors) < maxImportErrors
}

// validDay checks YYYY-MM-DD quickly (the import's hot path) and exactly.
func validDay(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := parseDay(s)
	return err == nil
}

func codeIDs(ctx context.Context, q querier, query string) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		out[code] = id
	}
	return out, rows.Err()
}

// importCommodities creates or updates commodities by code. A het column
// gives the commodity a HET: one without any HET gets it for all days,
// one whose HET differs gets the new price from today on.
func (s *Store) importCommodities(ctx context.Context, tx *sql.Tx, a Actor, f *table, res *ImportResult) error {
	existing := map[string]Commodity{}
	rows, err := tx.QueryContext(ctx, `SELECT `+commodityColumns+` FROM price_commodities`)
	if err != nil {
		return err
	}
	for rows.Next() {
		c, err := scanCommodity(rows)
		if err != nil {
			rows.Close()
			return err
		}
		existing[c.Code] = c
	}
	rows.Close()
	seen := map[string]int{}
	for {
		rec, line, err := f.next()
		if err == io.EOF {
			return nil
		}
		res.Rows++
		if err != nil {
			if !res.addError(line, "prices.import.csv", csvMessage(err)) {
				return nil
			}
			continue
		}
		code := f.get(rec, "code")
		c, exists := existing[code]
		if !exists {
			c = Commodity{Code: code, Active: true}
		}
		c.Name, c.Unit, c.GroupCode = f.get(rec, "name"), f.get(rec, "unit"), f.get(rec, "group_code")
		if _, ok := f.col["variety"]; ok {
			c.Variety = f.get(rec, "variety")
		}
		if v := f.get(rec, "category"); v != "" {
			c.Category = v
		}
		het, hasHET := 0.0, false
		if raw := f.get(rec, "het"); raw != "" {
			var ok bool
			if het, ok = parseNumber(raw); !ok || !(het > 0) || het > maxPrice {
				if !res.addError(line, "prices.import.bad_het", raw) {
					return nil
				}
				continue
			}
			hasHET = true
		}
		if first, dup := seen[code]; dup {
			if !res.addError(line, "prices.import.duplicate", code, first) {
				return nil
			}
			continue
		}
		seen[code] = line
		if err := checkCommodity(&c); err != nil {
			if !res.addFieldError(line, err) {
				return nil
			}
			continue
		}
		if len(res.Errors) > 0 {
			continue
		}
		id, created, err := s.saveCommodity(ctx, tx, a, c)
		if err != nil {
			return err
		}
		if created {
			res.Created++
		} else {
			res.Updated++
		}
		if hasHET {
			if err := s.importHET(ctx, tx, a, id, code, het); err != nil {
				return err
			}
		}
	}
}

func (s *Store) importHET(ctx context.Context, tx *sql.Tx, a Actor, id int64, code string, het float64) error {
	var last sql.NullFloat64
	err := tx.QueryRowContext(ctx, `SELECT price FROM price_references WHERE commodity_id = $1 AND kind = 'HET' ORDER BY valid_from DESC, id DESC LIMIT 1`, id).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	r := Reference{CommodityID: id, Kind: RefHET, Price: het, LegalBasis: "CSV import"}
	switch {
	case !last.Valid:
	case math.Abs(last.Float64-het) < 0.005:
		return nil
	default:
		today := s.today()
		if _, err := tx.ExecContext(ctx, `UPDATE price_references SET valid_to = $2 WHERE commodity_id = $1 AND kind = 'HET' AND valid_to = '' AND valid_from < $3`,
			id, addDays(today, -1), today); err != nil {
			return err
		}
		r.ValidFrom = today
	}
	return s.addReference(ctx, tx, a, code, r)
}

// addFieldError records a validation failure of a store check as a line
// error.
func (res *ImportResult) addFieldError(line int, err error) bool {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return res.addError(line, "prices.import.csv", err.Error())
	}
	res.Errors = append(res.Errors, ImportError{Line: line, Field: fe.Field, Key: fe.Key, Args: fe.Args})
	return len(res.Errors) < maxImportErrors
}

// importMarkets creates or updates markets by code; lat and lon, when
// given, replace the position.
func (s *Store) importMarkets(ctx context.Context, tx *sql.Tx, a Actor, f *table, res *ImportResult) error {
	seen := map[string]int{}
	for {
		rec, line, err := f.next()
		if err == io.EOF {
			return nil
		}
		res.Rows++
		if err != nil {
			if !res.addError(line, "prices.import.csv", csvMessage(err)) {
				return nil
			}
			continue
		}
		code := f.get(rec, "code")
		m, err := scanMarket(tx.QueryRowContext(ctx, `SELECT `+marketColumns+` FROM price_markets WHERE code = $1`, code))
		if errors.Is(err, sql.ErrNoRows) {
			m = Market{Code: code, Active: true}
		} else if err != nil {
			return err
		}
		m.Name = f.get(rec, "name")
		if v := f.get(rec, "address"); v != "" {
			m.Address = v
		}
		latRaw, lonRaw := f.get(rec, "lat"), f.get(rec, "lon")
		if latRaw != "" || lonRaw != "" {
			lat, ok1 := parseNumber(latRaw)
			lon, ok2 := parseNumber(lonRaw)
			if !ok1 || !ok2 {
				if !res.addError(line, "prices.import.bad_coordinates", latRaw, lonRaw) {
					return nil
				}
				continue
			}
			m.Lat, m.Lon = &lat, &lon
		}
		if first, dup := seen[code]; dup {
			if !res.addError(line, "prices.import.duplicate", code, first) {
				return nil
			}
			continue
		}
		seen[code] = line
		if err := s.checkMarket(ctx, &m); err != nil {
			if !res.addFieldError(line, err) {
				return nil
			}
			continue
		}
		if len(res.Errors) > 0 {
			continue
		}
		created, err := s.saveMarket(ctx, tx, a, m)
		if err != nil {
			return err
		}
		if created {
			res.Created++
		} else {
			res.Updated++
		}
	}
}

// ImportBasket creates or replaces a basket from a weights file
// (commodity_code,weight: the base-period expenditure value of each
// commodity). Every line is checked, unknown codes included; any bad line
// refuses the whole file.
func (s *Store) ImportBasket(ctx context.Context, a Actor, name, base string, r io.Reader) (ImportResult, error) {
	res := ImportResult{Kind: "basket"}
	f, herr := openTable(r, []string{"commodity_code", "weight"}, nil)
	if herr != nil {
		res.Errors = []ImportError{*herr}
		return res, ErrInvalidFile
	}
	defer f.close()
	known, err := codeIDs(ctx, s.db, `SELECT code, id FROM price_commodities`)
	if err != nil {
		return res, err
	}
	weights := map[string]float64{}
	lines := map[string]int{}
	for {
		rec, line, err := f.next()
		if err == io.EOF {
			break
		}
		res.Rows++
		if err != nil {
			res.addError(line, "prices.import.csv", csvMessage(err))
			continue
		}
		code, raw := f.get(rec, "commodity_code"), f.get(rec, "weight")
		w, ok := parseNumber(raw)
		switch {
		case known[code] == 0:
			res.addError(line, "prices.import.unknown_commodity", code)
		case !ok || !(w > 0) || math.IsInf(w, 1):
			res.addError(line, "prices.import.bad_weight", raw)
		case lines[code] != 0:
			res.addError(line, "prices.import.duplicate", code, lines[code])
		default:
			weights[code], lines[code] = w, line
		}
	}
	if len(weights) == 0 && len(res.Errors) == 0 {
		res.addError(2, "prices.import.empty")
	}
	if len(res.Errors) > 0 {
		return res, ErrInvalidFile
	}
	if err := s.SaveBasket(ctx, a, BasketInput{Name: name, Base: base, Weights: weights}); err != nil {
		return res, err
	}
	res.Created = len(weights)
	return res, nil
}
