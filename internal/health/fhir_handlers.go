package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/fhir"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// fhirRoutes registers the read-only FHIR R4 API. It answers integrations
// (the SATUSEHAT bridge) holding an API key with scope "fhir". The NIK in
// a Patient search is part of SATUSEHAT's contract; the shell logs route
// patterns only, never query strings.
func (m *Module) fhirRoutes(rt *web.Router) {
	k := web.KeyScope("fhir")
	rt.API("GET /fhir/R4/metadata", k, m.fhirMetadata)
	for _, t := range []string{"Patient", "Organization", "Location", "Encounter", "Condition", "Observation"} {
		rt.API("GET /fhir/R4/"+t, k, m.fhirSearch(t))
		rt.API("GET /fhir/R4/"+t+"/{id}", k, m.fhirRead(t))
	}
	rt.API("GET /fhir/R4/$export-bundle", k, m.fhirExport)
}

const fhirContentType = "application/fhir+json; charset=utf-8"

func writeFHIR(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", fhirContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (m *Module) fhirError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	writeFHIR(w, status, fhir.Outcome(code, msg))
}

func (m *Module) fhirServerError(w http.ResponseWriter, r *http.Request, err error) {
	m.d.Log.Error("fhir: internal error", "err", err, "route", r.Pattern, "request_id", web.RequestID(r))
	m.fhirError(w, r, http.StatusInternalServerError, "exception", "internal error, request "+web.RequestID(r))
}

func (m *Module) fhirBase() string {
	return strings.TrimRight(m.d.Shell.Site().PublicURL, "/") + "/fhir/R4"
}

// auditFHIR records an integration's read of health records.
func (m *Module) auditFHIR(r *http.Request, what string) error {
	return m.d.Audit.RecordRead(r.Context(), auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), "fhir", r.Pattern, what)
}

// fhirMetadata is the CapabilityStatement.
func (m *Module) fhirMetadata(w http.ResponseWriter, r *http.Request) {
	type param struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	type interaction struct {
		Code string `json:"code"`
	}
	type resource struct {
		Type        string        `json:"type"`
		Interaction []interaction `json:"interaction"`
		SearchParam []param       `json:"searchParam,omitempty"`
	}
	common := []param{{"_id", "token"}, {"_lastUpdated", "date"}, {"_count", "number"}}
	withSubject := append([]param{{"subject", "reference"}}, common...)
	res := []resource{
		{"Patient", nil, append([]param{{"identifier", "token"}}, common...)},
		{"Organization", nil, append([]param{{"identifier", "token"}}, common[:1]...)},
		{"Location", nil, append([]param{{"organization", "reference"}}, common[:1]...)},
		{"Encounter", nil, append([]param{{"identifier", "token"}}, withSubject...)},
		{"Condition", nil, append([]param{{"encounter", "reference"}}, withSubject...)},
		{"Observation", nil, withSubject},
	}
	for i := range res {
		res[i].Interaction = []interaction{{"read"}, {"search-type"}}
	}
	now := m.d.Clock.Now()
	cs := map[string]any{
		"resourceType": "CapabilityStatement", "status": "active", "date": fhir.Instant(now), "kind": "instance",
		"publisher": "Pemerintah " + m.d.Regions.Name, "fhirVersion": "4.0.1", "format": []string{"application/fhir+json"},
		"software":       map[string]any{"name": "Sodamolek SIMPUS"},
		"implementation": map[string]any{"description": "SIMPUS " + m.d.Regions.Name + " (read-only, shaped to SATUSEHAT)", "url": m.fhirBase()},
		"rest": []any{map[string]any{"mode": "server", "resource": res,
			"security": map[string]any{"description": "Authorization: Bearer <API key with scope fhir>"}}},
	}
	writeFHIR(w, http.StatusOK, cs)
}

// searchParams are the parameters every search understands.
type searchParams struct {
	Count, Offset int
	Since, Until  string // _lastUpdated bounds as stored instants; "" = open
}

