package reports_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// open311Client speaks GeoReport v2 as an outside system would: plain
// GETs, form-encoded POSTs with api_key, JSON or XML by suffix.
type open311Client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (o open311Client) get(path string) (*http.Response, string) {
	o.t.Helper()
	return apptest.Get(o.t, o.c, o.base+path)
}

func (o open311Client) post(path string, form url.Values) (*http.Response, string) {
	o.t.Helper()
	return apptest.Do(o.t, o.c, http.MethodPost, o.base+path, "application/x-www-form-urlencoded", form.Encode(), nil)
}

type o311Err struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

func o311Errors(t *testing.T, format, body string) []o311Err {
	t.Helper()
	var out []o311Err
	if format == "xml" {
		var x struct {
			XMLName xml.Name  `xml:"errors"`
			Errors  []o311Err `xml:"error"`
		}
		if err := xml.Unmarshal([]byte(body), &x); err != nil {
			t.Fatalf("error body is not <errors>: %v\n%s", err, body)
		}
		return x.Errors
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("error body is not a JSON list: %v\n%s", err, body)
	}
	return out
}

type o311Req struct {
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat" xml:"lat"`
	Long              *float64 `json:"long" xml:"long"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
	Token             string   `json:"token" xml:"token"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
}

func parseRequests(t *testing.T, format, body string) []o311Req {
	t.Helper()
	var out []o311Req
	if format == "xml" {
		var x struct {
			XMLName  xml.Name  `xml:"service_requests"`
			Requests []o311Req `xml:"request"`
		}
		if err := xml.Unmarshal([]byte(body), &x); err != nil {
			t.Fatalf("not <service_requests>: %v\n%s", err, body)
		}
		return x.Requests
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("not a JSON list: %v\n%s", err, body)
	}
	return out
}

