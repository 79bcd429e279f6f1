package services

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// ScaleFiles is the number of files SeedScale makes per unit of scale:
// several years of letters and permits of a city of 400,000.
const ScaleFiles = 200_000

// SeedScale implements app.ScaleSeeder: scale × 200,000 files with their
// stages, written with multi-row INSERTs in large transactions.
func (m *Module) SeedScale(ctx context.Context, d *app.Deps, scale int) error {
	_, err := m.SeedFiles(ctx, scale*ScaleFiles, uint64(5371+scale))
	return err
}

// Rows per INSERT statement (within SQLite's and PostgreSQL's parameter
// limits) and files per transaction.
const (
	scaleBulkRows = 400
	scaleBulkTx   = 20_000
)

type genFile struct {
	a      Application
	stages []StageRow
}

// SeedFiles writes n generated files (deterministic for a seed) after
// the existing ones and answers how many it wrote. Benchmarks call it
// with smaller counts than SeedScale.
func (m *Module) SeedFiles(ctx context.Context, n int, seed uint64) (int, error) {
	svcs, err := m.services(ctx)
	if err != nil {
		return 0, err
	}
	kels := m.d.Regions.Kelurahan()
	// One sealed NIK serves every generated file: sealing is what real
	// files pay, not what volume tests measure.
	sealed, err := m.d.Sealer.Seal("5371044507900001")
	if err != nil {
		return 0, err
	}
	var nextApp, nextStage int64
	if err := m.d.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM svc_applications`).Scan(&nextApp); err != nil {
		return 0, err
	}
	if err := m.d.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM svc_stages`).Scan(&nextStage); err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(seed, seed*7919))
	now := m.d.Clock.Now()
	written := 0
	for written < n {
		batch := make([]genFile, 0, min(scaleBulkTx, n-written))
		for len(batch) < cap(batch) {
			nextApp++
			svc := svcs[rng.IntN(len(svcs))]
			g := genFile{a: Application{ID: nextApp, ServiceCode: svc.Code, ApplicantID: 0, NIKSealed: sealed, NIKMasked: "5371**********01",
				KelurahanCode: kels[rng.IntN(len(kels))].Code}}
			g.a.Number = fmt.Sprintf("%s-G%02d-%07d", strings.ToUpper(svc.Code), seed%100, nextApp)
			g.a.Phone = fmt.Sprintf("+62812%08d", rng.IntN(100_000_000))
			g.a.PhoneLast4 = g.a.Phone[len(g.a.Phone)-4:]
			g.a.ApplicantName = fmt.Sprintf("Pemohon %d", nextApp)
			g.a.CreatedAt = now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour)
			g.a.SubmittedAt = g.a.CreatedAt
			// Most files are finished; the rest wait at some stage.
			done := len(svc.Stages)
			g.a.Status = StatusCompleted
			if rng.IntN(10) < 2 {
				done = rng.IntN(len(svc.Stages))
				g.a.Status = StatusInProgress
			}
			t := g.a.SubmittedAt
			for i, st := range svc.Stages {
				nextStage++
				s := StageRow{ID: nextStage, ApplicationID: nextApp, Code: st.Code, Position: i, UnitCode: resolveUnit(st.Unit, g.a.KelurahanCode),
					Status: StagePending}
				switch {
				case i < done:
					s.Status, s.StartedAt, s.DueAt = StageDone, t, t.Add(time.Duration(st.SLADays+1)*24*time.Hour)
					t = t.Add(time.Duration(1+rng.IntN(max(1, st.SLADays+2)*24)) * time.Hour)
					s.FinishedAt = t
				case i == done:
					s.Status, s.StartedAt, s.DueAt = StageActive, t, t.Add(time.Duration(st.SLADays+1)*24*time.Hour)
				}
				g.stages = append(g.stages, s)
			}
			if g.a.Status == StatusCompleted {
				g.a.CompletedAt = t
			}
			batch = append(batch, g)
		}
		err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
			if err := bulkApps(ctx, tx, batch); err != nil {
				return err
			}
			return bulkStages(ctx, tx, batch)
		})
		if err != nil {
			return written, err
		}
		written += len(batch)
	}
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		if m.d.DB.Dialect == database.Postgres {
			// Explicit ids do not move PostgreSQL's identity sequences.
			for _, t := range []string{"svc_applications", "svc_stages"} {
				if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
					return err
				}
			}
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: audit.System("seed"), Action: "service_application.generated",
			ObjectType: "service_application", Note: fmt.Sprintf("%d generated files (scale data)", written)})
	})
	return written, err
}

func bulkPlaceholders(b *strings.Builder, rows, cols int) {
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := 0; j < cols; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(i*cols+j+1))
		}
		b.WriteByte(')')
	}
}

func bulkApps(ctx context.Context, tx *sql.Tx, batch []genFile) error {
	const cols = 17
	for start := 0; start < len(batch); start += scaleBulkRows {
		part := batch[start:min(start+scaleBulkRows, len(batch))]
		var b strings.Builder
		b.WriteString(`INSERT INTO svc_applications (id, number, service_code, applicant_id, applicant_name, phone, phone_last4, nik_sealed,
			nik_masked, kelurahan_code, fields, status, revision, version, created_at, submitted_at, completed_at) VALUES `)
		bulkPlaceholders(&b, len(part), cols)
		args := make([]any, 0, len(part)*cols)
		for _, g := range part {
			a := g.a
			args = append(args, a.ID, a.Number, a.ServiceCode, a.ApplicantID, a.ApplicantName, a.Phone, a.PhoneLast4, a.NIKSealed, a.NIKMasked,
				a.KelurahanCode, "{}", a.Status, 1, 1, database.TimeArg(a.CreatedAt), database.TimeArg(a.SubmittedAt), database.NullTimeArg(a.CompletedAt))
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

func bulkStages(ctx context.Context, tx *sql.Tx, batch []genFile) error {
	const cols = 9
	var all []StageRow
	for _, g := range batch {
		all = append(all, g.stages...)
	}
	for start := 0; start < len(all); start += scaleBulkRows {
		part := all[start:min(start+scaleBulkRows, len(all))]
		var b strings.Builder
		b.WriteString(`INSERT INTO svc_stages (id, application_id, code, position, unit_code, status, started_at, due_at, finished_at) VALUES `)
		bulkPlaceholders(&b, len(part), cols)
		args := make([]any, 0, len(part)*cols)
		for _, s := range part {
			args = append(args, s.ID, s.ApplicationID, s.Code, s.Position, s.UnitCode, s.Status, database.NullTimeArg(s.StartedAt),
				database.NullTimeArg(s.DueAt), database.NullTimeArg(s.FinishedAt))
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
