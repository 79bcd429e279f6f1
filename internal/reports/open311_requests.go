package reports

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// Limits of GET requests (GeoReport v2).
const (
	open311MaxRequests = 1000
	open311MaxSpan     = 90 * 24 * time.Hour
)

type o311Request struct {
	XMLName           xml.Name `json:"-" xml:"request"`
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat" xml:"lat,omitempty"`
	Long              *float64 `json:"long" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

// open311Requests is GET /requests.{fmt}: listed reports, newest first.
// service_request_id (a comma list) overrides every other filter;
// otherwise start_date/end_date (at most 90 days apart; default the last
// 90 days), service_code (comma list) and status (open, closed). An empty
// parameter is the same as an absent one.
func (m *Module) open311Requests(w http.ResponseWriter, r *http.Request, format string) {
	ctx := r.Context()
	q := r.URL.Query()
	conds := []string{"listed = TRUE"}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if ids := strings.TrimSpace(q.Get("service_request_id")); ids != "" {
		var ph []string
		for _, s := range strings.Split(ids, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id <= 0 {
				o311Errors(w, format, http.StatusBadRequest, "service_request_id: "+strconv.Quote(strings.TrimSpace(s))+" is not a request id")
				return
			}
			if len(ph) >= open311MaxRequests {
				o311Errors(w, format, http.StatusBadRequest, "service_request_id: at most 1000 ids")
				return
			}
			ph = append(ph, arg(id))
		}
		conds = append(conds, "id IN ("+strings.Join(ph, ", ")+")")
	} else {
		start, end, bad := m.o311Window(q)
		if bad != "" {
			o311Errors(w, format, http.StatusBadRequest, bad)
			return
		}
		conds = append(conds, "created_at >= "+arg(database.TimeArg(start)), "created_at <= "+arg(database.TimeArg(end)))
		if codes := strings.TrimSpace(q.Get("service_code")); codes != "" {
			var ph []string
			for _, c := range strings.Split(codes, ",") {
				c = strings.TrimSpace(c)
				if _, ok, err := m.cats.get(ctx, c); err != nil || !ok {
					o311Errors(w, format, http.StatusBadRequest, "service_code: "+strconv.Quote(c)+" is not a service (see services."+format+")")
					return
				}
				ph = append(ph, arg(c))
			}
			conds = append(conds, "category_code IN ("+strings.Join(ph, ", ")+")")
		}
		if st := strings.TrimSpace(q.Get("status")); st != "" {
			open, closed := false, false
			for _, s := range strings.Split(st, ",") {
				switch strings.ToLower(strings.TrimSpace(s)) {
				case "open":
					open = true
				case "closed":
					closed = true
				default:
					o311Errors(w, format, http.StatusBadRequest, "status: want open or closed")
					return
				}
			}
			if open != closed {
				conds = append(conds, "is_open = "+strings.ToUpper(strconv.FormatBool(open)))
			}
		}
	}
	reps, err := m.queryReports(ctx, `SELECT `+reportColumns+` FROM reports r WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT `+strconv.Itoa(open311MaxRequests), args...)
	if err != nil {
		m.d.Shell.Logger().Error("open311 requests", "err", err)
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	items, err := m.o311Items(ctx, r, reps)
	if err != nil {
		m.d.Shell.Logger().Error("open311 requests", "err", err)
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	o311Write(w, format, http.StatusOK, "service_requests", items)
}

// open311Request is GET /requests/{id}.{fmt}.
func (m *Module) open311Request(w http.ResponseWriter, r *http.Request) {
	idS, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		o311Errors(w, format, http.StatusBadRequest, "format must be .json or .xml")
		return
	}
	id, err := strconv.ParseInt(idS, 10, 64)
	if err != nil {
		o311Errors(w, format, http.StatusNotFound, "no service request with id "+strconv.Quote(idS))
		return
	}
	rep, err := reportByID(r.Context(), m.d.DB, id)
	if errors.Is(err, ErrNotFound) || (err == nil && !rep.Listed) {
		o311Errors(w, format, http.StatusNotFound, "no service request with id "+strconv.Quote(idS))
		return
	}
	if err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	items, err := m.o311Items(r.Context(), r, []*Report{rep})
	if err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	o311Write(w, format, http.StatusOK, "service_requests", items)
}

type o311TokenItem struct {
	XMLName          xml.Name `json:"-" xml:"request"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
	Token            string   `json:"token" xml:"token"`
}

