package reports

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sort"
	"strconv"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// staffMember is a possible assignee.
type staffMember struct {
	ID   int64
	Name string
}

// detailView is the data of the console's report page.
type detailView struct {
	base
	Report        *Report
	Category      Category
	Events        []Event
	Photos        []Photo // the reporter's
	Unit          string
	KelurahanName string
	KecamatanName string
	Staff         []staffMember
	Units         []unitOption
	Reasons       []string
	Contact       *Contact // revealed (and audited) on request
	Overdue       bool
	Flash         string
	Error         string
	Attributes    []attrAnswer
	CanAct        bool
}

type attrAnswer struct{ Question, Answer string }

// loadForStaff loads a report the principal may handle; ErrNotFound hides
// the ones outside their scope.
func (m *Module) loadForStaff(r *http.Request, q database.Querier) (*Report, *units.Tree, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, nil, ErrNotFound
	}
	var rep *Report
	if tx, ok := q.(*sql.Tx); ok {
		rep, err = m.lockReport(r.Context(), tx, `r.id = $1`, id)
	} else {
		rep, err = reportByID(r.Context(), q, id)
	}
	if err != nil {
		return nil, nil, err
	}
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		return nil, nil, err
	}
	if !web.Authorize(r, PermHandle, rep.Unit, tree) {
		return nil, nil, ErrNotFound
	}
	return rep, tree, nil
}

// detailPage is GET /petugas/laporan/{id}.
func (m *Module) detailPage(w http.ResponseWriter, r *http.Request) {
	m.renderDetail(w, r, http.StatusOK, "", false)
}

func (m *Module) renderDetail(w http.ResponseWriter, r *http.Request, status int, errMsg string, reveal bool) {
	ctx := r.Context()
	sh := m.d.Shell
	rep, tree, err := m.loadForStaff(r, m.d.DB)
	if errors.Is(err, ErrNotFound) {
		sh.NotFound(w, r)
		return
	}
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	evs, err := events(ctx, m.d.DB, rep.ID, false)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	photos, err := reportPhotos(ctx, m.d.DB, rep.ID)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	cat, _, _ := m.cats.get(ctx, rep.Category)
	dv := detailView{Report: rep, Category: cat, Events: evs, Unit: unitName(tree, rep.Unit), Reasons: RejectReasons,
		KelurahanName: m.kelurahanName(rep.Kelurahan), KecamatanName: m.kelurahanName(rep.Kecamatan),
		Overdue: rep.Overdue(m.now()), Error: errMsg, CanAct: rep.Status.Open()}
	for i := range dv.Events {
		for j := range dv.Events[i].Photos {
			dv.Events[i].Photos[j].URL = m.photoURL(dv.Events[i].Photos[j].ID)
		}
	}
	for _, p := range photos {
		if p.EventID == 0 {
			p.URL = m.photoURL(p.ID)
			dv.Photos = append(dv.Photos, p)
		}
	}
	loc := web.LocaleOf(r)
	for _, a := range cat.Attributes {
		vals := rep.Attributes[a.Code]
		if len(vals) == 0 {
			continue
		}
		ans := ""
		for i, v := range vals {
			if i > 0 {
				ans += ", "
			}
			label := v
			for _, c := range a.Values {
				if c.Key == v {
					label = c.Name(loc)
				}
			}
			ans += label
		}
		dv.Attributes = append(dv.Attributes, attrAnswer{a.Name(loc), ans})
	}
	if ok := r.URL.Query().Get("ok"); ok != "" {
		dv.Flash = sh.T(r, "reports.flash_"+ok)
	}
	if dv.Staff, err = m.unitStaff(ctx, rep.Unit); err != nil {
		sh.ServerError(w, r, err)
		return
	}
	for _, u := range tree.All() {
		if u.Active && u.Code != rep.Unit && u.Type != units.TypeCity {
			dv.Units = append(dv.Units, unitOption{u.Code, u.DisplayName()})
		}
	}
	sort.SliceStable(dv.Units, func(i, j int) bool { return dv.Units[i].Name < dv.Units[j].Name })
	if reveal && rep.ContactSealed != "" {
		c, err := m.openContact(rep.ContactSealed)
		if err != nil {
			sh.ServerError(w, r, err)
			return
		}
		// UU 27/2022: every read of a person's contact details is logged.
		if err := m.d.Audit.RecordRead(ctx, auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), "report", strconv.FormatInt(rep.ID, 10), "reporter_contact"); err != nil {
			sh.ServerError(w, r, err)
			return
		}
		dv.Contact = &c
	}
	m.render(w, r, status, "detail.html", rep.Code+" · "+cat.Name(loc), &dv)
}

// revealContact is POST /petugas/laporan/{id}/kontak: show the reporter's
// full contact once, recording the read in the audit log.
func (m *Module) revealContact(w http.ResponseWriter, r *http.Request) {
	m.renderDetail(w, r, http.StatusOK, "", true)
}

// unitStaff lists the active staff accounts of a unit (assignees). The
// accounts table is the platform's (package auth); this reads names only.
func (m *Module) unitStaff(ctx context.Context, unit string) ([]staffMember, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT id, name, COALESCE(username, '') FROM users
		WHERE unit_code = $1 AND kind = 'staff' AND disabled = FALSE ORDER BY name, id`, unit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staffMember
	for rows.Next() {
		var s staffMember
		var username string
		if err := rows.Scan(&s.ID, &s.Name, &username); err != nil {
			return nil, err
		}
		if s.Name == "" {
			s.Name = username
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
