package health

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/icd10"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Visit states follow FHIR Encounter.status (SATUSEHAT sends them as
// statusHistory): a number taken is "arrived", a call moves the visit to
// "in-progress", the doctor's close to "finished".
const (
	visitArrived    = "arrived"
	visitInProgress = "in-progress"
	visitFinished   = "finished"
)

// Queue entry states.
const (
	queueWaiting = "waiting"
	queueCalled  = "called"
	queueSkipped = "skipped"
	queueDone    = "done"
)

// visit is one visit with what the visit page edits.
type visit struct {
	ID                                   int64
	PatientID                            int64
	PKM, Poli, Date, Status, Payer, Sex  string
	AgeDays                              int
	Kelurahan                            string
	ArrivedAt, StartedAt, FinishedAt     time.Time
	Systolic, Diastolic, Pulse, RespRate *int64
	TempC, WeightKg, HeightCm            *float64
	Anamnesis, Actions                   string
	UpdatedAt                            time.Time
	QueueNumber                          int
}

const visitColumns = `v.id, v.patient_id, v.puskesmas_code, v.poli_code, v.visit_date, v.status, v.payer, v.sex, v.age_days, v.kelurahan_code,
	v.arrived_at, v.started_at, v.finished_at, v.systolic, v.diastolic, v.pulse, v.resp_rate, v.temp_c, v.weight_kg, v.height_cm,
	v.anamnesis, v.actions, v.updated_at, COALESCE(q.number, 0)`

func scanVisit(sc interface{ Scan(...any) error }) (visit, error) {
	var v visit
	var sys, dia, pulse, resp sql.NullInt64
	var temp, weight, height sql.NullFloat64
	err := sc.Scan(&v.ID, &v.PatientID, &v.PKM, &v.Poli, &v.Date, &v.Status, &v.Payer, &v.Sex, &v.AgeDays, &v.Kelurahan,
		database.T(&v.ArrivedAt), database.T(&v.StartedAt), database.T(&v.FinishedAt), &sys, &dia, &pulse, &resp, &temp, &weight, &height,
		&v.Anamnesis, &v.Actions, database.T(&v.UpdatedAt), &v.QueueNumber)
	v.Systolic, v.Diastolic, v.Pulse, v.RespRate = nullInt(sys), nullInt(dia), nullInt(pulse), nullInt(resp)
	v.TempC, v.WeightKg, v.HeightCm = nullFloat(temp), nullFloat(weight), nullFloat(height)
	return v, err
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func nullFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Float64
}

func (m *Module) getVisit(ctx context.Context, id int64) (visit, error) {
	return scanVisit(m.d.DB.QueryRowContext(ctx, `SELECT `+visitColumns+` FROM health_visits v
		LEFT JOIN health_queue q ON q.visit_id = v.id WHERE v.id = $1`, id))
}

// takeNumber registers a visit and gives the patient the next number of
// the poli's queue today.
func (m *Module) takeNumber(ctx context.Context, p patient, pkm, poliCode, payer string) (int, int64, error) {
	now := m.d.Clock.Now()
	day := m.todayString()
	age := ageDaysOn(p.BirthDate, m.today())
	var number int
	var visitID int64
	err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO health_visits (patient_id, puskesmas_code, poli_code, visit_date, status, payer, sex, age_days,
			kelurahan_code, arrived_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			p.ID, pkm, poliCode, day, visitArrived, payer, p.Sex, age, p.Kelurahan, database.TimeArg(now)).Scan(&visitID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM health_queue WHERE puskesmas_code = $1 AND poli_code = $2 AND day = $3`,
			pkm, poliCode, day).Scan(&number); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO health_queue (puskesmas_code, poli_code, day, number, visit_id, status, taken_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, pkm, poliCode, day, number, visitID, queueWaiting, database.TimeArg(now))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE health_patients SET updated_at = $2 WHERE id = $1`, p.ID, database.TimeArg(now))
		return err
	})
	return number, visitID, err
}

// errQueueEmpty: nobody is waiting at the poli.
var errQueueEmpty = errors.New("health: nobody waiting")

// callNext calls the lowest waiting number of a poli today; the visit
// moves to in-progress.
func (m *Module) callNext(ctx context.Context, pkm, poliCode string) (int, error) {
	now := database.TimeArg(m.d.Clock.Now())
	var number int
	err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id, visitID int64
		err := tx.QueryRowContext(ctx, `SELECT id, visit_id, number FROM health_queue WHERE puskesmas_code = $1 AND poli_code = $2 AND day = $3
			AND status = $4 ORDER BY number LIMIT 1`, pkm, poliCode, m.todayString(), queueWaiting).Scan(&id, &visitID, &number)
		if errors.Is(err, sql.ErrNoRows) {
			return errQueueEmpty
		} else if err != nil {
			return err
		}
		return markCalled(ctx, tx, id, visitID, now)
	})
	return number, err
}

func markCalled(ctx context.Context, tx *sql.Tx, queueID, visitID int64, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE health_queue SET status = $2, called_at = $3, call_count = call_count + 1 WHERE id = $1`,
		queueID, queueCalled, now); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE health_visits SET status = $2, started_at = COALESCE(started_at, $3), updated_at = $3
		WHERE id = $1 AND status <> $4`, visitID, visitInProgress, now, visitFinished)
	return err
}

// queueEntry is one number of a queue.
type queueEntry struct {
	ID, VisitID, PatientID int64
	PKM, Poli, Day, Status string
	Number, CallCount      int
	TakenAt, CalledAt      time.Time
	PatientName            string
}

