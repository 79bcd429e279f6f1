package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// auditPerPage is one page of the audit search.
const auditPerPage = 50

type auditForm struct {
	Actor, ActorKind, Action, ObjectType, ObjectID, From, To string
}

type auditRow struct {
	audit.Record
	// ObjectHref links the object's console page, when it has one.
	ObjectHref    string
	Before, After string // indented JSON
}

type auditPage struct {
	base
	Form    auditForm
	Kinds   []option
	Records []auditRow
	// Older links the next (older) page, "" on the last.
	Older string
	// Paged is true after following "older"; Newest then leads back to
	// the first page with the same filters.
	Paged  bool
	Newest string
}

// searchAudit searches the audit log, newest first, a page at a time
// (keyset on the id, so new entries arriving meanwhile do not shift the
// pages). The log is read-only here as everywhere: the table refuses
// UPDATE and DELETE.
func (m *Module) searchAudit(w http.ResponseWriter, r *http.Request) {
	p := web.PrincipalOf(r)
	sh := m.d.Shell
	q := r.URL.Query()
	data := auditPage{base: m.base(r, "audit"), Form: auditForm{Actor: strings.TrimSpace(q.Get("actor")),
		ActorKind: q.Get("actor_kind"), Action: strings.TrimSpace(q.Get("action")), ObjectType: strings.TrimSpace(q.Get("object_type")),
		ObjectID: strings.TrimSpace(q.Get("object_id")), From: q.Get("from"), To: q.Get("to")}}
	for _, k := range []audit.ActorKind{audit.ActorUser, audit.ActorAPIKey, audit.ActorSystem, audit.ActorAnonymous} {
		data.Kinds = append(data.Kinds, option{Value: string(k), Label: sh.T(r, "admin.audit.kind_"+string(k)),
			Selected: string(k) == data.Form.ActorKind})
	}
	f, ok := m.auditFilter(r, p, &data)
	if !ok {
		m.render(w, r, http.StatusUnprocessableEntity, "audit.html", "admin.audit.title", data)
		return
	}
	if before := q.Get("before"); before != "" {
		id, err := strconv.ParseInt(before, 10, 64)
		if err != nil || id <= 0 {
			sh.Render.Error(w, r, http.StatusBadRequest, sh.T(r, "error.bad_param", "before"))
			return
		}
		f.BeforeID, data.Paged = id, true
	}
	page, err := m.d.Audit.Search(r.Context(), f)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	for _, rec := range page.Records {
		data.Records = append(data.Records, auditRow{Record: rec, ObjectHref: objectHref(rec.ObjectType, rec.ObjectID),
			Before: pretty(rec.Before), After: pretty(rec.After)})
	}
	filters := map[string]string{"actor": data.Form.Actor, "actor_kind": data.Form.ActorKind, "action": data.Form.Action,
		"object_type": data.Form.ObjectType, "object_id": data.Form.ObjectID, "from": data.Form.From, "to": data.Form.To}
	if page.Next > 0 {
		data.Older = pageURL("/admin/audit", filters, "before", page.Next)
	}
	data.Newest = pageURL("/admin/audit", filters, "", 0)
	m.render(w, r, http.StatusOK, "audit.html", "admin.audit.title", data)
}

// auditFilter turns the form into a filter, adding a message to each
// field it cannot use. The actor is a user's sign-in name or an id; the
// log stores ids, so a name is looked up among the accounts the
// principal may see.
func (m *Module) auditFilter(r *http.Request, p *auth.Principal, data *auditPage) (audit.Filter, bool) {
	sh := m.d.Shell
	in := data.Form
	f := audit.Filter{Action: in.Action, ObjectType: in.ObjectType, ObjectID: in.ObjectID, Limit: auditPerPage}
	switch audit.ActorKind(in.ActorKind) {
	case "":
	case audit.ActorUser, audit.ActorAPIKey, audit.ActorSystem, audit.ActorAnonymous:
		f.ActorKind = audit.ActorKind(in.ActorKind)
	default:
		data.Errors.add("actor_kind", sh.T(r, "admin.error.invalid"))
	}
	if in.Actor != "" {
		if id, err := strconv.ParseInt(in.Actor, 10, 64); err == nil && id > 0 {
			f.ActorID = id
			if f.ActorKind == "" {
				f.ActorKind = audit.ActorUser
			}
		} else if f.ActorKind != "" && f.ActorKind != audit.ActorUser {
			data.Errors.add("actor", sh.T(r, "admin.audit.actor_id_needed"))
		} else if id, ok := m.userIDByName(r, p, in.Actor); ok {
			f.ActorKind, f.ActorID = audit.ActorUser, id
		} else {
			data.Errors.add("actor", sh.T(r, "admin.audit.actor_unknown"))
		}
	}
	from, ok := dateInput(in.From, m.d.Location)
	if !ok {
		data.Errors.add("from", sh.T(r, "admin.audit.date_invalid"))
	}
	to, ok := dateInput(in.To, m.d.Location)
	if !ok {
		data.Errors.add("to", sh.T(r, "admin.audit.date_invalid"))
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		data.Errors.add("to", sh.T(r, "admin.audit.range_invalid"))
	}
	f.From = from
	if !to.IsZero() {
		// "To" names a day and includes all of it.
		f.To = to.AddDate(0, 0, 1)
	}
	return f, len(data.Errors) == 0
}

// userIDByName finds the account with exactly this sign-in name.
func (m *Module) userIDByName(r *http.Request, p *auth.Principal, name string) (int64, bool) {
	if !p.Has(permUsers) {
		return 0, false
	}
	users, err := m.d.Auth.ListUsers(r.Context(), p, auth.UserFilter{Query: name, Kind: auth.Staff, Limit: 500})
	if err != nil {
		return 0, false
	}
	for _, u := range users {
		if strings.EqualFold(u.Username, name) {
			return u.ID, true
		}
	}
	return 0, false
}

func objectHref(typ, id string) string {
	switch typ {
	case "user":
		if _, err := strconv.ParseInt(id, 10, 64); err == nil {
			return "/admin/users/" + id
		}
	case "unit":
		if unitCodePattern.MatchString(id) {
			return "/admin/units/" + id
		}
	}
	return ""
}

// pretty indents stored JSON for reading; what does not parse is shown
// as stored.
func pretty(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}
