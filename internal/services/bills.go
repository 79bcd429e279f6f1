package services

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/services/retribution"
)

// Bill is a PNBP or SKRD bill of a file.
type Bill struct {
	ID            int64          `json:"-"`
	Number        string         `json:"number"`
	ApplicationID int64          `json:"-"`
	FileNumber    string         `json:"file_number,omitempty"`
	StageCode     string         `json:"stage"`
	Kind          string         `json:"kind"`
	Amount        int64          `json:"amount"`
	Breakdown     map[string]any `json:"breakdown,omitempty"`
	DueDate       string         `json:"due_date"`
	Status        string         `json:"status"`
	PaidAt        time.Time      `json:"paid_at,omitzero"`
	Reference     string         `json:"reference,omitempty"`
}

const retributionSetting = "pbg_retribution"

// indices returns the configured retribution indices (defaults until an
// administrator saves others).
func (m *Module) indices(ctx context.Context, q database.Querier) (retribution.Indices, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM svc_settings WHERE name = $1`, retributionSetting).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return retribution.Defaults(), nil
	}
	if err != nil {
		return retribution.Indices{}, err
	}
	var ix retribution.Indices
	if err := json.Unmarshal([]byte(raw), &ix); err != nil {
		return ix, err
	}
	return ix, nil
}

// retributionInput builds the calculator input from the PBG file's
// fields and the assessment stage's recorded data.
func retributionInput(a *Application, data map[string]string) retribution.Input {
	area, _ := strconv.ParseFloat(a.Fields["luas_bangunan"], 64)
	floors, _ := strconv.Atoi(a.Fields["jumlah_lantai"])
	return retribution.Input{Area: area, Floors: floors, Function: a.Fields["fungsi"], Complexity: data["kompleksitas"],
		Permanence: data["permanensi"], Ownership: data["kepemilikan"], Building: data["jenis_pekerjaan"]}
}

// createBill issues the bill a stage's approval produces and answers its
// number and amount.
func (m *Module) createBill(ctx context.Context, tx *sql.Tx, cal interface {
	AddWorkingDays(time.Time, int) time.Time
}, a *Application, def Stage, data map[string]string) (string, int64, error) {
	now := m.d.Clock.Now()
	var amount int64
	var breakdown any = map[string]any{}
	dueDays := 5
	switch def.Bill {
	case "pnbp":
		v, err := strconv.ParseFloat(data["pnbp_amount"], 64)
		if err != nil || v < 0 {
			return "", 0, errInvalid("services.err_check_fields", map[string]string{"pnbp_amount": "services.err_number"})
		}
		amount = int64(v + 0.5)
		breakdown = map[string]any{"pnbp": amount}
	case "skrd":
		ix, err := m.indices(ctx, tx)
		if err != nil {
			return "", 0, err
		}
		r, b, err := ix.Compute(retributionInput(a, data))
		var fe *retribution.FieldError
		if errors.As(err, &fe) {
			return "", 0, errInvalid("services.err_check_fields", map[string]string{fe.Field: "services.err_retribution_input"})
		}
		if err != nil {
			return "", 0, err
		}
		amount, breakdown, dueDays = r, b, ix.DueDays
	}
	kind := strings.ToUpper(def.Bill)
	year := now.In(m.d.Location).Format("2006")
	seq, err := nextCounter(ctx, tx, "bill:"+kind+":"+year)
	if err != nil {
		return "", 0, err
	}
	number := fmt.Sprintf("%s-%s-%06d", kind, year, seq)
	due := cal.AddWorkingDays(now, dueDays).In(m.d.Location).Format(database.DateLayout)
	if _, err := tx.ExecContext(ctx, `INSERT INTO svc_bills (number, application_id, stage_code, kind, amount, breakdown, due_date, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'unpaid', $8)`, number, a.ID, def.Code, def.Bill, amount, mustJSON(breakdown), due,
		database.TimeArg(now)); err != nil {
		return "", 0, err
	}
	if err := m.addEvent(ctx, tx, a.ID, Event{Kind: "billed", StageCode: def.Code, Note: fmt.Sprintf("%s Rp %d, jatuh tempo %s", number, amount, due),
		Revision: a.Revision}); err != nil {
		return "", 0, err
	}
	if amount == 0 {
		// Settled by the caller once the payment stage has started.
		return number, 0, nil
	}
	return number, amount, m.notifyApplicant(ctx, tx, a, "services.msg_billed", a.Number, number, amount, due)
}

func (m *Module) billsOf(ctx context.Context, q database.Querier, appID int64) ([]Bill, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, number, application_id, stage_code, kind, amount, breakdown, due_date, status, paid_at, reference
		FROM svc_bills WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Bill
	for rows.Next() {
		b, err := scanBill(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func scanBill(sc interface{ Scan(...any) error }) (Bill, error) {
	var b Bill
	var breakdown string
	if err := sc.Scan(&b.ID, &b.Number, &b.ApplicationID, &b.StageCode, &b.Kind, &b.Amount, &breakdown, &b.DueDate, &b.Status,
		database.T(&b.PaidAt), &b.Reference); err != nil {
		return b, err
	}
	return b, json.Unmarshal([]byte(breakdown), &b.Breakdown)
}

// Pay records a payment of a bill (officer or bank callback) and moves
// the file on. Paying the same bill again with the same reference is a
// harmless repeat (banks retry callbacks); another reference is a 409.
func (m *Module) Pay(ctx context.Context, actor audit.Actor, billNumber string, amount int64, reference string) (Bill, error) {
	cal, err := m.cal.Calendar(ctx)
	if err != nil {
		return Bill{}, err
	}
	if _, err := m.key(ctx); err != nil {
		return Bill{}, err
	}
	var out Bill
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		b, err := scanBill(tx.QueryRowContext(ctx, `SELECT id, number, application_id, stage_code, kind, amount, breakdown, due_date, status, paid_at, reference
			FROM svc_bills WHERE number = $1`, billNumber))
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		}
		if err != nil {
			return err
		}
		if b.Status == "paid" {
			if b.Reference == reference {
				out = b
				return nil
			}
			return errConflict("already_paid", "services.err_already_paid")
		}
		if amount < b.Amount {
			return errInvalid("services.err_check_fields", map[string]string{"amount": "services.err_amount_short"})
		}
		a, err := m.appByID(ctx, tx, b.ApplicationID)
		if err != nil {
			return err
		}
		if a.Closed() {
			return errConflict("closed", "services.err_closed")
		}
		svc, err := m.service(ctx, tx, a.ServiceCode)
		if err != nil {
			return err
		}
		if err := m.settle(ctx, tx, cal, svc, a, b.Number, amount, reference, actor); err != nil {
			return err
		}
		out, err = scanBill(tx.QueryRowContext(ctx, `SELECT id, number, application_id, stage_code, kind, amount, breakdown, due_date, status, paid_at, reference
			FROM svc_bills WHERE number = $1`, billNumber))
		return err
	})
	if err == nil {
		out.FileNumber = m.fileNumberOf(ctx, out.ApplicationID)
	}
	return out, err
}

func (m *Module) fileNumberOf(ctx context.Context, appID int64) string {
	var n string
	_ = m.d.DB.QueryRowContext(ctx, `SELECT COALESCE(number, '') FROM svc_applications WHERE id = $1`, appID).Scan(&n)
	return n
}

// settle marks a bill paid and completes the payment stage that waits
// for it.
func (m *Module) settle(ctx context.Context, tx *sql.Tx, cal interface {
	AddWorkingDays(time.Time, int) time.Time
}, svc *Service, a *Application, billNumber string, amount int64, reference string, actor audit.Actor) error {
	now := m.d.Clock.Now()
	res, err := tx.ExecContext(ctx, `UPDATE svc_bills SET status = 'paid', paid_at = $1, paid_amount = $2, reference = $3
		WHERE number = $4 AND status = 'unpaid'`, database.TimeArg(now), amount, reference, billNumber)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errConflict("already_paid", "services.err_already_paid")
	}
	var def Stage
	found := false
	for _, st := range svc.Stages {
		if st.Payment {
			var status string
			if err := tx.QueryRowContext(ctx, `SELECT status FROM svc_stages WHERE application_id = $1 AND code = $2`, a.ID, st.Code).Scan(&status); err != nil {
				return err
			}
			if status == StageActive {
				def, found = st, true
				break
			}
		}
	}
	if !found {
		return errConflict("not_active", "services.err_stage_not_active")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE svc_stages SET status = $1, finished_at = $2, data = $3, version = version + 1
		WHERE application_id = $4 AND code = $5 AND status = $6`, StageDone, database.TimeArg(now),
		mustJSON(map[string]string{"bill": billNumber, "reference": reference, "amount": strconv.FormatInt(amount, 10)}), a.ID, def.Code, StageActive); err != nil {
		return err
	}
	if err := m.addEvent(ctx, tx, a.ID, Event{Kind: "paid", StageCode: def.Code, Actor: actor.Name, Note: billNumber, Revision: a.Revision}); err != nil {
		return err
	}
	if err := m.d.Audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "service_bill.paid", ObjectType: "service_application",
		ObjectID: audit.ObjectID(a.ID), After: map[string]any{"bill": billNumber, "amount": amount, "reference": reference}}); err != nil {
		return err
	}
	return m.afterStageDone(ctx, tx, cal, svc, a, def)
}
