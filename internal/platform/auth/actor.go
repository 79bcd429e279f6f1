package auth

import (
	"strconv"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
)

// ActorOf describes a principal for the audit log. Citizens are recorded
// by account number only ("warga#42"), never by name or phone: an audit
// row outlives a deleted account and cannot be de-identified later. A nil
// principal is an anonymous visitor.
func ActorOf(p *Principal, ip string) audit.Actor {
	switch {
	case p == nil || p.Kind == Anonymous:
		return audit.Anonymous(ip)
	case p.Kind == APIKey:
		return audit.Actor{Kind: audit.ActorAPIKey, ID: p.APIKeyID, Name: p.Name, IP: ip}
	case p.Kind == Citizen:
		return audit.Actor{Kind: audit.ActorUser, ID: p.UserID, Name: citizenLabel(p.UserID), IP: ip}
	default:
		return audit.Actor{Kind: audit.ActorUser, ID: p.UserID, Name: p.Username, IP: ip}
	}
}

// actorOrSystem is ActorOf with nil meaning the command line.
func actorOrSystem(p *Principal, ip string) audit.Actor {
	if p == nil {
		return audit.System("cli")
	}
	return ActorOf(p, ip)
}

func citizenLabel(id int64) string { return "warga#" + strconv.FormatInt(id, 10) }
