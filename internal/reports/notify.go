package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// sealContact stores a contact encrypted; "" for an empty one.
func (m *Module) sealContact(c Contact) (string, error) {
	if c.empty() {
		return "", nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return m.d.Sealer.Seal(string(b))
}

// openContact reads a sealed contact.
func (m *Module) openContact(sealed string) (Contact, error) {
	if sealed == "" {
		return Contact{}, nil
	}
	s, err := m.d.Sealer.Open(sealed)
	if err != nil {
		return Contact{}, err
	}
	var c Contact
	err = json.Unmarshal([]byte(s), &c)
	return c, err
}

// maskContact is what lists show of a contact.
func maskContact(c Contact) string {
	var parts []string
	if c.Name != "" {
		parts = append(parts, c.Name)
	}
	if c.Phone != "" {
		parts = append(parts, idnum.MaskPhone(c.Phone))
	}
	if c.Email != "" {
		if at := strings.IndexByte(c.Email, '@'); at > 1 {
			parts = append(parts, c.Email[:1]+"***"+c.Email[at:])
		} else {
			parts = append(parts, "***")
		}
	}
	return strings.Join(parts, " · ")
}

// message builds the notification for a contact; ok false when it has no
// address.
func message(c Contact, body, tag, locale string) (notify.Message, bool) {
	switch {
	case c.Phone != "":
		ch := notify.ChannelSMS
		if c.Channel == notify.ChannelWhatsApp {
			ch = notify.ChannelWhatsApp
		}
		return notify.Message{Channel: ch, To: c.Phone, Body: body, Tag: tag, Locale: locale}, true
	case c.Email != "":
		return notify.Message{Channel: notify.ChannelEmail, To: c.Email, Subject: "Sodamolek", Body: body, Tag: tag, Locale: locale}, true
	}
	return notify.Message{}, false
}

func (m *Module) t(locale, key string, args ...any) string {
	loc, ok := i18n.Parse(locale)
	if !ok {
		loc = i18n.Default
	}
	return m.d.Shell.Catalog().T(loc, key, args...)
}

func (m *Module) statusLabel(locale string, s Status) string {
	return m.t(locale, "reports.status_"+string(s))
}

// notifyReceived tells the reporter the tracking code, inside the intake
// transaction (sent only if the report commits).
func (m *Module) notifyReceived(ctx context.Context, tx *sql.Tx, r *Report, c Contact) error {
	body := m.t(r.Locale, "reports.notify_received", r.Code, m.d.Config.PublicURL()+"/lapor/"+r.Code)
	msg, ok := message(c, body, "report_received", r.Locale)
	if !ok {
		return nil
	}
	_, err := m.d.Notifier.NotifyTx(ctx, tx, msg)
	return err
}

// notifyFollowers tells the reporter (with the tracking link) and every
// follower (with the public link: a follower never learns the reporter's
// tracking code) about a public change, inside the change's transaction.
func (m *Module) notifyFollowers(ctx context.Context, tx *sql.Tx, r *Report, ch change) error {
	status := m.statusLabel(r.Locale, r.Status)
	note := ch.Note
	if ch.Kind == EventRejected {
		note = strings.TrimSpace(m.t(r.Locale, "reports.reason_"+ch.Reason) + ". " + note)
	}
	if len([]rune(note)) > 280 {
		note = string([]rune(note)[:280]) + "…"
	}
	base := m.d.Config.PublicURL()
	reporter, err := m.openContact(r.ContactSealed)
	if err != nil {
		return err
	}
	if msg, ok := message(reporter, m.t(r.Locale, "reports.notify_status", r.Code, status, note, base+"/lapor/"+r.Code), "report_status", r.Locale); ok {
		if _, err := m.d.Notifier.NotifyTx(ctx, tx, msg); err != nil {
			return err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT contact_sealed FROM report_supporters WHERE report_id = $1 AND contact_sealed <> '' ORDER BY id`, r.ID)
	if err != nil {
		return err
	}
	var sealed []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		sealed = append(sealed, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	link := base + "/laporan/" + itoa(r.ID)
	for _, s := range sealed {
		c, err := m.openContact(s)
		if err != nil {
			return err
		}
		if msg, ok := message(c, m.t(r.Locale, "reports.notify_follower", itoa(r.ID), status, note, link), "report_status", r.Locale); ok {
			if _, err := m.d.Notifier.NotifyTx(ctx, tx, msg); err != nil {
				return err
			}
		}
	}
	return nil
}
