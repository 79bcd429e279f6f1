package services

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/files"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
)

// DraftInput is what an applicant fills in.
type DraftInput struct {
	ServiceCode   string
	NIK           string
	KelurahanCode string
	Fields        map[string]string
}

// ChecklistItem is one requirement and whether it is met.
type ChecklistItem struct {
	Kind  string `json:"kind"` // "document" or "field"
	Code  string `json:"code"`
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Issue string `json:"issue,omitempty"` // message key when not OK
}

// applicant describes the signed-in citizen applying.
type applicant struct {
	ID    int64
	Name  string
	Phone string
}

func (m *Module) applicantOf(ctx context.Context, p *auth.Principal) (applicant, error) {
	u, err := m.d.Auth.Me(ctx, p)
	if err != nil {
		return applicant{}, err
	}
	name := u.Name
	if name == "" {
		name = idnum.MaskPhone(u.Phone)
	}
	return applicant{ID: p.UserID, Name: name, Phone: u.Phone}, nil
}

// checkNIK validates the NIK at the edge with the precise reason.
func (m *Module) checkNIK(nik string) (idnum.NIK, *Error) {
	n, err := idnum.ParseNIK(nik, m.d.Clock.Now().In(m.d.Location))
	if err != nil {
		return n, errInvalid("services.err_check_fields", map[string]string{"nik": "services.nik_" + string(idnum.CodeOf(err))})
	}
	return n, nil
}

func (m *Module) checkKelurahan(code string) bool {
	r, ok := m.d.Regions.Lookup(code)
	return ok && (r.Level == regions.LevelKelurahan || r.Level == regions.LevelDesa)
}

