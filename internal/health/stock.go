package health

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/tabular"
)

// stockLevel is a drug with the quantity a puskesmas holds.
type stockLevel struct {
	Code, Name, Unit string
	Qty              int
}

func (m *Module) stockLevels(r *http.Request, pkm string) ([]stockLevel, error) {
	rows, err := m.d.DB.QueryContext(r.Context(), `SELECT d.code, d.name, d.unit, COALESCE(s.qty, 0) FROM health_drugs d
		LEFT JOIN health_stock s ON s.drug_code = d.code AND s.puskesmas_code = $1 ORDER BY d.sort_order, d.code`, pkm)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stockLevel
	for rows.Next() {
		var s stockLevel
		if err := rows.Scan(&s.Code, &s.Name, &s.Unit, &s.Qty); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dispense gives a prescribed drug from the puskesmas' stock, refusing
// more than it holds (the stock never goes negative).
func (m *Module) dispense(ctx context.Context, v visit, drugCode string, qty int, dosage string) error {
	switch {
	case v.Status == visitFinished:
		return fieldErrors{"drug": "health.err.visit_closed"}
	case qty <= 0 || qty > 10000:
		return fieldErrors{"qty": "health.err.qty"}
	case dosage == "" || utf8.RuneCountInString(dosage) > 200:
		return fieldErrors{"dosage": "health.err.dosage"}
	}
	now := m.d.Clock.Now()
	day := m.today()
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		var known int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM health_drugs WHERE code = $1`, drugCode).Scan(&known); err != nil {
			return err
		}
		if known == 0 {
			return fieldErrors{"drug": "health.err.drug"}
		}
		res, err := tx.ExecContext(ctx, `UPDATE health_stock SET qty = qty - $3 WHERE puskesmas_code = $1 AND drug_code = $2 AND qty >= $3`,
			v.PKM, drugCode, qty)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fieldErrors{"qty": "health.err.stock_short"}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO health_stock_moves (puskesmas_code, drug_code, day, month, kind, qty, visit_id, dosage, created_at)
			VALUES ($1, $2, $3, $4, 'dispense', $5, $6, $7, $8)`, v.PKM, drugCode, day.Format(database.DateLayout), day.Format("2006-01"),
			-qty, v.ID, dosage, database.TimeArg(now))
		return err
	})
}

