package reports

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/files"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
)

// Limits of a submission.
const (
	MaxDescription = 4000
	MaxAddress     = 300
	MaxPhotos      = 3
	MaxPhotoBytes  = 10 << 20
)

// Submission is a new report from any channel (page, JSON API, Open311,
// gateway), before validation.
type Submission struct {
	Category    string
	HasPoint    bool
	Lat, Lon    float64
	Kelurahan   string // used when there is no point
	Address     string
	Description string
	Attributes  map[string][]string
	Privacy     string // "" takes the category's default
	Contact     Contact
	ShowName    bool // a public report may show the reporter's name
	Photos      []files.Saved
	// UsePhotoLocation places a report without a pin where its first
	// photo was taken (the reporter ticked it; the photo's EXIF GPS was
	// read before the metadata was stripped).
	UsePhotoLocation bool
	// OptionalAttributes accepts a report without answers to required
	// questions: a WhatsApp or SMS message cannot answer them, and the
	// officer asks when needed.
	OptionalAttributes bool
	IdempotencyKey     string // the client's key, scoped by the channel
	Source             string // web, api, open311, gateway
	SourceRef          string
	MediaURL           string
	Locale             string
	Actor              actor
	ReporterUserID     int64
}

// FieldMsg is a translatable message about one field.
type FieldMsg struct {
	Key  string
	Args []any
}

// InputError lists what is wrong with a submission, per field
// ("category", "location", "description", "attributes.<code>", "privacy",
// "phone", "email", "name", "address", "photos").
type InputError struct {
	Fields map[string]FieldMsg
}

func (e *InputError) Error() string {
	var parts []string
	for f, m := range e.Fields {
		parts = append(parts, f+": "+m.Key)
	}
	return "reports: invalid submission: " + strings.Join(parts, ", ")
}

func (e *InputError) add(field, key string, args ...any) {
	if e.Fields == nil {
		e.Fields = map[string]FieldMsg{}
	}
	if _, dup := e.Fields[field]; !dup {
		e.Fields[field] = FieldMsg{key, args}
	}
}

// validated is a submission that passed every check.
type validated struct {
	cat      Category
	place    Place
	desc     string
	address  string
	attrs    map[string][]string
	privacy  Privacy
	contact  Contact
	showName bool
}

// validate checks a submission and places it; the error is *InputError
// for anything the submitter can fix.
func (m *Module) validate(ctx context.Context, s *Submission) (*validated, error) {
	var ie InputError
	v := &validated{}
	code := strings.TrimSpace(s.Category)
	if code == "" {
		ie.add("category", "reports.err_category_required")
	} else if c, ok, err := m.cats.get(ctx, code); err != nil {
		return nil, err
	} else if !ok || !c.Active {
		ie.add("category", "reports.err_category_unknown", code)
	} else {
		v.cat = c
	}

	v.desc = strings.TrimSpace(strings.ReplaceAll(s.Description, "\r\n", "\n"))
	switch {
	case !textOK(v.desc):
		ie.add("description", "reports.err_text_encoding")
	case v.desc == "":
		ie.add("description", "reports.err_description_required")
	case utf8.RuneCountInString(v.desc) > MaxDescription:
		ie.add("description", "reports.err_description_long", MaxDescription, utf8.RuneCountInString(v.desc))
	}
	v.address = strings.TrimSpace(s.Address)
	if !textOK(v.address) {
		ie.add("address", "reports.err_text_encoding")
	} else if utf8.RuneCountInString(v.address) > MaxAddress {
		ie.add("address", "reports.err_address_long", MaxAddress)
	}
	// The channel's reference and media link are stored as text too.
	if !textOK(s.SourceRef) || utf8.RuneCountInString(s.SourceRef) > 200 {
		ie.add("source_ref", "reports.err_text_encoding")
	}
	if !textOK(s.MediaURL) {
		ie.add("media_url", "reports.err_text_encoding")
	}

	m.place(s, v, &ie)

	if v.cat.Code != "" {
		cat := v.cat
		if s.OptionalAttributes {
			cat.Attributes = append([]Attribute(nil), cat.Attributes...)
			for i := range cat.Attributes {
				cat.Attributes[i].Required = false
			}
		}
		attrs, err := cat.CheckAttributes(s.Attributes)
		var ae *AttributeError
		switch {
		case errors.As(err, &ae):
			field := "attributes"
			if ae.Code != "" {
				field = "attributes." + ae.Code
			}
			name := ae.Code
			for _, a := range v.cat.Attributes {
				if a.Code == ae.Code {
					name = a.NameID
				}
			}
			ie.add(field, ae.Key, name)
		case err != nil:
			return nil, err
		}
		v.attrs = attrs
	}

	switch p := strings.TrimSpace(s.Privacy); {
	case p == "" && v.cat.Code != "":
		v.privacy = v.cat.DefaultPrivacy
	case validPrivacy(p):
		v.privacy = Privacy(p)
	case p != "":
		ie.add("privacy", "reports.err_privacy")
	}

	v.contact = Contact{Name: strings.TrimSpace(s.Contact.Name), Channel: s.Contact.Channel}
	if !textOK(v.contact.Name) {
		ie.add("name", "reports.err_text_encoding")
	} else if utf8.RuneCountInString(v.contact.Name) > 100 {
		ie.add("name", "reports.err_name_long")
	}
	if p := strings.TrimSpace(s.Contact.Phone); p != "" {
		if n, err := idnum.NormalizePhone(p); err != nil {
			ie.add("phone", "reports.err_phone")
		} else {
			v.contact.Phone = n
		}
	}
	if e := strings.TrimSpace(s.Contact.Email); e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || len(e) > 200 || !textOK(e) {
			ie.add("email", "reports.err_email")
		} else {
			v.contact.Email = e
		}
	}
	v.showName = s.ShowName && v.privacy == PrivacyPublic && v.contact.Name != ""
	if len(s.Photos) > MaxPhotos {
		ie.add("photos", "reports.err_photos_count", MaxPhotos)
	}
	if len(ie.Fields) > 0 {
		return nil, &ie
	}
	return v, nil
}

