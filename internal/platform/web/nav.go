package web

import "github.com/sodamolek/sodamolek/internal/platform/auth"

// NavItem is a link in the navigation bar, shown to those its Access
// admits. Modules add theirs; nothing central lists them.
type NavItem struct {
	Label  string // message key
	Href   string
	Access Access
	Order  int
}

// HomeLink is a card on the public home page.
type HomeLink struct {
	Title       string // message key
	Description string // message key
	Href        string
	Icon        string // static file name of an SVG icon, optional
	Order       int
}

// AddNav adds navigation items.
func (s *Shell) AddNav(items ...NavItem) { s.nav = append(s.nav, items...) }

// AddHomeLinks adds cards to the home page.
func (s *Shell) AddHomeLinks(links ...HomeLink) { s.homeLinks = append(s.homeLinks, links...) }

func (s *Shell) navFor(p *auth.Principal) []NavItem {
	var out []NavItem
	for _, n := range s.nav {
		if allowed(n.Access, p) {
			out = append(out, n)
		}
	}
	sortByOrder(out, func(n NavItem) int { return n.Order })
	return out
}

func sortByOrder[T any](xs []T, key func(T) int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && key(xs[j]) < key(xs[j-1]); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}
