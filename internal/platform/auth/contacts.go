package auth

import (
	"context"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// StaffQuery selects staff accounts to notify: those in Unit, holding
// Role, or holding a role that grants Permission. An empty field does
// not filter.
type StaffQuery struct {
	Unit       string
	Role       string
	Permission string
}

// StaffEmails lists the e-mail addresses of the active staff accounts
// (not disabled, not deleted, with an address) that q selects, sorted and
// without repeats. It runs on db, which may be the caller's transaction,
// so modules never read the identity tables themselves.
func StaffEmails(ctx context.Context, db database.Querier, q StaffQuery) ([]string, error) {
	conds := []string{"u.kind = 'staff'", "u.disabled = FALSE", "u.deleted_at IS NULL", "u.email <> ''"}
	var args []any
	arg := func(v string) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Unit != "" {
		conds = append(conds, "u.unit_code = "+arg(q.Unit))
	}
	if q.Role != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_code = "+arg(q.Role)+")")
	}
	if q.Permission != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_code = ur.role_code
			WHERE ur.user_id = u.id AND rp.permission = `+arg(q.Permission)+")")
	}
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT u.email FROM users u WHERE `+strings.Join(conds, " AND ")+` ORDER BY u.email`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