// receive books a delivery (from the city pharmacy warehouse) into stock.
func (m *Module) receive(ctx context.Context, pkm, drugCode string, qty int, note string) error {
	if qty <= 0 || qty > 1000000 {
		return fieldErrors{"qty": "health.err.qty"}
	}
	if utf8.RuneCountInString(note) > 200 {
		return fieldErrors{"note": "health.err.too_long"}
	}
	now := m.d.Clock.Now()
	day := m.today()
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		var known int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM health_drugs WHERE code = $1`, drugCode).Scan(&known); err != nil {
			return err
		}
		if known == 0 {
			return fieldErrors{"drug": "health.err.drug"}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO health_stock (puskesmas_code, drug_code, qty) VALUES ($1, $2, $3)
			ON CONFLICT (puskesmas_code, drug_code) DO UPDATE SET qty = health_stock.qty + excluded.qty`, pkm, drugCode, qty); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO health_stock_moves (puskesmas_code, drug_code, day, month, kind, qty, note, created_at)
			VALUES ($1, $2, $3, $4, 'receipt', $5, $6, $7)`, pkm, drugCode, day.Format(database.DateLayout), day.Format("2006-01"), qty, note,
			database.TimeArg(now))
		return err
	})
}

func (m *Module) stockPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	m.renderStock(w, r, http.StatusOK, s, nil)
}

func (m *Module) renderStock(w http.ResponseWriter, r *http.Request, status int, s pkmScope, errs fieldErrors) {
	levels, err := m.stockLevels(r, s.Current.Code)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.page(w, r, status, "stock.html", "health.stock.title", map[string]any{"Scope": s, "Stock": levels, "Errors": errs,
		"Flash": flash(r), "Month": m.today().Format("2006-01")})
}

func (m *Module) stockReceive(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	qty, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("qty")))
	if err != nil {
		qty = 0
	}
	err = m.receive(r.Context(), s.Current.Code, r.PostFormValue("drug"), qty, strings.TrimSpace(r.PostFormValue("note")))
	var fe fieldErrors
	if errors.As(err, &fe) {
		m.renderStock(w, r, http.StatusUnprocessableEntity, s, fe)
		return
	} else if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/kesehatan/obat?pkm="+url.QueryEscape(s.Current.Code)+"&flash=received", http.StatusSeeOther)
}

// lplpoRow is one drug of the LPLPO (Laporan Pemakaian dan Lembar
// Permintaan Obat): opening stock, receipts, supply, use, closing stock,
// the optimum stock and what to request for next month.
type lplpoRow struct {
	Code, Name, Unit                         string
	Opening, Received, Supply, Used, Closing int
	Optimum, Request                         int
}

// lplpoOptimumFactor: the optimum stock is a month's use plus the lead
// time and a safety buffer, together 20 % *(configurable; verify with the
// city pharmacy warehouse)*.
const lplpoOptimumFactor = 1.2

func (m *Module) lplpo(ctx context.Context, pkm, month string) ([]lplpoRow, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT d.code, d.name, d.unit,
		COALESCE(SUM(CASE WHEN s.month < $2 THEN s.qty ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN s.month = $2 AND s.kind = 'receipt' THEN s.qty ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN s.month = $2 AND s.kind = 'dispense' THEN -s.qty ELSE 0 END), 0)
		FROM health_drugs d LEFT JOIN health_stock_moves s ON s.drug_code = d.code AND s.puskesmas_code = $1 AND s.month <= $2
		GROUP BY d.code, d.name, d.unit, d.sort_order ORDER BY d.sort_order, d.code`, pkm, month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lplpoRow
	for rows.Next() {
		var l lplpoRow
		if err := rows.Scan(&l.Code, &l.Name, &l.Unit, &l.Opening, &l.Received, &l.Used); err != nil {
			return nil, err
		}
		l.Supply = l.Opening + l.Received
		l.Closing = l.Supply - l.Used
		l.Optimum = int(float64(l.Used)*lplpoOptimumFactor + 0.5)
		l.Request = max(0, l.Optimum-l.Closing)
		out = append(out, l)
	}
	return out, rows.Err()
}

// parseMonth reads ?month=YYYY-MM, defaulting to the current month.
func (m *Module) parseMonth(r *http.Request) (string, bool) {
	s := r.URL.Query().Get("month")
	if s == "" {
		return m.today().Format("2006-01"), true
	}
	if _, err := time.Parse("2006-01", s); err != nil {
		return "", false
	}
	return s, true
}

// lplpoPage is the monthly LPLPO of a puskesmas, as a page or as CSV
// (?format=csv) for the city pharmacy warehouse.
func (m *Module) lplpoPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permReports)
	if !ok {
		return
	}
	month, ok := m.parseMonth(r)
	if !ok {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "error.bad_param", "month"))
		return
	}
	rows, err := m.lplpo(r.Context(), s.Current.Code, month)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "csv" {
		t := tabular.Table{Sheet: "LPLPO " + month, Header: []string{"kode", "nama_obat", "satuan", "stok_awal", "penerimaan", "persediaan",
			"pemakaian", "sisa_stok", "stok_optimum", "permintaan"}}
		for _, l := range rows {
			t.Rows = append(t.Rows, []any{l.Code, l.Name, l.Unit, l.Opening, l.Received, l.Supply, l.Used, l.Closing, l.Optimum, l.Request})
		}
		_ = tabular.Serve(w, t, tabular.CSV, "lplpo-"+s.Current.Code+"-"+month)
		return
	}
	m.page(w, r, http.StatusOK, "lplpo.html", "health.lplpo.title", map[string]any{"Scope": s, "Month": month, "Rows": rows})
}