// textOK reports whether s can be stored as text on both engines:
// valid UTF-8 without NUL bytes (PostgreSQL's text type refuses both, so
// letting them through turns bad input into a server error there).
func textOK(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// place finds the kelurahan: from the pin, else from the first photo's
// position when the reporter allowed it, else the chosen kelurahan.
func (m *Module) place(s *Submission, v *validated, ie *InputError) {
	if !s.HasPoint && s.UsePhotoLocation {
		for _, p := range s.Photos {
			if p.GPS != nil {
				s.HasPoint, s.Lat, s.Lon = true, p.GPS.Lat, p.GPS.Lon
				break
			}
		}
	}
	if s.HasPoint {
		loc, err := m.d.Regions.Locate(s.Lat, s.Lon)
		switch {
		case errors.Is(err, regions.ErrOutside):
			ie.add("location", "reports.err_location_outside", m.d.Regions.Name)
		case err != nil:
			ie.add("location", "reports.err_location_invalid")
		default:
			v.place = Place{Kelurahan: loc.Kelurahan.Code, Kecamatan: loc.Kecamatan.Code, HasPoint: true, Lat: s.Lat, Lon: s.Lon}
		}
		return
	}
	code := strings.TrimSpace(s.Kelurahan)
	if code == "" {
		ie.add("location", "reports.err_location_required")
		return
	}
	kel, ok := m.d.Regions.Lookup(code)
	if !ok || (kel.Level != regions.LevelKelurahan && kel.Level != regions.LevelDesa) {
		ie.add("location", "reports.err_kelurahan_unknown", code)
		return
	}
	v.place = Place{Kelurahan: kel.Code, Kecamatan: kel.ParentCode}
}

// idempotencyDigest scopes and hashes a client key, so a key chosen by
// one channel never matches another's and the stored value reveals
// nothing the client sent.
func idempotencyDigest(source, key string) any {
	key = strings.TrimSpace(key)
	if key == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(source + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// ErrBadIdempotencyKey: a key longer than any client needs.
var ErrBadIdempotencyKey = errors.New("reports: idempotency key longer than 200 characters")

// Submit validates, routes and stores a new report in one transaction
// (the report, its first history entry, its photos' rows, the audit entry
// and the reporter's notification). A replayed idempotency key returns
// the report it made the first time, with replayed true.
func (m *Module) Submit(ctx context.Context, s Submission) (r *Report, replayed bool, err error) {
	if len(s.IdempotencyKey) > 200 {
		return nil, false, ErrBadIdempotencyKey
	}
	// A replayed key is found by the UNIQUE constraint on insert, not by a
	// lookup before it: replays are rare, and every submission would pay
	// for the lookup.
	idem := idempotencyDigest(s.Source, s.IdempotencyKey)
	v, err := m.validate(ctx, &s)
	if err != nil {
		return nil, false, err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, false, err
	}
	rules, err := m.rules.get(ctx)
	if err != nil {
		return nil, false, err
	}
	unit, err := Route(rules, tree, v.cat.Code, v.place)
	if err != nil {
		return nil, false, err
	}
	sc, err := m.slaFor(ctx, unit)
	if err != nil {
		return nil, false, err
	}
	sealed, err := m.sealContact(v.contact)
	if err != nil {
		return nil, false, err
	}
	now := m.now()
	r = &Report{Category: v.cat.Code, Status: StatusReceived, Privacy: v.privacy, Listed: v.privacy != PrivacyConfidential,
		Description: v.desc, Attributes: v.attrs, HasPoint: v.place.HasPoint, Lat: v.place.Lat, Lon: v.place.Lon,
		Address: v.address, Kelurahan: v.place.Kelurahan, Kecamatan: v.place.Kecamatan, Unit: unit,
		ReporterUserID: s.ReporterUserID, ContactSealed: sealed, ContactMasked: maskContact(v.contact),
		Source: s.Source, SourceRef: s.SourceRef, MediaURL: s.MediaURL, Locale: s.Locale, CreatedAt: now, UpdatedAt: now}
	if r.Locale == "" {
		r.Locale = "id"
	}
	if v.showName {
		r.PublicName = v.contact.Name
	}
	startTargets(r, v.cat, sc, now, true)
	deriveSLA(r, sc.cal)

	for attempt := 0; ; attempt++ {
		r.Code = NewTrackingCode()
		err = m.write(ctx, &pendingReport{r: r, idem: idem, s: &s, v: v})
		if err == nil {
			return r, false, nil
		}
		if !database.IsUniqueViolation(err) {
			return nil, false, err
		}
		// Either the same key raced in from a double tap (replay what it
		// made) or, about once in a trillion, the code was taken.
		if idem != nil {
			if prev, err2 := getReport(ctx, m.d.DB, `r.idempotency_key = $1`, idem); err2 == nil {
				return prev, true, nil
			}
		}
		if attempt >= 3 {
			return nil, false, err
		}
	}
}

// insertNew writes a new report: the row, its first history entry, its
// photos' rows, the audit entry and the reporter's receipt. q runs on tx
// (through the statement cache).
func (m *Module) insertNew(ctx context.Context, tx *sql.Tx, q database.Querier, p *pendingReport) error {
	r, idem, s, v := p.r, p.idem, p.s, p.v
	attrs := "{}"
	if len(r.Attributes) > 0 {
		b, err := json.Marshal(r.Attributes)
		if err != nil {
			return err
		}
		attrs = string(b)
	}
	var lat, lon, reporter any
	if r.HasPoint {
		lat, lon = r.Lat, r.Lon
	}
	if r.ReporterUserID != 0 {
		reporter = r.ReporterUserID
	}
	now := database.TimeArg(r.CreatedAt)
	var err error
	if r.ID, err = m.insertID(ctx, q, `INSERT INTO reports (tracking_code, idempotency_key, category_code, status, is_open, privacy, listed,
		description, attributes_json, lat, lon, address, kelurahan_code, kecamatan_code, unit_code, reporter_user_id, public_name,
		contact_sealed, contact_masked, source, source_ref, media_url, locale, created_at, updated_at, response_due_at,
		resolution_due_at, due_at, next_check_at)
		VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23,
		$24, $25, $26, $27)`,
		r.Code, idem, r.Category, string(r.Status), string(r.Privacy), r.Listed, r.Description, attrs, lat, lon, r.Address,
		r.Kelurahan, r.Kecamatan, r.Unit, reporter, r.PublicName, r.ContactSealed, r.ContactMasked, r.Source, r.SourceRef,
		r.MediaURL, r.Locale, now, database.NullTimeArg(r.ResponseDueAt), database.NullTimeArg(r.ResolutionDueAt),
		database.NullTimeArg(r.DueAt), database.NullTimeArg(r.NextCheckAt)); err != nil {
		return err
	}
	var actorUser any
	if s.Actor.UserID != 0 {
		actorUser = s.Actor.UserID
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO report_events (report_id, at, kind, status, public, actor_kind, actor_user_id, actor_name, unit_code)
		VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7, $8)`,
		r.ID, now, EventCreated, string(r.Status), s.Actor.Kind, actorUser, s.Actor.Name, r.Unit); err != nil {
		return err
	}
	for _, ph := range s.Photos {
		if err := insertPhoto(ctx, q, r.ID, 0, ph, r.CreatedAt); err != nil {
			return err
		}
	}
	if err := m.d.Audit.Record(ctx, q, audit.Entry{Actor: s.Actor.Audit, Action: "report.created", ObjectType: "report",
		ObjectID: strconv.FormatInt(r.ID, 10), After: map[string]any{"category": r.Category, "unit": r.Unit,
			"kelurahan": r.Kelurahan, "privacy": r.Privacy, "source": r.Source, "photos": len(s.Photos)}}); err != nil {
		return err
	}
	return m.notifyReceived(ctx, tx, r, v.contact)
}
