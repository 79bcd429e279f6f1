package reports

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// inboundRequest is what a WhatsApp/SMS gateway posts for a message from
// a resident: the text, the sender, and a shared location if any.
type inboundRequest struct {
	Channel   string   `json:"channel"`
	From      string   `json:"from"`
	Text      string   `json:"text"`
	Lat       *float64 `json:"lat"`
	Lon       *float64 `json:"lon"`
	MessageID string   `json:"message_id"`
	Locale    string   `json:"locale"`
}

type inboundResponse struct {
	TrackingCode string `json:"tracking_code,omitempty"`
	Category     string `json:"category,omitempty"`
	Agency       string `json:"agency,omitempty"`
	// Reply is the text the gateway sends back to the resident.
	Reply string `json:"reply"`
}

// apiInbound is POST /api/v1/inbound/message (API key with scope
// "gateway"): it opens a report from a message and answers with the
// tracking code and the reply to send. The category comes from the words
// (#kategori or the categories' keywords), the place from the shared
// location or a kelurahan named in the text. The gateway's message id is
// the idempotency key, so a redelivered message opens one report.
func (m *Module) apiInbound(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	var req inboundRequest
	if err := sh.DecodeJSON(w, r, &req, 32<<10); err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	locale := req.Locale
	if locale != "en" {
		locale = "id"
	}
	reply := func(status int, code, key string, args ...any) {
		msg := m.t(locale, key, args...)
		web.WriteJSON(w, status, map[string]any{"error": web.APIError{Code: code, Message: msg}, "reply": msg})
	}
	if strings.TrimSpace(req.From) == "" {
		reply(http.StatusUnprocessableEntity, "validation", "reports.inbound_from_required")
		return
	}
	channel := notify.ChannelSMS
	if strings.EqualFold(req.Channel, "whatsapp") {
		channel = notify.ChannelWhatsApp
	}
	cat, ok := m.guessCategory(r.Context(), req.Text)
	if !ok {
		reply(http.StatusUnprocessableEntity, "validation", "reports.inbound_category", m.categoryHashtags(r.Context()))
		return
	}
	p := web.PrincipalOf(r)
	s := Submission{Category: cat, Description: strings.TrimSpace(req.Text), Source: "gateway", SourceRef: req.Channel,
		Locale: locale, IdempotencyKey: req.MessageID, OptionalAttributes: true, Contact: Contact{Phone: req.From, Channel: channel},
		Actor: actor{Kind: "apikey", Name: p.Name, Audit: auth.ActorOf(p, web.ClientIP(r))}}
	switch {
	case req.Lat != nil && req.Lon != nil:
		s.HasPoint, s.Lat, s.Lon = true, *req.Lat, *req.Lon
	default:
		if kel, ok := m.matchKelurahan(req.Text); ok {
			s.Kelurahan = kel
		}
	}
	rep, replayed, err := m.Submit(r.Context(), s)
	var ie *InputError
	switch {
	case errors.As(err, &ie):
		field, msg := firstField(ie)
		text := m.t(locale, msg.Key, msg.Args...)
		if field == "location" && !s.HasPoint && s.Kelurahan == "" {
			text = m.t(locale, "reports.inbound_location")
		}
		web.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": web.APIError{Code: "validation", Message: text,
			Fields: map[string]string{field: text}}, "reply": text})
		return
	case err != nil:
		sh.WriteAPIError(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	c, _, _ := m.cats.get(r.Context(), rep.Category)
	text := m.t(locale, "reports.inbound_reply", rep.Code, m.d.Config.PublicURL()+"/lapor/"+rep.Code)
	if c.Emergency() {
		text = m.t(locale, "reports.emergency_call", c.EmergencyNumbers) + " " + text
	}
	tree, _ := m.d.Units.Tree(r.Context())
	web.WriteJSON(w, http.StatusCreated, inboundResponse{TrackingCode: rep.Code, Category: rep.Category, Agency: unitName(tree, rep.Unit), Reply: text})
}

func firstField(ie *InputError) (string, FieldMsg) {
	best := ""
	for f := range ie.Fields {
		if best == "" || f < best {
			best = f
		}
	}
	return best, ie.Fields[best]
}

// guessCategory picks the category a message is about: a "#code" tag
// wins; otherwise the category whose keywords appear most often (longer
// keywords count more), never an inactive one.
func (m *Module) guessCategory(ctx context.Context, text string) (string, bool) {
	cats, err := m.cats.active(ctx)
	if err != nil {
		return "", false
	}
	lower := strings.ToLower(text)
	for _, c := range cats {
		if strings.Contains(lower, "#"+c.Code) {
			return c.Code, true
		}
	}
	words := " " + strings.Join(strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ") + " "
	best, bestScore := "", 0
	for _, c := range cats {
		score := 0
		for _, kw := range strings.Split(c.Keywords, ",") {
			kw = strings.TrimSpace(strings.ToLower(kw))
			if kw != "" && strings.Contains(words, " "+kw+" ") {
				score += len(kw)
			}
		}
		if score > bestScore {
			best, bestScore = c.Code, score
		}
	}
	if best == "" {
		for _, c := range cats {
			if c.Code == "masalah-lainnya" {
				return c.Code, true
			}
		}
	}
	return best, best != ""
}

func (m *Module) categoryHashtags(ctx context.Context) string {
	cats, _ := m.cats.active(ctx)
	var tags []string
	for _, c := range cats {
		tags = append(tags, "#"+c.Code)
	}
	return strings.Join(tags, " ")
}
