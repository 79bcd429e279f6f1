package health

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
)

// patient is a registry row. The NIKs stay sealed; NIKMasked is what
// lists show.
type patient struct {
	ID                 int64
	PKM                string
	MRN                string
	NIKSealed          string
	NIKMasked          string
	BPJSMasked         string
	Name               string
	Sex                string // "male" | "female"
	BirthDate          time.Time
	Kelurahan          string
	Address            string
	MotherID           int64
	MotherNIKSealed    string
	MotherName         string
	CreatedAt, Updated time.Time
}

// patientInput is a registration as typed.
type patientInput struct {
	PKM, NIK, BPJS, Name, Sex, BirthDate, Kelurahan, Address, MotherNIK, MotherName string
}

// errDuplicateNIK carries the patient already registered with a NIK.
type errDuplicateNIK struct{ ID int64 }

func (e *errDuplicateNIK) Error() string { return fmt.Sprintf("patient %d has this NIK", e.ID) }

// fieldErrors are the refused fields of a form, field → message key.
type fieldErrors map[string]string

func (fe fieldErrors) Error() string { return fmt.Sprintf("%d invalid fields", len(fe)) }

const patientColumns = `id, puskesmas_code, mrn, nik_sealed, nik_masked, bpjs_masked, name, sex, birth_date, kelurahan_code, address,
	COALESCE(mother_id, 0), mother_nik_sealed, mother_name, created_at, updated_at`

func scanPatient(sc interface{ Scan(...any) error }) (patient, error) {
	var p patient
	var birth string
	err := sc.Scan(&p.ID, &p.PKM, &p.MRN, &p.NIKSealed, &p.NIKMasked, &p.BPJSMasked, &p.Name, &p.Sex, &birth, &p.Kelurahan,
		&p.Address, &p.MotherID, &p.MotherNIKSealed, &p.MotherName, database.T(&p.CreatedAt), database.T(&p.Updated))
	if err != nil {
		return p, err
	}
	p.BirthDate, err = time.Parse(database.DateLayout, birth)
	return p, err
}