// parseSearch reads _count (default 50, at most 500), _offset and
// _lastUpdated (ge/gt/le/lt/eq with a date, read as a day in the city's
// zone, or a dateTime; repeat it for a range).
func (m *Module) parseSearch(q url.Values) (searchParams, error) {
	sp := searchParams{Count: 50}
	if c := q.Get("_count"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 || n > 500 {
			return sp, errors.New("_count must be a number from 0 to 500")
		}
		sp.Count = n
	}
	if o := q.Get("_offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			return sp, errors.New("_offset must be a number from 0")
		}
		sp.Offset = n
	}
	for _, v := range q["_lastUpdated"] {
		prefix := "eq"
		if len(v) > 2 && strings.Contains("eqgegtlelt", v[:2]) && v[0] >= 'a' {
			prefix, v = v[:2], v[2:]
		}
		start, end, err := m.instantRange(v)
		if err != nil {
			return sp, errors.New("_lastUpdated must be a date (YYYY-MM-DD) or a dateTime with a zone")
		}
		lo, hi := database.TimeArg(start), database.TimeArg(end)
		switch prefix {
		case "eq":
			sp.Since, sp.Until = lo, hi
		case "ge":
			sp.Since = lo
		case "gt":
			sp.Since = hi
		case "le":
			sp.Until = hi
		case "lt":
			sp.Until = lo
		default:
			return sp, errors.New("_lastUpdated prefix must be eq, ge, gt, le or lt")
		}
	}
	return sp, nil
}

// instantRange is the range [start, end) a FHIR date or dateTime stands
// for.
func (m *Module) instantRange(v string) (time.Time, time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", v, m.d.Location); err == nil {
		return d, d.AddDate(0, 0, 1), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, t, err
	}
	return t, t.Add(time.Second), nil
}

func (sp searchParams) apply(wh *where, col string) {
	if sp.Since != "" {
		wh.add(col+" >= ?", sp.Since)
	}
	if sp.Until != "" {
		wh.add(col+" < ?", sp.Until)
	}
}

// page adds ORDER BY, LIMIT and OFFSET (one row more than asked, to know
// whether a next page exists).
func (sp searchParams) page(wh *where, order string) string {
	return " ORDER BY " + order + " LIMIT " + wh.arg(sp.Count+1) + " OFFSET " + wh.arg(sp.Offset)
}

// fhirContext is what resources refer to: units and SATUSEHAT org ids.
type fhirContext struct {
	tree   *units.Tree
	orgIDs map[string]string
	polis  map[string]string // poli code → name
}

