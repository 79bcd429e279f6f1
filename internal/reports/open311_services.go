package reports

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// open311Get dispatches GET /open311/v2/{name}.{format}.
func (m *Module) open311Get(w http.ResponseWriter, r *http.Request) {
	name, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		o311Errors(w, format, http.StatusBadRequest, "format must be .json or .xml")
		return
	}
	switch name {
	case "discovery":
		m.open311Discovery(w, r, format)
	case "services":
		m.open311Services(w, r, format)
	case "requests":
		m.open311Requests(w, r, format)
	case "servicerequestupdates":
		m.open311Updates(w, r, format)
	default:
		o311Errors(w, format, http.StatusNotFound, "no such endpoint: "+name)
	}
}

type o311Discovery struct {
	XMLName    xml.Name       `json:"-" xml:"discovery"`
	Changeset  string         `json:"changeset" xml:"changeset"`
	Contact    string         `json:"contact" xml:"contact"`
	KeyService string         `json:"key_service" xml:"key_service"`
	Endpoints  []o311Endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

type o311Endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

// open311Changeset dates this implementation's interface.
const open311Changeset = "2026-12-01T00:00:00+08:00"

func (m *Module) open311Discovery(w http.ResponseWriter, r *http.Request, format string) {
	base := m.d.Config.PublicURL() + open311Base
	typ := "production"
	if m.d.Config.Demo {
		typ = "test"
	}
	o311WriteOne(w, format, o311Discovery{Changeset: open311Changeset,
		Contact:    m.d.Shell.T(r, "reports.open311_contact", m.d.Regions.Name),
		KeyService: m.d.Shell.T(r, "reports.open311_key_service"),
		Endpoints: []o311Endpoint{{Specification: "http://wiki.open311.org/GeoReport_v2", URL: base, Changeset: open311Changeset,
			Type: typ, Formats: []string{"application/json", "text/xml"}}}})
}

type o311Service struct {
	XMLName     xml.Name `json:"-" xml:"service"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	Description string   `json:"description" xml:"description"`
	Metadata    bool     `json:"metadata" xml:"metadata"`
	Type        string   `json:"type" xml:"type"`
	Keywords    string   `json:"keywords" xml:"keywords"`
	Group       string   `json:"group" xml:"group"`
}

// open311Services is GET /services.{fmt}: every active category.
func (m *Module) open311Services(w http.ResponseWriter, r *http.Request, format string) {
	cats, err := m.cats.active(r.Context())
	if err != nil {
		m.d.Shell.Logger().Error("open311 services", "err", err)
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	loc := web.LocaleOf(r)
	items := make([]any, 0, len(cats))
	for _, c := range cats {
		items = append(items, o311Service{ServiceCode: c.Code, ServiceName: c.Name(loc), Description: c.Description(loc),
			Metadata: len(c.Attributes) > 0, Type: "realtime", Keywords: c.Keywords, Group: m.d.Shell.T(r, "reports.group_"+c.Group)})
	}
	o311Write(w, format, http.StatusOK, "services", items)
}

type o311Definition struct {
	XMLName     xml.Name        `json:"-" xml:"service_definition"`
	ServiceCode string          `json:"service_code" xml:"service_code"`
	Attributes  []o311Attribute `json:"attributes" xml:"attributes>attribute"`
}

type o311Attribute struct {
	Variable            bool        `json:"variable" xml:"variable"`
	Code                string      `json:"code" xml:"code"`
	Datatype            string      `json:"datatype" xml:"datatype"`
	Required            bool        `json:"required" xml:"required"`
	DatatypeDescription string      `json:"datatype_description" xml:"datatype_description"`
	Order               int         `json:"order" xml:"order"`
	Description         string      `json:"description" xml:"description"`
	Values              []o311Value `json:"values,omitempty" xml:"values>value,omitempty"`
}

type o311Value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

// open311ServiceDefinition is GET /services/{code}.{fmt}: the category's
// extra questions as Open311 attributes.
func (m *Module) open311ServiceDefinition(w http.ResponseWriter, r *http.Request) {
	code, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		o311Errors(w, format, http.StatusBadRequest, "format must be .json or .xml")
		return
	}
	c, found, err := m.cats.get(r.Context(), code)
	if err != nil {
		o311Errors(w, format, http.StatusInternalServerError, "internal error")
		return
	}
	if !found || !c.Active {
		o311Errors(w, format, http.StatusNotFound, "service_code "+code+" is not a service (see services."+format+")")
		return
	}
	loc := web.LocaleOf(r)
	def := o311Definition{ServiceCode: c.Code, Attributes: []o311Attribute{}}
	for _, a := range c.Attributes {
		oa := o311Attribute{Variable: true, Code: a.Code, Datatype: a.Datatype, Required: a.Required, Order: a.Order,
			Description: a.Name(loc), DatatypeDescription: datatypeDescription(r, m, a)}
		for _, v := range a.Values {
			oa.Values = append(oa.Values, o311Value{Key: v.Key, Name: v.Name(loc)})
		}
		def.Attributes = append(def.Attributes, oa)
	}
	o311WriteOne(w, format, def)
}

func datatypeDescription(r *http.Request, m *Module, a Attribute) string {
	if h := a.Hint(web.LocaleOf(r)); h != "" {
		return h
	}
	return m.d.Shell.T(r, "reports.datatype_"+a.Datatype)
}

// matchKelurahan finds a kelurahan named in free text (the longest name
// that appears as a word), for reports that come with an address only.
func (m *Module) matchKelurahan(text string) (string, bool) {
	t := " " + strings.ToLower(text) + " "
	t = strings.NewReplacer(",", " ", ".", " ", "\n", " ", "-", " ").Replace(t)
	best, bestLen := "", 0
	for _, k := range m.d.Regions.Kelurahan() {
		name := " " + strings.ToLower(k.Name) + " "
		if strings.Contains(t, name) && len(name) > bestLen {
			best, bestLen = k.Code, len(name)
		}
	}
	return best, best != ""
}