func (m *Module) getQueueEntry(ctx context.Context, id int64) (queueEntry, error) {
	var e queueEntry
	err := m.d.DB.QueryRowContext(ctx, `SELECT q.id, q.visit_id, v.patient_id, q.puskesmas_code, q.poli_code, q.day, q.status, q.number, q.call_count,
		q.taken_at, q.called_at FROM health_queue q JOIN health_visits v ON v.id = q.visit_id WHERE q.id = $1`, id).Scan(&e.ID, &e.VisitID, &e.PatientID,
		&e.PKM, &e.Poli, &e.Day, &e.Status, &e.Number, &e.CallCount, database.T(&e.TakenAt), database.T(&e.CalledAt))
	return e, err
}

// skip passes over a called number whose patient did not come; it can be
// recalled later.
func (m *Module) skip(ctx context.Context, e queueEntry) error {
	now := database.TimeArg(m.d.Clock.Now())
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE health_queue SET status = $2 WHERE id = $1`, e.ID, queueSkipped); err != nil {
			return err
		}
		// Back to waiting: the in-progress period starts again when the
		// number is recalled.
		_, err := tx.ExecContext(ctx, `UPDATE health_visits SET status = $2, started_at = NULL, updated_at = $3 WHERE id = $1 AND status = $4`,
			e.VisitID, visitArrived, now, visitInProgress)
		return err
	})
}

// recall calls a number again (announced once more, or a skipped patient
// who came back).
func (m *Module) recall(ctx context.Context, e queueEntry) error {
	now := database.TimeArg(m.d.Clock.Now())
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error { return markCalled(ctx, tx, e.ID, e.VisitID, now) })
}

// diagnosisInput is one diagnosis as entered.
type diagnosisInput struct {
	Code     string
	CaseType string // "new" | "old"
}

// addDiagnosis records a diagnosis and counts it in LB1. A code not in
// the ICD-10 list is refused.
func (m *Module) addDiagnosis(ctx context.Context, v visit, in diagnosisInput) error {
	c, ok := icd10.Lookup(in.Code)
	if !ok {
		return fieldErrors{"icd10": "health.err.icd10_unknown"}
	}
	if in.CaseType != "new" && in.CaseType != "old" {
		return fieldErrors{"case_type": "health.err.case_type"}
	}
	if v.Status == visitFinished {
		return fieldErrors{"icd10": "health.err.visit_closed"}
	}
	day, _ := time.Parse(database.DateLayout, v.Date)
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM health_diagnoses WHERE visit_id = $1`, v.ID).Scan(&n); err != nil {
			return err
		}
		d := diagnosisRow{VisitID: v.ID, PatientID: v.PatientID, PKM: v.PKM, ICD: c.Code, CaseType: in.CaseType, Primary: n == 0,
			Day: day, Sex: v.Sex, AgeDays: v.AgeDays}
		return insertDiagnoses(ctx, tx, []diagnosisRow{d}, database.TimeArg(m.d.Clock.Now()))
	})
}

// diagnosisRow is a diagnosis to write (also used by the demo and scale
// generators, which write thousands at once).
type diagnosisRow struct {
	VisitID, PatientID int64
	PKM, ICD, CaseType string
	Primary            bool
	Day                time.Time
	Sex                string
	AgeDays            int
}

// insertDiagnoses writes diagnoses and adds them to the LB1 counts.
func insertDiagnoses(ctx context.Context, tx *sql.Tx, ds []diagnosisRow, now string) error {
	for _, d := range ds {
		month, group := d.Day.Format("2006-01"), ageGroup(d.AgeDays)
		if _, err := tx.ExecContext(ctx, `INSERT INTO health_diagnoses (visit_id, patient_id, puskesmas_code, icd10, case_type, is_primary, visit_date,
			month, week_start, skdr_code, sex, age_group, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			d.VisitID, d.PatientID, d.PKM, d.ICD, d.CaseType, d.Primary, d.Day.Format(database.DateLayout), month,
			epiWeekStart(d.Day).Format(database.DateLayout), skdrCodeOf(d.ICD), d.Sex, group, now); err != nil {
			return err
		}
		newCases, oldCases := 1, 0
		if d.CaseType == "old" {
			newCases, oldCases = 0, 1
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO health_lb1 (puskesmas_code, month, icd10, age_group, sex, new_cases, old_cases)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (puskesmas_code, month, icd10, age_group, sex)
			DO UPDATE SET new_cases = health_lb1.new_cases + excluded.new_cases, old_cases = health_lb1.old_cases + excluded.old_cases`,
			d.PKM, month, d.ICD, group, d.Sex, newCases, oldCases); err != nil {
			return err
		}
	}
	return nil
}

// finishVisit closes a visit; it needs a diagnosis (LB1 counts visits by
// diagnosis, and SATUSEHAT expects one on a finished encounter).
func (m *Module) finishVisit(ctx context.Context, v visit) error {
	if v.Status == visitFinished {
		return nil
	}
	now := database.TimeArg(m.d.Clock.Now())
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM health_diagnoses WHERE visit_id = $1`, v.ID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fieldErrors{"icd10": "health.err.diagnosis_required"}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE health_visits SET status = $2, started_at = COALESCE(started_at, $3), finished_at = $3, updated_at = $3
			WHERE id = $1`, v.ID, visitFinished, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE health_queue SET status = $2 WHERE visit_id = $1`, v.ID, queueDone)
		return err
	})
}
