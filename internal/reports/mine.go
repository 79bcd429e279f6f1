package reports

import (
	"context"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// mineView is the data of /lapor/saya.
type mineView struct {
	base
	Reports   []ListItem
	Supported []ListItem
}

// minePage is GET /lapor/saya: a signed-in citizen's reports (with their
// tracking codes) and the ones they support.
func (m *Module) minePage(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	ctx := r.Context()
	p := web.PrincipalOf(r)
	own, _, err := listReports(ctx, m.d.DB, []string{"reporter_user_id = $1"}, []any{p.UserID}, 200)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	sup, _, err := listReports(ctx, m.d.DB, []string{"listed = TRUE", "id IN (SELECT report_id FROM report_supporters WHERE user_id = $1)"}, []any{p.UserID}, 200)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	m.decorate(ctx, r, own)
	m.decorate(ctx, r, sup)
	m.render(w, r, http.StatusOK, "mine.html", sh.T(r, "reports.mine_title"), &mineView{Reports: own, Supported: sup})
}

// exportItem is a report in a person's data export.
type exportItem struct {
	TrackingCode string `json:"tracking_code"`
	Category     string `json:"category"`
	Status       Status `json:"status"`
	Kelurahan    string `json:"kelurahan"`
	Description  string `json:"description"`
	Contact      any    `json:"contact,omitempty"`
	CreatedAt    string `json:"created_at"`
	Rating       int    `json:"rating,omitempty"`
}

// exportFor is the reports section of a citizen's data export
// (UU 27/2022): every report they filed while signed in, with the
// contact they gave.
func (m *Module) exportFor(ctx context.Context, userID int64) (any, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT `+reportColumns+` FROM reports r WHERE r.reporter_user_id = $1 ORDER BY r.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportItem{}
	for rows.Next() {
		rep, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		it := exportItem{TrackingCode: rep.Code, Category: rep.Category, Status: rep.Status, Kelurahan: rep.Kelurahan,
			Description: rep.Description, CreatedAt: database.TimeArg(rep.CreatedAt), Rating: rep.Rating}
		if c, err := m.openContact(rep.ContactSealed); err == nil && !c.empty() {
			it.Contact = c
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
