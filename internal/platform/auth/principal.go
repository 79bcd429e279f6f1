// Package auth owns who is acting and what they may do: accounts (staff
// and citizens), roles and their permissions as data, web sessions,
// bearer tokens for the JSON API, API keys for integrations, one-time
// codes for citizens, and the single authorisation check every handler
// uses.
package auth

import "slices"

// Kind says what sort of actor a principal is.
type Kind string

const (
	Anonymous Kind = "anonymous"
	Citizen   Kind = "citizen"
	Staff     Kind = "staff"
	APIKey    Kind = "apikey"
)

// Scope is how far a granted permission reaches from the holder's unit.
type Scope string

const (
	ScopeUnit    Scope = "unit"    // the holder's own unit only
	ScopeSubtree Scope = "subtree" // the holder's unit and every unit below it
	ScopeCity    Scope = "city"    // every unit of the city
)

// Grant is one permission held on a scope, anchored at the holder's unit.
type Grant struct {
	Permission string
	Scope      Scope
}

// Principal is the actor behind a request.
type Principal struct {
	Kind     Kind
	UserID   int64
	Username string
	Name     string
	UnitCode string
	Roles    []string
	Grants   []Grant
	// APIKeyID and KeyScopes are set for integrations.
	APIKeyID  int64
	KeyScopes []string
	// SessionID is the stored session's id (its hash) for web sessions.
	SessionID string
	// CSRFToken is the session's anti-forgery token for forms.
	CSRFToken string
	// MFAPending is true between password and TOTP steps; such a
	// principal may only finish signing in.
	MFAPending bool
}

// AnonymousPrincipal is the actor of a request without credentials.
var AnonymousPrincipal = &Principal{Kind: Anonymous}

// Authenticated reports whether the request carried valid credentials.
func (p *Principal) Authenticated() bool {
	return p != nil && p.Kind != Anonymous && !p.MFAPending
}

// HasRole reports whether the principal holds the role.
func (p *Principal) HasRole(role string) bool { return p != nil && slices.Contains(p.Roles, role) }

// HasKeyScope reports whether an API key carries the scope.
func (p *Principal) HasKeyScope(scope string) bool {
	return p != nil && p.Kind == APIKey && slices.Contains(p.KeyScopes, scope)
}

// Has reports whether the principal holds the permission on any scope.
// Route-level checks use it; object-level checks use Can.
func (p *Principal) Has(permission string) bool {
	if !p.Authenticated() {
		return false
	}
	for _, g := range p.Grants {
		if g.Permission == permission {
			return true
		}
	}
	return false
}

// UnitTree answers "is unit a inside unit b?"; *units.Tree satisfies it.
type UnitTree interface {
	IsWithin(code, ancestor string) bool
}

// Can reports whether the principal may use permission on an object that
// belongs to unitCode. This is the one authorisation check: handlers call
// it (through web.Authorize) with the unit owning the object.
func (p *Principal) Can(permission, unitCode string, tree UnitTree) bool {
	if !p.Authenticated() {
		return false
	}
	for _, g := range p.Grants {
		if g.Permission != permission {
			continue
		}
		switch g.Scope {
		case ScopeCity:
			return true
		case ScopeUnit:
			if unitCode != "" && unitCode == p.UnitCode {
				return true
			}
		case ScopeSubtree:
			if unitCode != "" && p.UnitCode != "" && tree != nil && tree.IsWithin(unitCode, p.UnitCode) {
				return true
			}
		}
	}
	return false
}

// CityWide reports whether the permission is held for the whole city, so
// list queries can skip the per-unit filter.
func (p *Principal) CityWide(permission string) bool {
	if !p.Authenticated() {
		return false
	}
	for _, g := range p.Grants {
		if g.Permission == permission && g.Scope == ScopeCity {
			return true
		}
	}
	return false
}