// open311Token is GET /tokens/{token}.{fmt}: the request a token became.
// Requests are created at once, so a token (the tracking code given to
// the client that posted it) always has its id.
func (m *Module) open311Token(w http.ResponseWriter, r *http.Request) {
	token, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		o311Errors(w, format, http.StatusBadRequest, "format must be .json or .xml")
		return
	}
	rep, err := reportByCode(r.Context(), m.d.DB, token)
	if errors.Is(err, ErrNotFound) || (err == nil && rep.Source != "open311") {
		o311Errors(w, format, http.StatusNotFound, "no request for token "+strconv.Quote(token))
		return
	}
	if err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	o311Write(w, format, http.StatusOK, "service_requests", []any{o311TokenItem{ServiceRequestID: strconv.FormatInt(rep.ID, 10), Token: rep.Code}})
}

func (m *Module) queryReports(ctx context.Context, query string, args ...any) ([]*Report, error) {
	rows, err := m.d.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Report
	for rows.Next() {
		rep, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rep)
	}
	return out, rows.Err()
}

// o311Items turns reports into GeoReport requests, with the latest public
// note and the first photo of each (two queries for the whole page).
func (m *Module) o311Items(ctx context.Context, r *http.Request, reps []*Report) ([]any, error) {
	items := make([]any, 0, len(reps))
	if len(reps) == 0 {
		return items, nil
	}
	var ph []string
	var args []any
	for _, rep := range reps {
		args = append(args, rep.ID)
		ph = append(ph, "$"+strconv.Itoa(len(args)))
	}
	in := "(" + strings.Join(ph, ", ") + ")"
	notes := map[int64]string{}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT report_id, note FROM report_events WHERE report_id IN `+in+
		` AND public = TRUE AND note <> '' AND kind <> 'rated' ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		notes[id] = n
	}
	rows.Close()
	photos := map[int64]int64{}
	rows, err = m.d.DB.QueryContext(ctx, `SELECT report_id, MIN(id) FROM report_photos WHERE report_id IN `+in+` GROUP BY report_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, pid int64
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return nil, err
		}
		photos[id] = pid
	}
	rows.Close()
	_, cats, err := m.cats.all(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	loc := web.LocaleOf(r)
	base := m.d.Config.PublicURL()
	for _, rep := range reps {
		cat := cats[rep.Category]
		it := o311Request{ServiceRequestID: strconv.FormatInt(rep.ID, 10), Status: rep.Status.Open311(), StatusNotes: notes[rep.ID],
			ServiceName: cat.Name(loc), ServiceCode: rep.Category, Description: rep.Description,
			AgencyResponsible: unitName(tree, rep.Unit), ServiceNotice: m.serviceNotice(r, cat),
			RequestedDatetime: m.w3c(rep.CreatedAt), UpdatedDatetime: m.w3c(rep.UpdatedAt), AddressID: rep.Kelurahan,
			MediaURL: rep.MediaURL}
		if rep.Status == StatusRejected {
			it.StatusNotes = strings.TrimSpace(m.d.Shell.T(r, "reports.reason_"+rep.RejectReason) + ". " + notes[rep.ID])
		}
		if rep.Status.Open() {
			it.ExpectedDatetime = m.w3c(rep.ResolutionDueAt)
		}
		kel, _ := m.d.Regions.Lookup(rep.Kelurahan)
		kec, _ := m.d.Regions.Lookup(rep.Kecamatan)
		it.Zipcode = kel.Postcode
		it.Address = rep.Address
		if it.Address == "" {
			it.Address = "Kel. " + kel.Name + ", Kec. " + kec.Name + ", " + m.d.Regions.Name
		}
		if rep.HasPoint {
			lat, lon := rep.Lat, rep.Lon
			it.Lat, it.Long = &lat, &lon
		}
		if pid, ok := photos[rep.ID]; ok {
			it.MediaURL = base + m.photoURL(pid)
		}
		items = append(items, it)
	}
	return items, nil
}

// serviceNotice is what a client must tell the person: for emergencies,
// to phone as well.
func (m *Module) serviceNotice(r *http.Request, c Category) string {
	if c.Emergency() {
		return m.d.Shell.T(r, "reports.emergency_call", c.EmergencyNumbers)
	}
	return ""
}

type o311Update struct {
	XMLName            xml.Name `json:"-" xml:"request_update"`
	UpdateID           string   `json:"update_id" xml:"update_id"`
	ServiceRequestID   string   `json:"service_request_id" xml:"service_request_id"`
	Status             string   `json:"status" xml:"status"`
	UpdatedDatetime    string   `json:"updated_datetime" xml:"updated_datetime"`
	Description        string   `json:"description" xml:"description"`
	MediaURL           string   `json:"media_url" xml:"media_url"`
	ExternalStatusCode string   `json:"external_status_code" xml:"external_status_code"`
}

// open311Updates is GET /servicerequestupdates.{fmt} (mySociety's
// extension): the public history entries of listed reports between
// start_date and end_date (default the last 90 days), oldest first.
func (m *Module) open311Updates(w http.ResponseWriter, r *http.Request, format string) {
	ctx := r.Context()
	q := r.URL.Query()
	start, end, bad := m.o311Window(q)
	if bad != "" {
		o311Errors(w, format, http.StatusBadRequest, bad)
		return
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT e.id, e.report_id, e.at, e.kind, e.status, e.reason, e.note
		FROM report_events e JOIN reports r ON r.id = e.report_id
		WHERE e.public = TRUE AND e.at >= $1 AND e.at <= $2 AND r.listed = TRUE AND e.kind <> 'created'
		ORDER BY e.at, e.id LIMIT `+strconv.Itoa(open311MaxRequests), database.TimeArg(start), database.TimeArg(end))
	if err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var items []any
	var eventIDs []int64
	for rows.Next() {
		var id, rid int64
		var at time.Time
		var kind, status, reason, note string
		if err := rows.Scan(&id, &rid, database.T(&at), &kind, &status, &reason, &note); err != nil {
			o311Errors(w, format, http.StatusInternalServerError, "internal error")
			return
		}
		desc := m.d.Shell.T(r, "reports.event_"+kind)
		if kind == EventRejected || kind == EventMerged {
			desc += ": " + m.d.Shell.T(r, "reports.reason_"+reason)
		}
		if note != "" && kind != EventRated {
			desc += ". " + note
		}
		items = append(items, o311Update{UpdateID: strconv.FormatInt(id, 10), ServiceRequestID: strconv.FormatInt(rid, 10),
			Status: updateStatus(Status(status), kind, reason), UpdatedDatetime: m.w3c(at), Description: desc, ExternalStatusCode: status})
		eventIDs = append(eventIDs, id)
	}
	if err := rows.Err(); err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	if err := m.attachUpdatePhotos(ctx, items, eventIDs); err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	o311Write(w, format, http.StatusOK, "service_request_updates", items)
}

