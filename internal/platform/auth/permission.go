package auth

import (
	"fmt"
	"sort"
	"sync"
)

// Permission describes one thing a role may be allowed to do. Modules
// declare theirs at start-up; roles grant them as data (role_permissions).
type Permission struct {
	Code        string // "<module>.<action>", e.g. "reports.handle"
	Description string // message key or plain English for the admin page
}

// RoleDef is a seeded role and the permissions it starts with. An
// administrator may change the grants later; seeding never overwrites
// grants that exist.
type RoleDef struct {
	Code   string
	Name   string
	Grants []Grant
}

// Registry collects the permissions and default role grants modules
// declare.
type Registry struct {
	mu          sync.Mutex
	permissions map[string]Permission
	roles       map[string]*RoleDef
}

// NewRegistry returns a registry with the seeded roles and no grants.
func NewRegistry() *Registry {
	r := &Registry{permissions: map[string]Permission{}, roles: map[string]*RoleDef{}}
	for _, role := range SeedRoles {
		r.roles[role.Code] = &RoleDef{Code: role.Code, Name: role.Name}
	}
	return r
}

// SeedRoles are the roles every city starts with.
var SeedRoles = []RoleDef{
	{Code: "admin", Name: "Administrator kota"},
	{Code: "unit_admin", Name: "Administrator unit"},
	{Code: "officer", Name: "Petugas"},
	{Code: "supervisor", Name: "Supervisor"},
	{Code: "executive", Name: "Pimpinan (dasbor)"},
	{Code: "health_staff", Name: "Petugas kesehatan"},
	{Code: "enumerator", Name: "Enumerator harga"},
	{Code: "employee", Name: "Aparatur (ASN)"},
	{Code: "taxpayer", Name: "Wajib pajak"},
	{Code: "citizen", Name: "Warga"},
}

// Declare adds a permission and grants it to roles by default:
// Declare(Permission{...}, "officer:unit", "supervisor:subtree", "admin:city").
func (r *Registry) Declare(p Permission, defaults ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.permissions[p.Code]; dup {
		panic(fmt.Sprintf("auth: permission %q declared twice", p.Code))
	}
	r.permissions[p.Code] = p
	for _, d := range defaults {
		role, scope, ok := cut(d)
		if !ok {
			panic(fmt.Sprintf("auth: default grant %q must be role:scope", d))
		}
		def := r.roles[role]
		if def == nil {
			panic(fmt.Sprintf("auth: default grant names unknown role %q", role))
		}
		def.Grants = append(def.Grants, Grant{Permission: p.Code, Scope: scope})
	}
}

func cut(s string) (string, Scope, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			sc := Scope(s[i+1:])
			switch sc {
			case ScopeUnit, ScopeSubtree, ScopeCity:
				return s[:i], sc, true
			}
			return "", "", false
		}
	}
	return "", "", false
}

// Permissions lists the declared permissions by code.
func (r *Registry) Permissions() []Permission {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Permission, 0, len(r.permissions))
	for _, p := range r.permissions {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Known reports whether a permission was declared.
func (r *Registry) Known(code string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.permissions[code]
	return ok
}

// Roles lists the seeded roles with their default grants.
func (r *Registry) Roles() []RoleDef {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []RoleDef
	for _, s := range SeedRoles {
		out = append(out, *r.roles[s.Code])
	}
	return out
}
