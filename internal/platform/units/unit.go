// Package units owns the organisations of the city: perangkat daerah
// (OPD), kecamatan and kelurahan offices, puskesmas and outside
// stakeholders such as the police and the land office, in one hierarchy.
// Each unit may carry a location and a service area (a set of kelurahan).
// Every module refers to units by code; roles are scoped to units.
package units

import (
	"embed"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the units tables.
var Migrations = database.FromDir("units", migrationFiles, "migrations")

// Type classifies a unit. The set is open (data), these are the seeded ones.
type Type string

const (
	TypeCity        Type = "pemkot"
	TypeSecretariat Type = "sekretariat"
	TypeAgency      Type = "badan"
	TypeDinas       Type = "dinas"
	TypeInspectorat Type = "inspektorat"
	TypeSatpol      Type = "satpol"
	TypeKecamatan   Type = "kecamatan"
	TypeKelurahan   Type = "kelurahan"
	TypePuskesmas   Type = "puskesmas"
	TypeTeam        Type = "tim"
	TypeExternal    Type = "eksternal"
)

// Unit is one organisation.
type Unit struct {
	Code        string
	Name        string
	ShortName   string
	Type        Type
	ParentCode  string
	RegionCode  string // the kecamatan or kelurahan an office stands for
	Lat, Lon    *float64
	Active      bool
	ServiceArea []string // kelurahan codes
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// DisplayName is the short name when there is one.
func (u Unit) DisplayName() string {
	if u.ShortName != "" {
		return u.ShortName
	}
	return u.Name
}
