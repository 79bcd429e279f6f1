package reports

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// DuplicateRadiusM is how close an open report of the same category must
// be to be offered instead of a new one (DOMAIN.md §3).
const DuplicateRadiusM = 250

// NearbyReport is an open listed report close to a point.
type NearbyReport struct {
	ID          int64     `json:"id"`
	Category    string    `json:"category"`
	Status      Status    `json:"status"`
	StatusLabel string    `json:"status_label"`
	Description string    `json:"description"`
	DistanceM   int       `json:"distance_m"`
	Supporters  int       `json:"supporters"`
	CreatedAt   time.Time `json:"created_at"`
	URL         string    `json:"url"`
}

// nearby finds open, listed reports of a category within radius metres:
// a bounding box in SQL (on the latitude band index), the exact distance
// in Go. Confidential reports are never offered: that would tell a
// stranger that someone reported something there.
func (m *Module) nearby(ctx context.Context, category string, lat, lon, radius float64, limit int) ([]NearbyReport, error) {
	dLat := radius / 111320
	dLon := radius / (111320 * math.Max(0.01, math.Cos(lat*math.Pi/180)))
	rows, err := m.d.DB.QueryContext(ctx, `SELECT id, status, description, lat, lon, supporters, created_at FROM reports
		WHERE is_open = TRUE AND category_code = $1 AND lat BETWEEN $2 AND $3 AND lon BETWEEN $4 AND $5 AND listed = TRUE
		ORDER BY id DESC LIMIT 500`, category, lat-dLat, lat+dLat, lon-dLon, lon+dLon)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NearbyReport
	for rows.Next() {
		var n NearbyReport
		var status string
		var plat, plon float64
		if err := rows.Scan(&n.ID, &status, &n.Description, &plat, &plon, &n.Supporters, database.T(&n.CreatedAt)); err != nil {
			return nil, err
		}
		d := haversine(lat, lon, plat, plon)
		if d > radius {
			continue
		}
		n.Category, n.Status, n.DistanceM, n.URL = category, Status(status), int(math.Round(d)), "/laporan/"+strconv.FormatInt(n.ID, 10)
		if len([]rune(n.Description)) > 160 {
			n.Description = string([]rune(n.Description)[:160]) + "…"
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DistanceM < out[j].DistanceM })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// apiNearby is GET /api/v1/reports/nearby?category=&lat=&lon=.
func (m *Module) apiNearby(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	lat, lon, bad := parseLatLon(r)
	if bad != "" {
		sh.WriteAPIError(w, r, sh.BadParam(r, bad))
		return
	}
	cat := strings.TrimSpace(r.URL.Query().Get("category"))
	if _, ok, err := m.cats.get(r.Context(), cat); err != nil {
		sh.WriteAPIError(w, r, err)
		return
	} else if !ok {
		sh.WriteAPIError(w, r, sh.BadParam(r, "category"))
		return
	}
	list, err := m.nearby(r.Context(), cat, lat, lon, DuplicateRadiusM, 10)
	if err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	for i := range list {
		list[i].StatusLabel = sh.T(r, "reports.status_"+string(list[i].Status))
	}
	if list == nil {
		list = []NearbyReport{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"radius_m": DuplicateRadiusM, "items": list})
}

// errNotSupportable: the report is confidential, merged or finished.
var errNotSupportable = errors.New("reports: report cannot be supported")

// support records "me too": one per person per report (an account, a
// phone number, or else the visitor's address), adding them as a
// follower when they left a way to reach them. It returns the new
// supporter count and whether this was a new supporter.
func (m *Module) support(ctx context.Context, r *http.Request, id int64, phone string) (int, bool, error) {
	p := web.PrincipalOf(r)
	var c Contact
	key := "ip:" + m.d.Sealer.BlindIndex("report-support-ip:"+web.ClientIP(r))
	var userID any
	if p.Authenticated() && p.Kind == auth.Citizen {
		userID = p.UserID
		key = "u:" + strconv.FormatInt(p.UserID, 10)
		if u, err := m.d.Auth.Me(ctx, p); err == nil {
			c.Phone = u.Phone
		}
	} else if p.Authenticated() && p.Kind == auth.Staff {
		userID = p.UserID
		key = "u:" + strconv.FormatInt(p.UserID, 10)
	}
	if phone != "" {
		n, err := idnum.NormalizePhone(phone)
		if err != nil {
			return 0, false, &InputError{Fields: map[string]FieldMsg{"phone": {Key: "reports.err_phone"}}}
		}
		c.Phone = n
		if userID == nil {
			key = "p:" + m.d.Sealer.BlindIndex("phone:"+n)
		}
	}
	sealed, err := m.sealContact(c)
	if err != nil {
		return 0, false, err
	}
	var count int
	added := false
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		rep, err := m.lockReport(ctx, tx, `r.id = $1`, id)
		if err != nil {
			return err
		}
		if !rep.Listed || !rep.Status.Open() {
			return errNotSupportable
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO report_supporters (report_id, follower_key, user_id, contact_sealed, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_id, follower_key) DO NOTHING`,
			id, key, userID, sealed, database.TimeArg(m.now()))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		count = rep.Supporters
		if n == 0 {
			return nil
		}
		added = true
		count++
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET supporters = supporters + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, auditEntry(actorOf(r), "report.supported", id, nil))
	})
	return count, added, err
}

// apiSupport is POST /api/v1/reports/{id}/support {"phone": optional}.
func (m *Module) apiSupport(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		web.WriteError(w, r, http.StatusNotFound, "not_found", sh.T(r, "error.not_found"), nil)
		return
	}
	var body struct {
		Phone string `json:"phone"`
	}
	if r.ContentLength != 0 {
		if err := sh.DecodeJSON(w, r, &body, 4<<10); err != nil {
			sh.WriteAPIError(w, r, err)
			return
		}
	}
	count, added, err := m.support(r.Context(), r, id, body.Phone)
	switch {
	case errors.Is(err, ErrNotFound):
		web.WriteError(w, r, http.StatusNotFound, "not_found", sh.T(r, "error.not_found"), nil)
	case errors.Is(err, errNotSupportable):
		web.WriteError(w, r, http.StatusConflict, "not_supportable", sh.T(r, "reports.err_not_supportable"), nil)
	case err != nil:
		m.writeSubmitError(w, r, err)
	default:
		web.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "supporters": count, "added": added, "url": "/laporan/" + strconv.FormatInt(id, 10)})
	}
}