// CreateDraft starts an application for the signed-in citizen.
func (m *Module) CreateDraft(ctx context.Context, p *auth.Principal, ip string, in DraftInput) (*Application, error) {
	svc, err := m.service(ctx, m.d.DB, in.ServiceCode)
	if err != nil {
		return nil, err
	}
	nik, verr := m.checkNIK(in.NIK)
	if verr != nil {
		return nil, verr
	}
	if !m.checkKelurahan(in.KelurahanCode) {
		return nil, errInvalid("services.err_check_fields", map[string]string{"kelurahan_code": "services.err_kelurahan"})
	}
	values, problems := CheckValues(svc.Fields, in.Fields)
	// A draft may be incomplete, but what is there must be well-formed.
	for k, v := range problems {
		if v == "services.err_required" {
			delete(problems, k)
		}
	}
	if len(problems) > 0 {
		return nil, errInvalid("services.err_check_fields", problems)
	}
	who, err := m.applicantOf(ctx, p)
	if err != nil {
		return nil, err
	}
	sealed, err := m.d.Sealer.Seal(nik.Digits())
	if err != nil {
		return nil, err
	}
	last4 := ""
	if len(who.Phone) >= 4 {
		last4 = who.Phone[len(who.Phone)-4:]
	}
	now := database.TimeArg(m.d.Clock.Now())
	var id int64
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO svc_applications (service_code, applicant_id, applicant_name, phone, phone_last4,
			nik_sealed, nik_masked, kelurahan_code, parcel, fields, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			RETURNING id`, svc.Code, who.ID, who.Name, who.Phone, last4, sealed, idnum.MaskNIK(nik.Digits()), in.KelurahanCode,
			values["parcel"], mustJSON(values), StatusDraft, now).Scan(&id); err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(p, ip), Action: "service_application.created",
			ObjectType: "service_application", ObjectID: audit.ObjectID(id),
			After: map[string]any{"service": svc.Code, "nik": idnum.MaskNIK(nik.Digits())}})
	})
	if err != nil {
		return nil, err
	}
	return m.appByID(ctx, m.d.DB, id)
}

// ownApp loads an application of the signed-in applicant (404 for
// anyone else's, so numbers and ids cannot be probed).
func (m *Module) ownApp(ctx context.Context, q database.Querier, p *auth.Principal, id int64) (*Application, error) {
	a, err := m.appByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if a.ApplicantID != p.UserID || p.Kind != auth.Citizen {
		return nil, errNotFound()
	}
	return a, nil
}

// UpdateFields replaces the form values of a draft or a returned file.
func (m *Module) UpdateFields(ctx context.Context, p *auth.Principal, ip string, id int64, version int, in map[string]string) (*Application, error) {
	err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		a, err := m.ownApp(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if a.Status != StatusDraft && a.Status != StatusRevision {
			return errConflict("not_editable", "services.err_not_editable")
		}
		svc, err := m.service(ctx, tx, a.ServiceCode)
		if err != nil {
			return err
		}
		merged := map[string]string{}
		for k, v := range a.Fields {
			merged[k] = v
		}
		for k, v := range in {
			merged[k] = v
		}
		values, problems := CheckValues(svc.Fields, merged)
		for k, v := range problems {
			if v == "services.err_required" {
				delete(problems, k)
			}
		}
		if len(problems) > 0 {
			return errInvalid("services.err_check_fields", problems)
		}
		if version == 0 {
			version = a.Version
		}
		res, err := tx.ExecContext(ctx, `UPDATE svc_applications SET fields = $1, parcel = $2, version = version + 1
			WHERE id = $3 AND version = $4`, mustJSON(values), values["parcel"], id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errConflict("stale", "services.err_stale")
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(p, ip), Action: "service_application.updated",
			ObjectType: "service_application", ObjectID: audit.ObjectID(id), Note: fmt.Sprintf("revision %d", a.Revision)})
	})
	if err != nil {
		return nil, err
	}
	return m.appByID(ctx, m.d.DB, id)
}

// formatTypes maps catalog format names to the upload store's types.
var formatTypes = map[string]files.ContentType{"pdf": files.PDF, "jpeg": files.JPEG, "png": files.PNG}

// maxUploadBytes caps a single document (a scanned multi-page PDF).
const maxUploadBytes = 10 << 20

// AddDocument stores an uploaded document of a given type.
func (m *Module) AddDocument(ctx context.Context, p *auth.Principal, ip string, id int64, docType string, r io.Reader) (Upload, error) {
	a, err := m.ownApp(ctx, m.d.DB, p, id)
	if err != nil {
		return Upload{}, err
	}
	if a.Status != StatusDraft && a.Status != StatusRevision {
		return Upload{}, errConflict("not_editable", "services.err_not_editable")
	}
	svc, err := m.service(ctx, m.d.DB, a.ServiceCode)
	if err != nil {
		return Upload{}, err
	}
	i := slices.IndexFunc(svc.Documents, func(d DocReq) bool { return d.Type == docType })
	if i < 0 {
		return Upload{}, errInvalid("services.err_check_fields", map[string]string{"doc_type": "services.err_doc_type"})
	}
	var allow []files.ContentType
	for _, f := range svc.Documents[i].Formats {
		allow = append(allow, formatTypes[f])
	}
	saved, err := m.d.Uploads.Save(ctx, r, files.Policy{MaxBytes: maxUploadBytes, Allow: allow})
	if code := files.ErrorCode(err); code != "" {
		var fe *files.Error
		errors.As(err, &fe)
		return Upload{}, &Error{Status: fe.HTTPStatus(), Code: code, Key: "services.upload_" + code,
			Args: []any{strings.Join(svc.Documents[i].Formats, ", ")}, Fields: map[string]string{"file": "services.upload_" + code}}
	}
	if err != nil {
		return Upload{}, err
	}
	u := Upload{DocType: docType, FileKey: saved.Key, ContentType: string(saved.ContentType), Size: saved.Size, Revision: a.Revision,
		UploadedAt: m.d.Clock.Now()}
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO svc_uploads (application_id, doc_type, file_key, content_type, size, revision, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, docType, u.FileKey, u.ContentType, u.Size, u.Revision,
			database.TimeArg(u.UploadedAt)).Scan(&u.ID); err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(p, ip), Action: "service_application.document_uploaded",
			ObjectType: "service_application", ObjectID: audit.ObjectID(id), After: map[string]any{"type": docType, "sha256": saved.SHA256}})
	})
	return u, err
}

// Checklist lists every mandatory document and field with whether it is
// present and valid.
func Checklist(svc *Service, a *Application, ups map[string]Upload) []ChecklistItem {
	var out []ChecklistItem
	for _, d := range svc.Documents {
		_, ok := ups[d.Type]
		item := ChecklistItem{Kind: "document", Code: d.Type, Name: d.Name, OK: ok || !d.Mandatory}
		if !item.OK {
			item.Issue = "services.err_document_missing"
		}
		out = append(out, item)
	}
	_, problems := CheckValues(svc.Fields, a.Fields)
	for _, f := range svc.Fields {
		item := ChecklistItem{Kind: "field", Code: f.Code, Name: f.Label, OK: problems[f.Code] == "", Issue: problems[f.Code]}
		out = append(out, item)
	}
	return out
}

func complete(items []ChecklistItem) bool {
	for _, it := range items {
		if !it.OK {
			return false
		}
	}
	return true
}
