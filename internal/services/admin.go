package services

import (
	"database/sql"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
	"github.com/sodamolek/sodamolek/internal/services/retribution"
)

// saveIndices stores the retribution indices an administrator edited.
func (m *Module) saveIndices(r *http.Request, ix retribution.Indices) error {
	ctx := r.Context()
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := m.indices(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO svc_settings (name, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			retributionSetting, mustJSON(ix), database.TimeArg(m.d.Clock.Now())); err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), Action: "pbg_retribution.indices_saved",
			ObjectType: "setting", ObjectID: retributionSetting, Before: before, After: ix})
	})
}
