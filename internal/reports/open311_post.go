package reports

import (
	"database/sql"
	"encoding/xml"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// open311Post dispatches POST /open311/v2/{requests|servicerequestupdates}.{fmt}.
// The route skips the CSRF check (a machine client has no session); the
// api_key form field is checked here, as GeoReport v2 prescribes.
func (m *Module) open311Post(w http.ResponseWriter, r *http.Request) {
	name, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		o311Errors(w, format, http.StatusBadRequest, "format must be .json or .xml")
		return
	}
	if name != "requests" && name != "servicerequestupdates" {
		o311Errors(w, format, http.StatusNotFound, "no such endpoint: "+name)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		o311Errors(w, format, http.StatusBadRequest, "the body must be form-encoded (application/x-www-form-urlencoded)")
		return
	}
	key := strings.TrimSpace(r.PostFormValue("api_key"))
	if key == "" {
		o311Errors(w, format, http.StatusForbidden, "api_key is required")
		return
	}
	p, err := m.d.Auth.BearerPrincipal(r.Context(), key)
	if err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	if p == nil || !p.HasKeyScope("open311") {
		o311Errors(w, format, http.StatusForbidden, "api_key is not valid for Open311")
		return
	}
	a := actor{Kind: "apikey", Name: p.Name, Audit: auth.ActorOf(p, web.ClientIP(r))}
	if name == "requests" {
		m.open311Create(w, r, format, p, a)
		return
	}
	m.open311PostUpdate(w, r, format, a)
}

