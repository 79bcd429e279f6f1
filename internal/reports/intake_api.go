package reports

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// createRequest is the body of POST /api/v1/reports.
type createRequest struct {
	Category    string                     `json:"category"`
	Lat         *float64                   `json:"lat"`
	Lon         *float64                   `json:"lon"`
	Kelurahan   string                     `json:"kelurahan"`
	Address     string                     `json:"address"`
	Description string                     `json:"description"`
	Attributes  map[string]json.RawMessage `json:"attributes"`
	Privacy     string                     `json:"privacy"`
	Contact     *struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
		Email string `json:"email"`
	} `json:"contact"`
	ShowName bool `json:"show_name"`
}

type createResponse struct {
	ID           int64  `json:"id"`
	TrackingCode string `json:"tracking_code"`
	Status       Status `json:"status"`
	Category     string `json:"category"`
	Kelurahan    string `json:"kelurahan"`
	Agency       string `json:"agency"`
	URL          string `json:"url"`
	Emergency    string `json:"emergency_numbers,omitempty"`
}

// apiCreate is POST /api/v1/reports: JSON, anonymous or signed in. An
// Idempotency-Key header makes retries create one report.
func (m *Module) apiCreate(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	var req createRequest
	if err := sh.DecodeJSON(w, r, &req, 64<<10); err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	attrs, bad := decodeAttributes(req.Attributes)
	if bad != "" {
		msg := sh.T(r, "reports.attr_shape", bad)
		sh.WriteAPIError(w, r, web.ValidationError(msg, map[string]string{"attributes." + bad: msg}))
		return
	}
	s := Submission{Category: req.Category, Kelurahan: req.Kelurahan, Address: req.Address, Description: req.Description,
		Attributes: attrs, Privacy: req.Privacy, ShowName: req.ShowName, Source: "api",
		IdempotencyKey: r.Header.Get("Idempotency-Key"), Locale: string(web.LocaleOf(r)), Actor: actorOf(r)}
	switch {
	case req.Lat != nil && req.Lon != nil:
		s.HasPoint, s.Lat, s.Lon = true, *req.Lat, *req.Lon
	case req.Lat != nil || req.Lon != nil:
		msg := sh.T(r, "reports.err_location_pair")
		sh.WriteAPIError(w, r, web.ValidationError(msg, map[string]string{"location": msg}))
		return
	}
	if req.Contact != nil {
		s.Contact = Contact{Name: req.Contact.Name, Phone: req.Contact.Phone, Email: req.Contact.Email}
	}
	if err := m.fillFromAccount(r, &s); err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	rep, replayed, err := m.Submit(r.Context(), s)
	if err != nil {
		m.writeSubmitError(w, r, err)
		return
	}
	cat, _, _ := m.cats.get(r.Context(), rep.Category)
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/reports/"+rep.Code)
	web.WriteJSON(w, http.StatusCreated, createResponse{ID: rep.ID, TrackingCode: rep.Code, Status: rep.Status,
		Category: rep.Category, Kelurahan: rep.Kelurahan, Agency: rep.Unit, URL: "/lapor/" + rep.Code, Emergency: cat.EmergencyNumbers})
}

// fillFromAccount links a signed-in citizen's report to the account and,
// when no contact was given, sends the notifications to the account's
// number.
func (m *Module) fillFromAccount(r *http.Request, s *Submission) error {
	p := web.PrincipalOf(r)
	if !p.Authenticated() || p.Kind != auth.Citizen {
		return nil
	}
	s.ReporterUserID = p.UserID
	if s.Contact.Phone != "" || s.Contact.Email != "" {
		return nil
	}
	u, err := m.d.Auth.Me(r.Context(), p)
	if err != nil {
		return err
	}
	s.Contact.Phone = u.Phone
	if s.Contact.Name == "" {
		s.Contact.Name = u.Name
	}
	return nil
}

// decodeAttributes accepts a string, a number or a list of strings per
// attribute; it returns the code of the first value of another shape.
func decodeAttributes(in map[string]json.RawMessage) (map[string][]string, string) {
	out := map[string][]string{}
	for code, raw := range in {
		var s string
		var f float64
		var list []string
		switch {
		case json.Unmarshal(raw, &s) == nil:
			out[code] = []string{s}
		case json.Unmarshal(raw, &f) == nil:
			out[code] = []string{strconv.FormatFloat(f, 'f', -1, 64)}
		case json.Unmarshal(raw, &list) == nil:
			out[code] = list
		default:
			return nil, code
		}
	}
	return out, ""
}