func (m *Module) fhirCtx(ctx context.Context) (fhirContext, error) {
	fc := fhirContext{orgIDs: map[string]string{}, polis: map[string]string{}}
	var err error
	if fc.tree, err = m.d.Units.Tree(ctx); err != nil {
		return fc, err
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT puskesmas_code, satusehat_org_id FROM health_facilities`)
	if err != nil {
		return fc, err
	}
	defer rows.Close()
	for rows.Next() {
		var c, id string
		if err := rows.Scan(&c, &id); err != nil {
			return fc, err
		}
		fc.orgIDs[c] = id
	}
	for _, p := range defaultPolis {
		fc.polis[p.Code] = p.Name
	}
	return fc, rows.Err()
}

func (fc fhirContext) orgID(pkm string) string {
	if id := fc.orgIDs[pkm]; id != "" {
		return id
	}
	return pkm
}

// bundleOf wraps search results; more says a next page exists.
func (m *Module) bundleOf(r *http.Request, typ string, sp searchParams, resources []any, ids []string, more bool) fhir.Bundle {
	base := m.fhirBase()
	self := base + "/" + typ
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	b := fhir.Bundle{ResourceType: "Bundle", Type: "searchset", Timestamp: fhir.Instant(m.d.Clock.Now()),
		Link: []fhir.BundleLink{{Relation: "self", URL: self}}, Entry: []fhir.BundleEntry{}}
	if more {
		q := r.URL.Query()
		q.Set("_offset", strconv.Itoa(sp.Offset+sp.Count))
		b.Link = append(b.Link, fhir.BundleLink{Relation: "next", URL: base + "/" + typ + "?" + q.Encode()})
	}
	for i, res := range resources {
		b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: base + "/" + typ + "/" + ids[i], Resource: res, Search: &fhir.BundleSearch{Mode: "match"}})
	}
	return b
}

// fhirSearch answers GET /fhir/R4/{Type}?… with a searchset Bundle.
func (m *Module) fhirSearch(typ string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		sp, err := m.parseSearch(q)
		if err != nil {
			m.fhirError(w, r, http.StatusBadRequest, "invalid", err.Error())
			return
		}
		fc, err := m.fhirCtx(r.Context())
		if err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		var res []any
		var ids []string
		var more bool
		switch typ {
		case "Patient":
			res, ids, more, err = m.searchPatients(r.Context(), q, sp)
		case "Organization":
			res, ids = m.organizations(fc, q.Get("_id"), q.Get("identifier"))
		case "Location":
			res, ids, err = m.locations(r.Context(), fc, q.Get("_id"), strings.TrimPrefix(q.Get("organization"), "Organization/"))
		case "Encounter":
			res, ids, more, err = m.searchEncounters(r.Context(), fc, q, sp)
		case "Condition":
			res, ids, more, err = m.searchConditions(r.Context(), fc, q, sp)
		case "Observation":
			res, ids, more, err = m.searchObservations(r.Context(), fc, q, sp)
		}
		var bad *badSearch
		if errors.As(err, &bad) {
			m.fhirError(w, r, http.StatusBadRequest, "invalid", bad.msg)
			return
		} else if err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		if err := m.auditFHIR(r, fmt.Sprintf("search %d", len(res))); err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		writeFHIR(w, http.StatusOK, m.bundleOf(r, typ, sp, res, ids, more))
	}
}

type badSearch struct{ msg string }

func (b *badSearch) Error() string { return b.msg }

// fhirRead answers GET /fhir/R4/{Type}/{id}.
func (m *Module) fhirRead(typ string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		fc, err := m.fhirCtx(r.Context())
		if err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		q := url.Values{"_id": {id}}
		sp := searchParams{Count: 1}
		var res []any
		switch typ {
		case "Patient":
			res, _, _, err = m.searchPatients(r.Context(), q, sp)
		case "Organization":
			res, _ = m.organizations(fc, id, "")
		case "Location":
			res, _, err = m.locations(r.Context(), fc, id, "")
		case "Encounter":
			res, _, _, err = m.searchEncounters(r.Context(), fc, q, sp)
		case "Condition":
			res, _, _, err = m.searchConditions(r.Context(), fc, q, sp)
		case "Observation":
			res, _, _, err = m.searchObservations(r.Context(), fc, q, searchParams{Count: 1000})
			res = pickObservation(res, id)
		}
		var bad *badSearch
		if err != nil && !errors.As(err, &bad) {
			m.fhirServerError(w, r, err)
			return
		}
		if len(res) == 0 {
			m.fhirError(w, r, http.StatusNotFound, "not-found", typ+"/"+id+" is not known")
			return
		}
		if err := m.auditFHIR(r, "read "+typ+"/"+id); err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		writeFHIR(w, http.StatusOK, res[0])
	}
}

func pickObservation(res []any, id string) []any {
	for _, o := range res {
		if ob, ok := o.(fhir.Observation); ok && ob.ID == id {
			return []any{ob}
		}
	}
	return nil
}

// numericID reads a FHIR id that must be a row id.
func numericID(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, &badSearch{"the id is not known"}
	}
	return n, nil
}

// refParam is a search parameter that names a resource ("subject=Patient/12")
// and the column holding that resource's id.
type refParam struct{ name, resource, column string }

// addReferences narrows a search by each reference parameter present in q.
func (w *where) addReferences(q url.Values, refs ...refParam) error {
	for _, p := range refs {
		if v := q.Get(p.name); v != "" {
			n, err := reference(v, p.resource)
			if err != nil {
				return err
			}
			w.add(p.column+" = ?", n)
		}
	}
	return nil
}

// reference reads "Patient/12" (or "12") for a reference parameter.
func reference(v, typ string) (int64, error) {
	return numericID(strings.TrimPrefix(v, typ+"/"))
}