// updateStatus maps a history entry to mySociety's update vocabulary
// (open, investigating, in_progress, fixed, closed, duplicate,
// not_councils_responsibility, no_further_action, internal_referral,
// written in capitals as FixMyStreet's examples do; FixMyStreet reads
// them case-insensitively), so a FixMyStreet-compatible client shows the
// same state the resident sees here. external_status_code keeps the
// Indonesian status.
func updateStatus(st Status, kind, reason string) string {
	switch {
	case kind == EventMerged || (st == StatusRejected && reason == ReasonDuplicate):
		return "DUPLICATE"
	case st == StatusRejected && reason == ReasonNotOurs:
		return "NOT_COUNCILS_RESPONSIBILITY"
	case st == StatusRejected:
		return "NO_FURTHER_ACTION"
	}
	switch st {
	case StatusVerified:
		return "INVESTIGATING"
	case StatusTransferred:
		return "INTERNAL_REFERRAL"
	case StatusInProgress:
		return "IN_PROGRESS"
	case StatusDone:
		return "FIXED"
	case StatusClosed:
		return "CLOSED"
	}
	return "OPEN"
}

// attachUpdatePhotos sets media_url of updates that carry proof photos.
func (m *Module) attachUpdatePhotos(ctx context.Context, items []any, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	rows, err := m.d.DB.QueryContext(ctx, `SELECT event_id, MIN(id) FROM report_photos WHERE event_id >= $1 AND event_id <= $2 GROUP BY event_id`,
		ids[0], ids[len(ids)-1])
	if err != nil {
		return err
	}
	defer rows.Close()
	photo := map[string]string{}
	for rows.Next() {
		var ev, pid int64
		if err := rows.Scan(&ev, &pid); err != nil {
			return err
		}
		photo[strconv.FormatInt(ev, 10)] = m.d.Config.PublicURL() + m.photoURL(pid)
	}
	for i, it := range items {
		u := it.(o311Update)
		if p, ok := photo[u.UpdateID]; ok {
			u.MediaURL = p
			items[i] = u
		}
	}
	return rows.Err()
}