type o311Created struct {
	XMLName          xml.Name `json:"-" xml:"request"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
	Token            string   `json:"token" xml:"token"`
	ServiceNotice    string   `json:"service_notice" xml:"service_notice"`
	AccountID        *string  `json:"account_id" xml:"account_id"`
}

// open311Create is POST /requests.{fmt}: service_code, a location
// (lat+long, address_string or address_id = a kelurahan code),
// attribute[code] (attribute[code][] for lists), the person's contact and
// description. It answers the new id and a token (the tracking code the
// client may give the person).
func (m *Module) open311Create(w http.ResponseWriter, r *http.Request, format string, p *auth.Principal, a actor) {
	f := r.PostForm
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	code := get("service_code")
	if code == "" {
		o311Errors(w, format, http.StatusBadRequest, "service_code is required")
		return
	}
	cat, ok, err := m.cats.get(r.Context(), code)
	if err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	if !ok || !cat.Active {
		o311Errors(w, format, http.StatusBadRequest, "service_code "+strconv.Quote(code)+" is not a service (see services."+format+")")
		return
	}
	s := Submission{Category: code, Description: get("description"), Address: get("address_string"), Source: "open311",
		SourceRef: get("account_id"), MediaURL: get("media_url"), Locale: string(web.LocaleOf(r)), Actor: a,
		IdempotencyKey: r.Header.Get("Idempotency-Key"), Attributes: map[string][]string{},
		Contact: Contact{Name: strings.TrimSpace(get("first_name") + " " + get("last_name")), Phone: get("phone"), Email: get("email")}}
	if s.IdempotencyKey != "" {
		s.IdempotencyKey = strconv.FormatInt(p.APIKeyID, 10) + ":" + s.IdempotencyKey
	}
	if utf8.RuneCountInString(s.Description) > MaxDescription {
		o311Errors(w, format, http.StatusBadRequest, "description: at most 4000 characters")
		return
	}
	if s.MediaURL != "" && !strings.HasPrefix(s.MediaURL, "https://") && !strings.HasPrefix(s.MediaURL, "http://") || len(s.MediaURL) > 1000 {
		o311Errors(w, format, http.StatusBadRequest, "media_url must be an http(s) URL")
		return
	}
	latS, lonS := get("lat"), get("long")
	switch {
	case latS != "" || lonS != "":
		lat, err1 := strconv.ParseFloat(latS, 64)
		lon, err2 := strconv.ParseFloat(lonS, 64)
		if err1 != nil || err2 != nil {
			o311Errors(w, format, http.StatusBadRequest, "lat and long must both be decimal degrees")
			return
		}
		s.HasPoint, s.Lat, s.Lon = true, lat, lon
	case get("address_id") != "":
		s.Kelurahan = get("address_id")
	case s.Address != "":
		kel, ok := m.matchKelurahan(s.Address)
		if !ok {
			o311Errors(w, format, http.StatusBadRequest, "address_string names no kelurahan of "+m.d.Regions.Name+"; send lat and long")
			return
		}
		s.Kelurahan = kel
	default:
		o311Errors(w, format, http.StatusBadRequest, "a location is required: lat and long, address_string or address_id")
		return
	}
	for k, vals := range f {
		if !strings.HasPrefix(k, "attribute[") {
			continue
		}
		c := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(k, "attribute["), "[]"), "]")
		s.Attributes[c] = append(s.Attributes[c], vals...)
	}
	rep, _, err := m.Submit(r.Context(), s)
	var ie *InputError
	switch {
	case errors.As(err, &ie):
		var msgs []string
		for field, msg := range ie.Fields {
			msgs = append(msgs, open311Field(field)+": "+m.d.Shell.T(r, msg.Key, msg.Args...))
		}
		sort.Strings(msgs)
		o311Errors(w, format, http.StatusBadRequest, msgs...)
		return
	case errors.Is(err, ErrBadIdempotencyKey):
		o311Errors(w, format, http.StatusBadRequest, "Idempotency-Key: at most 200 characters")
		return
	case err != nil:
		m.d.Shell.Logger().Error("open311 create", "err", err)
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	var account *string
	if s.SourceRef != "" {
		account = &s.SourceRef
	}
	o311Write(w, format, http.StatusCreated, "service_requests", []any{o311Created{ServiceRequestID: strconv.FormatInt(rep.ID, 10),
		Token: rep.Code, ServiceNotice: m.serviceNotice(r, cat), AccountID: account}})
}

// open311Field names a submission field the way GeoReport calls it.
func open311Field(f string) string {
	switch {
	case f == "location":
		return "lat/long"
	case f == "category":
		return "service_code"
	case strings.HasPrefix(f, "attributes."):
		return "attribute[" + strings.TrimPrefix(f, "attributes.") + "]"
	case f == "address":
		return "address_string"
	case f == "source_ref":
		return "account_id"
	}
	return f
}

type o311UpdateCreated struct {
	XMLName  xml.Name `json:"-" xml:"request_update"`
	UpdateID string   `json:"update_id" xml:"update_id"`
}

// open311PostUpdate is POST /servicerequestupdates.{fmt} (mySociety): a
// comment from the person through the client, with status OPEN or
// CLOSED. CLOSED on a finished report confirms it; OPEN on a finished
// report reopens it (within the reopening window); otherwise the
// description becomes a public comment.
func (m *Module) open311PostUpdate(w http.ResponseWriter, r *http.Request, format string, a actor) {
	f := r.PostForm
	idS := strings.TrimSpace(f.Get("service_request_id"))
	id, err := strconv.ParseInt(idS, 10, 64)
	if idS == "" || err != nil {
		o311Errors(w, format, http.StatusBadRequest, "service_request_id is required")
		return
	}
	status := strings.ToUpper(strings.TrimSpace(f.Get("status")))
	if status != "OPEN" && status != "CLOSED" {
		o311Errors(w, format, http.StatusBadRequest, "status must be OPEN or CLOSED")
		return
	}
	desc := strings.TrimSpace(f.Get("description"))
	if utf8.RuneCountInString(desc) > MaxDescription {
		o311Errors(w, format, http.StatusBadRequest, "description: at most 4000 characters")
		return
	}
	if !textOK(desc) || !textOK(f.Get("update_id")) {
		o311Errors(w, format, http.StatusBadRequest, "description and update_id must be UTF-8 text without NUL characters")
		return
	}
	var eventID int64
	err = m.d.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		rep, err := m.lockReport(r.Context(), tx, `r.id = $1`, id)
		if err != nil {
			return err
		}
		if !rep.Listed {
			// Confidential or merged: as unknown as in GET requests.
			return ErrNotFound
		}
		cal, err := m.calendar.Calendar(r.Context())
		if err != nil {
			return err
		}
		ch := change{Kind: EventComment, Public: true, Actor: a, Note: desc}
		switch {
		case status == "CLOSED" && rep.Status == StatusDone:
			ch = change{Kind: EventConfirmed, Status: StatusClosed, Public: true, Actor: a, Note: desc}
		case status == "OPEN" && rep.Status == StatusDone && mayReopen(rep, cal, m.now()):
			ch = change{Kind: EventReopened, Status: StatusInProgress, Public: true, Actor: a, Note: desc, Notify: true}
		case desc == "":
			return errRefused
		}
		eventID, err = m.apply(r.Context(), tx, rep, ch)
		if err == nil {
			err = m.d.Audit.Record(r.Context(), tx, audit.Entry{Actor: a.Audit, Action: "report.open311_update", ObjectType: "report",
				ObjectID: audit.ObjectID(id), Note: f.Get("update_id")})
		}
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound):
		o311Errors(w, format, http.StatusNotFound, "no service request with id "+strconv.Quote(idS))
	case errors.Is(err, errRefused):
		o311Errors(w, format, http.StatusBadRequest, "description is required for a comment")
	case err != nil:
		m.d.Shell.Logger().Error("open311 update", "err", err)
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
	default:
		o311Write(w, format, http.StatusCreated, "service_request_updates", []any{o311UpdateCreated{UpdateID: strconv.FormatInt(eventID, 10)}})
	}
}