// writeSubmitError answers a failed submission: 422 naming each field,
// 400 for a bad idempotency key, 500 otherwise.
func (m *Module) writeSubmitError(w http.ResponseWriter, r *http.Request, err error) {
	sh := m.d.Shell
	var ie *InputError
	switch {
	case errors.As(err, &ie):
		fields := map[string]string{}
		var first string
		for f, msg := range ie.Fields {
			fields[f] = sh.T(r, msg.Key, msg.Args...)
			if first == "" || f < first {
				first = f
			}
		}
		sh.WriteAPIError(w, r, web.ValidationError(fields[first], fields))
	case errors.Is(err, ErrBadIdempotencyKey):
		sh.WriteAPIError(w, r, &web.APIError{Status: http.StatusBadRequest, Code: "invalid_header", Message: sh.T(r, "reports.err_idempotency_key")})
	default:
		sh.WriteAPIError(w, r, err)
	}
}

// apiTracking is GET /api/v1/reports/{tracking_code}: the public view.
func (m *Module) apiTracking(w http.ResponseWriter, r *http.Request) {
	rep, err := reportByCode(r.Context(), m.d.DB, r.PathValue("tracking_code"))
	if errors.Is(err, ErrNotFound) {
		web.WriteError(w, r, http.StatusNotFound, "not_found", m.d.Shell.T(r, "reports.err_code_unknown"), nil)
		return
	}
	if err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	v, err := m.publicView(r.Context(), r, rep, true)
	if err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, v)
}

type categoryJSON struct {
	Code             string          `json:"code"`
	Group            string          `json:"group"`
	Name             string          `json:"name"`
	Description      string          `json:"description"`
	DefaultPrivacy   Privacy         `json:"default_privacy"`
	ResponseTarget   string          `json:"response_target"`
	ResolutionTarget string          `json:"resolution_target"`
	EmergencyNumbers string          `json:"emergency_numbers,omitempty"`
	Attributes       []attributeJSON `json:"attributes"`
}

type attributeJSON struct {
	Code     string      `json:"code"`
	Datatype string      `json:"datatype"`
	Required bool        `json:"required"`
	Name     string      `json:"name"`
	Hint     string      `json:"hint,omitempty"`
	Values   []valueJSON `json:"values,omitempty"`
	Order    int         `json:"order"`
}

type valueJSON struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// apiCategories is GET /api/v1/report-categories.
func (m *Module) apiCategories(w http.ResponseWriter, r *http.Request) {
	cats, err := m.cats.active(r.Context())
	if err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	loc := web.LocaleOf(r)
	out := []categoryJSON{}
	for _, c := range cats {
		cj := categoryJSON{Code: c.Code, Group: c.Group, Name: c.Name(loc), Description: c.Description(loc), DefaultPrivacy: c.DefaultPrivacy,
			ResponseTarget: c.Response.String(), ResolutionTarget: c.Resolution.String(), EmergencyNumbers: c.EmergencyNumbers,
			Attributes: []attributeJSON{}}
		for _, a := range c.Attributes {
			aj := attributeJSON{Code: a.Code, Datatype: a.Datatype, Required: a.Required, Name: a.Name(loc), Hint: a.Hint(loc), Order: a.Order}
			for _, v := range a.Values {
				aj.Values = append(aj.Values, valueJSON{v.Key, v.Name(loc)})
			}
			cj.Attributes = append(cj.Attributes, aj)
		}
		out = append(out, cj)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"categories": out})
}

// parseLatLon reads lat and lon query parameters.
func parseLatLon(r *http.Request) (float64, float64, string) {
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(r.URL.Query().Get("lat")), 64)
	if err1 != nil || math.IsNaN(lat) || lat < -90 || lat > 90 {
		return 0, 0, "lat"
	}
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(r.URL.Query().Get("lon")), 64)
	if err2 != nil || math.IsNaN(lon) || lon < -180 || lon > 180 {
		return 0, 0, "lon"
	}
	return lat, lon, ""
}
