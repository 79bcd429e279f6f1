package prices

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/prices/seed"
)

// seedVersion is bumped when a release adds reference data that existing
// deployments should receive; the seed then adds only what is missing.
const seedVersion = "1"

// KupangBasket is the name of the seeded basket.
const KupangBasket = "IHK Pangan Kota Kupang"

// kupangBase is the seeded basket's base month: the first month of the
// real Panel Harga series the demo data is spread from.
const kupangBase = "2024-01"

// Seed implements app.Seeder: Kupang's markets, commodities, HET/HAP
// prices, origin regions, points of entry and food basket. It runs at
// every start; once a deployment has the current seed version it only
// reads one setting. Rows are added with ON CONFLICT DO NOTHING, so what
// staff changed is never overwritten.
func (m *Module) Seed(ctx context.Context, d *app.Deps) error {
	s := m.store
	var have string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM price_settings WHERE key = 'seed_version'`).Scan(&have)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if have == seedVersion {
		return nil
	}
	markets, err := seed.Markets()
	if err != nil {
		return err
	}
	comms, err := seed.Commodities()
	if err != nil {
		return err
	}
	refs, err := seed.References()
	if err != nil {
		return err
	}
	origins, err := seed.Origins()
	if err != nil {
		return err
	}
	entries, err := seed.EntryPoints()
	if err != nil {
		return err
	}
	weights, err := seed.KupangBasket()
	if err != nil {
		return err
	}
	// Another city's profile without a trade agency: its root unit owns
	// the markets until an administrator assigns them.
	unit, err := s.marketUnit(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, mk := range markets {
			address := mk.Kelurahan + ", " + mk.Kecamatan
			if mk.Alias != "" {
				address = mk.Alias + " — " + address
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_markets (code, name, address, lat, lon, unit_code, active, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7) ON CONFLICT (code) DO NOTHING`,
				mk.Code, mk.Name, address, mk.Lat, mk.Lon, unit, now); err != nil {
				return err
			}
		}
		newCommodities := map[string]bool{}
		for _, c := range comms {
			res, err := tx.ExecContext(ctx, `INSERT INTO price_commodities (code, name, variety, unit, group_code, category, active, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7) ON CONFLICT (code) DO NOTHING`,
				c.Code, c.Name, c.Variety, c.Unit, c.GroupCode, c.Category, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				newCommodities[c.Code] = true
			}
		}
		// Reference prices only for commodities this seed created: an
		// administrator's corrections to the others stay as they are.
		for _, r := range refs {
			if !newCommodities[r.Commodity] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_references (commodity_id, kind, price, legal_basis, valid_from, valid_to, note, created_at)
				SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM price_commodities WHERE code = $1`,
				r.Commodity, r.Kind, r.Price, r.LegalBasis, r.ValidFrom, r.ValidTo, r.Note, now); err != nil {
				return err
			}
		}
		for _, o := range origins {
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_origins (code, name, province, lat, lon, created_at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (code) DO NOTHING`, o.Code, o.Name, o.Province, o.Lat, o.Lon, now); err != nil {
				return err
			}
		}
		for _, e := range entries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_entry_points (code, name, mode, lat, lon, created_at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (code) DO NOTHING`, e.Code, e.Name, e.Mode, e.Lat, e.Lon, now); err != nil {
				return err
			}
		}
		var basket int64
		err := tx.QueryRowContext(ctx, `INSERT INTO price_baskets (name, base_month, description, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING RETURNING id`,
			KupangBasket, kupangBase, "Bahan pangan strategis, ikan, sayur, daging babi dan ayam (bobot ilustratif)", now).Scan(&basket)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if basket != 0 {
			for _, w := range weights {
				if _, err := tx.ExecContext(ctx, `INSERT INTO price_basket_weights (basket_id, commodity_id, weight)
					SELECT $1, id, $3 FROM price_commodities WHERE code = $2`, basket, w.Commodity, w.Weight); err != nil {
					return err
				}
			}
		}
		if err := bumpVersion(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO price_settings (key, value) VALUES ('seed_version', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, seedVersion); err != nil {
			return err
		}
		return d.Audit.Record(ctx, tx, audit.Entry{Actor: audit.System("seed"), Action: "price_reference_data.seeded", ObjectType: "price_seed",
			ObjectID: seedVersion, Note: fmt.Sprintf("%d markets, %d commodities, %d origins", len(markets), len(comms), len(origins))})
	})
}