func TestOpen311GeoReportV2(t *testing.T) {
	s := start(t, false)
	ctx := context.Background()
	key, _, err := s.App.Deps.Auth.CreateAPIKey(ctx, nil, "LAPOR! test", []string{"open311"})
	if err != nil {
		t.Fatal(err)
	}
	otherKey, _, _ := s.App.Deps.Auth.CreateAPIKey(ctx, nil, "gateway only", []string{"gateway"})
	o := open311Client{t: t, base: s.URL + "/open311/v2", c: &http.Client{Timeout: 10 * time.Second}}

	// Discovery and services in both formats.
	for _, f := range []string{"json", "xml"} {
		resp, body := o.get("/discovery." + f)
		wantStatus(t, "discovery."+f, resp, body, http.StatusOK)
		if !strings.Contains(body, "/open311/v2") || !strings.Contains(body, "GeoReport_v2") {
			t.Errorf("discovery.%s: %s", f, body)
		}
		resp, body = o.get("/services." + f)
		wantStatus(t, "services."+f, resp, body, http.StatusOK)
		var svcs []struct {
			ServiceCode string `json:"service_code" xml:"service_code"`
			Metadata    bool   `json:"metadata" xml:"metadata"`
			Type        string `json:"type" xml:"type"`
			Group       string `json:"group" xml:"group"`
		}
		if f == "xml" {
			var x struct {
				XMLName  xml.Name `xml:"services"`
				Services []struct {
					ServiceCode string `xml:"service_code"`
					Metadata    bool   `xml:"metadata"`
					Type        string `xml:"type"`
					Group       string `xml:"group"`
				} `xml:"service"`
			}
			if err := xml.Unmarshal([]byte(body), &x); err != nil {
				t.Fatal(err)
			}
			for _, s := range x.Services {
				svcs = append(svcs, struct {
					ServiceCode string `json:"service_code" xml:"service_code"`
					Metadata    bool   `json:"metadata" xml:"metadata"`
					Type        string `json:"type" xml:"type"`
					Group       string `json:"group" xml:"group"`
				}(s))
			}
		} else if err := json.Unmarshal([]byte(body), &svcs); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, sv := range svcs {
			if sv.ServiceCode == "jalan-rusak" && sv.Metadata && sv.Type == "realtime" && sv.Group != "" {
				found = true
			}
		}
		if !found || len(svcs) < 15 {
			t.Errorf("services.%s: %d services, jalan-rusak found %v", f, len(svcs), found)
		}
	}
	resp, body := o.get("/services/jalan-rusak.xml")
	wantStatus(t, "service definition", resp, body, http.StatusOK)
	var def struct {
		XMLName     xml.Name `xml:"service_definition"`
		ServiceCode string   `xml:"service_code"`
		Attributes  []struct {
			Code     string `xml:"code"`
			Datatype string `xml:"datatype"`
			Required bool   `xml:"required"`
			Variable bool   `xml:"variable"`
			Values   []struct {
				Key  string `xml:"key"`
				Name string `xml:"name"`
			} `xml:"values>value"`
		} `xml:"attributes>attribute"`
	}
	if err := xml.Unmarshal([]byte(body), &def); err != nil || def.ServiceCode != "jalan-rusak" || len(def.Attributes) != 1 ||
		def.Attributes[0].Datatype != "singlevaluelist" || !def.Attributes[0].Required || len(def.Attributes[0].Values) != 3 {
		t.Fatalf("service definition: %v %+v\n%s", err, def, body)
	}
	resp, body = o.get("/services/ufo.json")
	if resp.StatusCode != http.StatusNotFound || o311Errors(t, "json", body)[0].Code != 404 {
		t.Fatalf("unknown service definition = %d %s", resp.StatusCode, body)
	}

	// POST requests, form-encoded.
	p := kelurahanCentroid(t, s, "53.71.04.1009")
	form := func() url.Values {
		return url.Values{"api_key": {key}, "service_code": {"jalan-rusak"}, "lat": {ftoa(p[0])}, "long": {ftoa(p[1])},
			"attribute[ukuran]": {"besar"}, "description": {"Lubang besar di depan pasar"}, "email": {"warga@example.com"},
			"first_name": {"Ani"}, "last_name": {"Tefa"}, "account_id": {"acc-77"}}
	}
	resp, body = o.post("/requests.xml", form())
	wantStatus(t, "POST requests.xml", resp, body, http.StatusCreated)
	made := parseRequests(t, "xml", body)
	if len(made) != 1 || made[0].ServiceRequestID == "" || !codePattern.MatchString(made[0].Token) {
		t.Fatalf("created: %+v\n%s", made, body)
	}
	id := made[0].ServiceRequestID
	for _, tc := range []struct {
		name   string
		edit   func(url.Values)
		status int
		says   string
	}{
		{"no api_key", func(f url.Values) { f.Del("api_key") }, 403, "api_key"},
		{"bad api_key", func(f url.Values) { f.Set("api_key", "smk_key_nope") }, 403, "api_key"},
		{"key without the open311 scope", func(f url.Values) { f.Set("api_key", otherKey) }, 403, "api_key"},
		{"no service_code", func(f url.Values) { f.Del("service_code") }, 400, "service_code"},
		{"empty service_code", func(f url.Values) { f.Set("service_code", "") }, 400, "service_code"},
		{"unknown service_code", func(f url.Values) { f.Set("service_code", "ufo") }, 400, "ufo"},
		{"no location", func(f url.Values) { f.Del("lat"); f.Del("long") }, 400, "location"},
		{"outside the city", func(f url.Values) { f.Set("lat", ftoa(outside[0])); f.Set("long", ftoa(outside[1])) }, 400, "Kota Kupang"},
		{"missing required attribute", func(f url.Values) { f.Del("attribute[ukuran]") }, 400, "attribute[ukuran]"},
		{"description too long", func(f url.Values) { f.Set("description", strings.Repeat("x", 4001)) }, 400, "4000"},
		{"address_string that names no kelurahan", func(f url.Values) { f.Del("lat"); f.Del("long"); f.Set("address_string", "Jl. Entah") }, 400, "kelurahan"},
	} {
		f := form()
		tc.edit(f)
		for _, fmt := range []string{"json", "xml"} {
			resp, body := o.post("/requests."+fmt, f)
			errs := o311Errors(t, fmt, body)
			if resp.StatusCode != tc.status || len(errs) == 0 || errs[0].Code != tc.status || !strings.Contains(errs[0].Description, tc.says) {
				t.Errorf("%s (%s): %d %s", tc.name, fmt, resp.StatusCode, body)
			}
		}
	}
	// address_string naming a kelurahan, and address_id (a kelurahan code).
	f := form()
	f.Del("lat")
	f.Del("long")
	f.Set("address_string", "Jl. Frans Seda, Kelurahan Oebufu")
	resp, body = o.post("/requests.json", f)
	wantStatus(t, "address_string", resp, body, http.StatusCreated)
	f.Del("address_string")
	f.Set("address_id", "53.71.04.1010")
	resp, body = o.post("/requests.json", f)
	wantStatus(t, "address_id", resp, body, http.StatusCreated)
	// A confidential one (theft) through Open311 never shows in lists.
	f = url.Values{"api_key": {key}, "service_code": {"pencurian"}, "lat": {ftoa(p[0])}, "long": {ftoa(p[1])},
		"attribute[waktu_kejadian]": {"2026-12-03T21:00:00+08:00"}, "description": {"Rumah dibobol"}}
	resp, body = o.post("/requests.json", f)
	wantStatus(t, "confidential", resp, body, http.StatusCreated)
	secret := parseRequests(t, "json", body)[0].ServiceRequestID

	// GET requests: the new ones, with all fields, in both formats.
	for _, fmt := range []string{"json", "xml"} {
		resp, body = o.get("/requests." + fmt)
		wantStatus(t, "GET requests."+fmt, resp, body, http.StatusOK)
		list := parseRequests(t, fmt, body)
		var mine *o311Req
		for i := range list {
			if list[i].ServiceRequestID == secret {
				t.Fatalf("%s: a confidential request is listed", fmt)
			}
			if list[i].ServiceRequestID == id {
				mine = &list[i]
			}
		}
		if mine == nil || mine.Status != "open" || mine.ServiceCode != "jalan-rusak" || mine.AgencyResponsible != "Dinas PUPR" ||
			mine.AddressID != "53.71.04.1009" || mine.Zipcode == "" || mine.Lat == nil || !strings.HasSuffix(mine.RequestedDatetime, "+08:00") ||
			mine.ExpectedDatetime == "" {
			t.Fatalf("%s: request %s = %+v", fmt, id, mine)
		}
	}
	// Filters: by id (overrides the others), service code, status, dates.
	_, body = o.get("/requests.json?service_request_id=" + id + "," + secret + "&status=closed&service_code=air-bersih")
	if l := parseRequests(t, "json", body); len(l) != 1 || l[0].ServiceRequestID != id {
		t.Fatalf("by id: %s", body)
	}
	_, body = o.get("/requests.json?service_code=air-bersih")
	if l := parseRequests(t, "json", body); len(l) != 0 {
		t.Fatalf("service_code filter: %s", body)
	}
	_, body = o.get("/requests.json?status=closed")
	if l := parseRequests(t, "json", body); len(l) != 0 {
		t.Fatalf("status filter: %s", body)
	}
	_, body = o.get("/requests.json?status=&service_code=&start_date=&end_date=")
	if l := parseRequests(t, "json", body); len(l) != 3 {
		t.Fatalf("empty parameters must act as absent ones: %d requests", len(l))
	}
	// start_date alone: the 90 days from it (up to now), not an error.
	resp, body = o.get("/requests.json?start_date=2026-08-01T00:00:00%2B08:00")
	if l := parseRequests(t, "json", body); resp.StatusCode != http.StatusOK || len(l) != 0 {
		t.Fatalf("start_date alone, 125 days ago: %d %s", resp.StatusCode, body)
	}
	_, body = o.get("/requests.json?start_date=2026-12-01T00:00:00%2B08:00")
	if l := parseRequests(t, "json", body); len(l) != 3 {
		t.Fatalf("start_date alone, this week: %d requests", len(l))
	}
	_, body = o.get("/requests.json?start_date=2026-12-05T00:00:00%2B08:00&end_date=2026-12-31T00:00:00%2B08:00")
	if l := parseRequests(t, "json", body); len(l) != 0 {
		t.Fatalf("date filter: %s", body)
	}
	for _, bad := range []string{"start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "status=pending",
		"start_date=yesterday", "service_code=ufo", "service_request_id=abc", "end_date=2026-01-01T00:00:00Z&start_date=2026-02-01T00:00:00Z"} {
		resp, body := o.get("/requests.xml?" + bad)
		if resp.StatusCode != http.StatusBadRequest || o311Errors(t, "xml", body)[0].Code != 400 {
			t.Errorf("%s = %d %s", bad, resp.StatusCode, body)
		}
	}
	resp, body = o.get("/requests/" + id + ".xml")
	wantStatus(t, "GET request", resp, body, http.StatusOK)
	if l := parseRequests(t, "xml", body); len(l) != 1 || l[0].ServiceRequestID != id {
		t.Fatalf("single request: %s", body)
	}
	for _, missing := range []string{secret, "999999"} {
		resp, body = o.get("/requests/" + missing + ".json")
		if resp.StatusCode != http.StatusNotFound || o311Errors(t, "json", body)[0].Code != 404 {
			t.Fatalf("request %s = %d %s", missing, resp.StatusCode, body)
		}
	}
	resp, body = o.get("/tokens/" + made[0].Token + ".json")
	wantStatus(t, "token", resp, body, http.StatusOK)
	if l := parseRequests(t, "json", body); len(l) != 1 || l[0].ServiceRequestID != id {
		t.Fatalf("token: %s", body)
	}
	if resp, _ := o.get("/tokens/LPR-2222-2222.json"); resp.StatusCode != http.StatusNotFound {
		t.Fatal("unknown token found")
	}
	if resp, _ := o.get("/services.csv"); resp.StatusCode != http.StatusBadRequest {
		t.Fatal("unknown format accepted")
	}

	// The agency works it; status maps to closed; updates are published.
	officer := newStaff(t, s, "pupr.officer", "pupr")
	resp, body = officer.post("/petugas/laporan/"+id+"/verifikasi", url.Values{"catatan": {"Dijadwalkan minggu depan."}})
	wantStatus(t, "verify", resp, body, http.StatusSeeOther)
	resp, body = officer.postMultipart("/petugas/laporan/"+id+"/selesai", url.Values{"catatan": {"Sudah diaspal."}}, upload{"foto", "aspal.png", pngPhoto(t, 7)})
	wantStatus(t, "done", resp, body, http.StatusSeeOther)
	_, body = o.get("/requests/" + id + ".json")
	r := parseRequests(t, "json", body)[0]
	if r.Status != "closed" || r.StatusNotes != "Sudah diaspal." || r.ExpectedDatetime != "" {
		t.Fatalf("after done: %+v", r)
	}
	resp, body = o.get("/servicerequestupdates.xml")
	wantStatus(t, "updates", resp, body, http.StatusOK)
	var ups struct {
		XMLName xml.Name `xml:"service_request_updates"`
		Updates []struct {
			UpdateID         string `xml:"update_id"`
			ServiceRequestID string `xml:"service_request_id"`
			Status           string `xml:"status"`
			Description      string `xml:"description"`
			MediaURL         string `xml:"media_url"`
		} `xml:"request_update"`
	}
	if err := xml.Unmarshal([]byte(body), &ups); err != nil {
		t.Fatal(err)
	}
	var sawDone bool
	for _, u := range ups.Updates {
		if u.ServiceRequestID == secret {
			t.Fatal("an update of a confidential request is published")
		}
		if u.ServiceRequestID == id && u.Status == "FIXED" && strings.Contains(u.Description, "Sudah diaspal.") && strings.Contains(u.MediaURL, "/laporan/foto/") {
			sawDone = true
		}
	}
	if !sawDone {
		t.Fatalf("updates: %s", body)
	}
	// The client posts the person's reply: CLOSED confirms.
	resp, body = o.post("/servicerequestupdates.json", url.Values{"api_key": {key}, "service_request_id": {id}, "status": {"CLOSED"},
		"description": {"Terima kasih, jalan sudah mulus."}, "update_id": {"fms-1"}})
	wantStatus(t, "POST update", resp, body, http.StatusCreated)
	_, body = o.get("/requests/" + id + ".json")
	if r := parseRequests(t, "json", body)[0]; r.Status != "closed" {
		t.Fatalf("after the update: %+v", r)
	}
	person := newBrowser(t, s)
	if v := track(t, person, made[0].Token); v.Status != "ditutup" {
		t.Fatalf("status %s after CLOSED", v.Status)
	}
	// The token the client got is the person's tracking code: with it they
	// rate the handling, and the rating shows in the agency's statistics.
	person.get("/lapor/" + made[0].Token)
	resp, body = person.post("/lapor/"+made[0].Token+"/nilai", url.Values{"nilai": {"5"}, "komentar": {"Cepat."}})
	wantStatus(t, "rate", resp, body, http.StatusSeeOther)
	if v := track(t, person, made[0].Token); v.Timeline[len(v.Timeline)-1].Kind != "rated" {
		t.Fatalf("not rated: %+v", v.Timeline)
	}
	_, raw := person.get("/api/v1/reports/stats?days=30")
	if !strings.Contains(raw, `"unit":"pupr"`) || !strings.Contains(raw, `"average_rating":5`) {
		t.Fatalf("rating missing from the statistics: %s", raw)
	}
	resp, body = o.post("/servicerequestupdates.json", url.Values{"api_key": {key}, "service_request_id": {secret}, "status": {"OPEN"}, "description": {"x"}})
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("update of a confidential request = %d %s", resp.StatusCode, body)
	}
	resp, _ = o.post("/servicerequestupdates.json", url.Values{"api_key": {key}, "service_request_id": {id}, "status": {"MAYBE"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatal("bad update status accepted")
	}
}

// The WhatsApp/SMS gateway opens reports from messages.
func TestInboundGateway(t *testing.T) {
	s := start(t, false)
	ctx := context.Background()
	key, _, _ := s.App.Deps.Auth.CreateAPIKey(ctx, nil, "WA gateway", []string{"gateway"})
	wrong, _, _ := s.App.Deps.Auth.CreateAPIKey(ctx, nil, "Open311 only", []string{"open311"})
	c := &http.Client{Timeout: 10 * time.Second}
	send := func(k string, msg map[string]any) (*http.Response, map[string]any) {
		j, _ := json.Marshal(msg)
		h := http.Header{}
		if k != "" {
			h.Set("Authorization", "Bearer "+k)
		}
		resp, body := apptest.Do(t, c, http.MethodPost, s.URL+"/api/v1/inbound/message", "application/json", string(j), h)
		var out map[string]any
		_ = json.Unmarshal([]byte(body), &out)
		return resp, out
	}
	p := kelurahanCentroid(t, s, "53.71.06.1007")
	msg := map[string]any{"channel": "whatsapp", "from": "+6281355556666", "text": "Lampu jalan mati 3 buah di gang kami",
		"lat": p[0], "lon": p[1], "message_id": "wamid.1"}
	if resp, _ := send("", msg); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no key = %d", resp.StatusCode)
	}
	if resp, _ := send(wrong, msg); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("wrong scope = %d", resp.StatusCode)
	}
	resp, out := send(key, msg)
	code, _ := out["tracking_code"].(string)
	if resp.StatusCode != http.StatusCreated || !codePattern.MatchString(code) || out["category"] != "lampu-jalan-mati" ||
		!strings.Contains(out["reply"].(string), code) {
		t.Fatalf("inbound = %d %v", resp.StatusCode, out)
	}
	// The gateway redelivers the same message: one report.
	resp, again := send(key, msg)
	if resp.StatusCode != http.StatusCreated || again["tracking_code"] != code || resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("redelivery = %d %v", resp.StatusCode, again)
	}
	// No location: a kelurahan named in the text places it.
	resp, out = send(key, map[string]any{"from": "081355556666", "text": "Sampah menumpuk di Kelurahan Oeba dekat pasar", "message_id": "sms-2"})
	if resp.StatusCode != http.StatusCreated || out["category"] != "sampah-liar" {
		t.Fatalf("kelurahan by name = %d %v", resp.StatusCode, out)
	}
	// Nothing to place it: the reply asks for the location.
	resp, out = send(key, map[string]any{"from": "081355556666", "text": "Ada jalan rusak", "message_id": "sms-3"})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out["reply"].(string), "lokasi") {
		t.Fatalf("no place = %d %v", resp.StatusCode, out)
	}
	// Outside the city.
	resp, out = send(key, map[string]any{"from": "081355556666", "text": "Jalan rusak", "lat": outside[0], "lon": outside[1], "message_id": "sms-4"})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out["reply"].(string), "Kota Kupang") {
		t.Fatalf("outside = %d %v", resp.StatusCode, out)
	}
	// A message that came on WhatsApp is answered on WhatsApp.
	s.RunJobs(t)
	wa := false
	for _, m := range s.Outbox.Messages() {
		wa = wa || (m.To == "+6281355556666" && m.Channel == "whatsapp" && strings.Contains(m.Body, code))
	}
	if !wa {
		t.Fatalf("no WhatsApp receipt: %+v", s.Outbox.Messages())
	}
}