func (m *Module) getPatient(ctx context.Context, id int64) (patient, error) {
	return scanPatient(m.d.DB.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM health_patients WHERE id = $1`, id))
}

// patientByNIK finds a patient by the blind index of a NIK.
func (m *Module) patientByNIK(ctx context.Context, nik string) (int64, error) {
	var id int64
	err := m.d.DB.QueryRowContext(ctx, `SELECT id FROM health_patients WHERE nik_index = $1`, m.d.Sealer.BlindIndex(nik)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// validNIK parses a NIK for field, mapping idnum's codes to messages.
func (m *Module) validNIK(s, field string) (idnum.NIK, error) {
	nik, err := idnum.ParseNIK(s, m.d.Clock.Now().In(m.d.Location))
	var ie *idnum.Error
	if errors.As(err, &ie) {
		return nik, fieldErrors{field: "health.err." + string(ie.Code)}
	}
	return nik, err
}

// checkPatient validates a registration. The NIK's birth date and sex must
// agree with what was entered (DOMAIN §2); the form says which one does
// not.
func (m *Module) checkPatient(in *patientInput) (idnum.NIK, time.Time, fieldErrors) {
	errs := fieldErrors{}
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	if in.Name == "" {
		errs["name"] = "health.err.name_required"
	} else if utf8.RuneCountInString(in.Name) > 200 {
		errs["name"] = "health.err.too_long"
	}
	if in.Sex != "male" && in.Sex != "female" {
		errs["sex"] = "health.err.sex"
	}
	birth, err := time.Parse(database.DateLayout, strings.TrimSpace(in.BirthDate))
	today := m.d.Clock.Now().In(m.d.Location).Format(database.DateLayout)
	switch {
	case err != nil:
		errs["birth_date"] = "health.err.date"
	case birth.Format(database.DateLayout) > today:
		errs["birth_date"] = "health.err.date_future"
	case birth.Year() < 1900:
		errs["birth_date"] = "health.err.date"
	}
	var nik idnum.NIK
	if strings.TrimSpace(in.NIK) != "" {
		n, err := m.validNIK(in.NIK, "nik")
		var fe fieldErrors
		if errors.As(err, &fe) {
			for k, v := range fe {
				errs[k] = v
			}
		} else if err == nil {
			nik = n
			sex := idnum.SexMale
			if in.Sex == "female" {
				sex = idnum.SexFemale
			}
			if errs["birth_date"] != "" {
				birth = time.Time{}
			}
			var ie *idnum.Error
			for _, e := range flattenErrors(idnum.CheckNIKAgainst(nik, birth, sex)) {
				if errors.As(e, &ie) {
					errs[ie.Field] = "health.err." + string(ie.Code)
				}
			}
		}
	}
	if strings.TrimSpace(in.BPJS) != "" {
		b, err := idnum.ParseBPJS(in.BPJS)
		var ie *idnum.Error
		if errors.As(err, &ie) {
			errs["bpjs"] = "health.err." + string(ie.Code)
		}
		in.BPJS = b
	}
	if strings.TrimSpace(in.MotherNIK) != "" {
		if _, err := m.validNIK(in.MotherNIK, "mother_nik"); err != nil {
			var fe fieldErrors
			if errors.As(err, &fe) {
				for k, v := range fe {
					errs[k] = v
				}
			}
		}
	}
	if in.Kelurahan != "" {
		if r, ok := m.d.Regions.Lookup(in.Kelurahan); !ok || r.Level != regions.LevelKelurahan {
			errs["kelurahan"] = "health.err.kelurahan"
		}
	}
	in.Address = strings.TrimSpace(in.Address)
	in.MotherName = strings.Join(strings.Fields(in.MotherName), " ")
	if utf8.RuneCountInString(in.Address) > 500 || utf8.RuneCountInString(in.MotherName) > 200 {
		errs["address"] = "health.err.too_long"
	}
	return nik, birth, errs
}

// flattenErrors undoes errors.Join.
func flattenErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// registerPatient validates and stores a new patient. A NIK already
// registered is an *errDuplicateNIK naming the existing patient: one
// person, one record.
func (m *Module) registerPatient(ctx context.Context, in patientInput) (int64, error) {
	nik, birth, errs := m.checkPatient(&in)
	if len(errs) > 0 {
		return 0, errs
	}
	var nikSealed, bpjsSealed, motherSealed string
	var nikIndex, motherIndex any
	var err error
	if !nik.IsZero() {
		if id, err := m.patientByNIK(ctx, nik.Digits()); err != nil || id != 0 {
			if err != nil {
				return 0, err
			}
			return 0, &errDuplicateNIK{ID: id}
		}
		if nikSealed, err = m.d.Sealer.Seal(nik.Digits()); err != nil {
			return 0, err
		}
		nikIndex = m.d.Sealer.BlindIndex(nik.Digits())
	}
	if in.BPJS != "" {
		if bpjsSealed, err = m.d.Sealer.Seal(in.BPJS); err != nil {
			return 0, err
		}
	}
	var motherID any
	if in.MotherNIK != "" {
		mn, _ := m.validNIK(in.MotherNIK, "mother_nik")
		if motherSealed, err = m.d.Sealer.Seal(mn.Digits()); err != nil {
			return 0, err
		}
		motherIndex = m.d.Sealer.BlindIndex(mn.Digits())
		if id, err := m.patientByNIK(ctx, mn.Digits()); err != nil {
			return 0, err
		} else if id != 0 {
			motherID = id
		}
	}
	now := database.TimeArg(m.d.Clock.Now())
	var id int64
	for attempt := 0; ; attempt++ {
		err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
			n, err := lastMRN(ctx, tx, in.PKM)
			if err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `INSERT INTO health_patients (puskesmas_code, mrn, nik_sealed, nik_index, nik_masked, bpjs_sealed, bpjs_masked,
				name, sex, birth_date, kelurahan_code, address, mother_id, mother_nik_sealed, mother_nik_index, mother_name, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id`,
				in.PKM, fmt.Sprintf("%06d", n+1), nikSealed, nikIndex, idnum.MaskNIK(nik.Digits()), bpjsSealed, idnum.MaskBPJS(in.BPJS),
				in.Name, in.Sex, birth.Format(database.DateLayout), in.Kelurahan, in.Address, motherID, motherSealed, motherIndex,
				in.MotherName, now).Scan(&id)
		})
		// Two registrations at once at one puskesmas can pick the same
		// number (PostgreSQL); the second simply takes the next one. The
		// same NIK registered twice at once is the duplicate case.
		if database.IsUniqueViolation(err) && attempt < 3 {
			if !nik.IsZero() {
				if id, lerr := m.patientByNIK(ctx, nik.Digits()); lerr == nil && id != 0 {
					return 0, &errDuplicateNIK{ID: id}
				}
			}
			continue
		}
		return id, err
	}
}

// patientPKMs lists the puskesmas a patient belongs to: where registered,
// and every puskesmas that has seen them since. Staff of any of them may
// open the record.
func (m *Module) patientPKMs(ctx context.Context, p patient) ([]string, error) {
	out := []string{p.PKM}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT DISTINCT puskesmas_code FROM health_visits WHERE patient_id = $1 AND puskesmas_code <> $2`, p.ID, p.PKM)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ageDaysOn is a person's age in whole days on day (both calendar dates).
func ageDaysOn(birth, day time.Time) int {
	b := time.Date(birth.Year(), birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC)
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	return int(d.Sub(b).Hours() / 24)
}

// lastMRN is the highest medical-record number of a puskesmas (numbers
// are decimal, zero-padded to six digits, longer beyond 999,999).
func lastMRN(ctx context.Context, q database.Querier, pkm string) (int64, error) {
	var mrn string
	err := q.QueryRowContext(ctx, `SELECT mrn FROM health_patients WHERE puskesmas_code = $1 ORDER BY LENGTH(mrn) DESC, mrn DESC LIMIT 1`, pkm).Scan(&mrn)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	n, _ := strconv.ParseInt(mrn, 10, 64)
	return n, nil
}
