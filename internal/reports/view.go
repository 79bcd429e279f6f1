package reports

import (
	"context"
	"net/http"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// PublicView is what anyone may see of a report: the tracking page, the
// public page and the JSON API. It never holds the reporter's identity,
// except the name of a public report whose reporter agreed.
type PublicView struct {
	ID            int64          `json:"id"`
	TrackingCode  string         `json:"tracking_code,omitempty"`
	Category      string         `json:"category"`
	CategoryName  string         `json:"category_name"`
	Status        Status         `json:"status"`
	StatusLabel   string         `json:"status_label"`
	Privacy       Privacy        `json:"privacy"`
	Kelurahan     string         `json:"kelurahan"`
	KelurahanName string         `json:"kelurahan_name"`
	Kecamatan     string         `json:"kecamatan"`
	KecamatanName string         `json:"kecamatan_name"`
	Agency        string         `json:"agency"`
	AgencyName    string         `json:"agency_name"`
	Description   string         `json:"description,omitempty"`
	Address       string         `json:"address,omitempty"`
	Lat           *float64       `json:"lat,omitempty"`
	Lon           *float64       `json:"lon,omitempty"`
	ReporterName  string         `json:"reporter_name,omitempty"`
	Supporters    int            `json:"supporters"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	ExpectedAt    *time.Time     `json:"expected_at,omitempty"`
	RejectReason  string         `json:"reject_reason,omitempty"`
	MergedInto    int64          `json:"merged_into,omitempty"`
	Rating        int            `json:"rating,omitempty"`
	Timeline      []TimelineItem `json:"timeline"`
	Photos        []string       `json:"photos"`
	EmergencyCall string         `json:"emergency_numbers,omitempty"`
}

// TimelineItem is one public entry of the history.
type TimelineItem struct {
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	Status    Status    `json:"status"`
	Label     string    `json:"label"`
	Agency    string    `json:"agency,omitempty"`
	ToAgency  string    `json:"to_agency,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	Note      string    `json:"note,omitempty"`
	Photos    []string  `json:"photos,omitempty"`
	Staff     bool      `json:"-"`
	ActorKind string    `json:"-"`
}

// publicView builds the public view of r in the request's language.
// withDetails adds the description and place (every report the viewer
// may open shows them; confidential ones only to the tracking-code
// holder).
func (m *Module) publicView(ctx context.Context, r *http.Request, rep *Report, withCode bool) (*PublicView, error) {
	loc := web.LocaleOf(r)
	sh := m.d.Shell
	cat, _, err := m.cats.get(ctx, rep.Category)
	if err != nil {
		return nil, err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	v := &PublicView{ID: rep.ID, Category: rep.Category, CategoryName: cat.Name(loc), Status: rep.Status,
		StatusLabel: sh.T(r, "reports.status_"+string(rep.Status)), Privacy: rep.Privacy, Kelurahan: rep.Kelurahan,
		Kecamatan: rep.Kecamatan, Agency: rep.Unit, AgencyName: unitName(tree, rep.Unit), Description: rep.Description,
		Address: rep.Address, Supporters: rep.Supporters, CreatedAt: rep.CreatedAt, UpdatedAt: rep.UpdatedAt,
		RejectReason: rep.RejectReason, MergedInto: rep.MergedInto, Rating: rep.Rating, Photos: []string{},
		EmergencyCall: cat.EmergencyNumbers}
	if withCode {
		v.TrackingCode = rep.Code
	}
	if k, ok := m.d.Regions.Lookup(rep.Kelurahan); ok {
		v.KelurahanName = k.Name
	}
	if k, ok := m.d.Regions.Lookup(rep.Kecamatan); ok {
		v.KecamatanName = k.Name
	}
	if rep.HasPoint {
		lat, lon := rep.Lat, rep.Lon
		v.Lat, v.Lon = &lat, &lon
	}
	if rep.Privacy == PrivacyPublic {
		v.ReporterName = rep.PublicName
	}
	if rep.Status.Open() && !rep.ResolutionDueAt.IsZero() {
		e := rep.ResolutionDueAt
		v.ExpectedAt = &e
	}
	evs, err := events(ctx, m.d.DB, rep.ID, true)
	if err != nil {
		return nil, err
	}
	photos, err := reportPhotos(ctx, m.d.DB, rep.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range photos {
		if p.EventID == 0 {
			v.Photos = append(v.Photos, m.photoURL(p.ID))
		}
	}
	for _, e := range evs {
		it := TimelineItem{At: e.At, Kind: e.Kind, Status: e.Status, Label: eventLabel(sh.T, r, e), Agency: unitName(tree, e.Unit),
			Reason: e.Reason, Note: e.Note, Staff: e.ActorKind == "staff", ActorKind: e.ActorKind}
		if e.ToUnit != "" {
			it.ToAgency = unitName(tree, e.ToUnit)
		}
		if e.Reason != "" && e.Kind == EventRejected {
			it.Reason = sh.T(r, "reports.reason_"+e.Reason)
		}
		for _, p := range e.Photos {
			it.Photos = append(it.Photos, m.photoURL(p.ID))
		}
		v.Timeline = append(v.Timeline, it)
	}
	return v, nil
}

// Expected is the expected completion for templates (zero when none).
func (v *PublicView) Expected() time.Time {
	if v.ExpectedAt == nil {
		return time.Time{}
	}
	return *v.ExpectedAt
}

func eventLabel(t func(*http.Request, string, ...any) string, r *http.Request, e Event) string {
	return t(r, "reports.event_"+e.Kind)
}

func unitName(tree *units.Tree, code string) string {
	if u, ok := tree.Get(code); ok {
		return u.DisplayName()
	}
	return code
}
