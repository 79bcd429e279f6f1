package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGzipOnlyWhenWorthIt(t *testing.T) {
	long := `{"v":"` + strings.Repeat("sampah ", 400) + `"}`
	cases := []struct {
		name    string
		handler http.HandlerFunc
		status  int
		body    string
		gzipped bool
	}{
		{"short answer", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"tracking_code":"LPR-7K3M-Q9"}`)
		}, 201, `{"tracking_code":"LPR-7K3M-Q9"}`, false},
		{"long answer in pieces", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for _, part := range []string{long[:10], long[10:700], long[700:]} {
				_, _ = io.WriteString(w, part)
			}
		}, 200, long, true},
		{"short answer, flushed", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, "data: 1\n\n")
			w.(http.Flusher).Flush()
		}, 200, "data: 1\n\n", true},
		{"image", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			_, _ = io.WriteString(w, long)
		}, 200, long, false},
		{"no content", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}, 204, "", false},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		gzipMiddleware(c.handler).ServeHTTP(rec, req)
		body := rec.Body.String()
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != c.gzipped {
			t.Errorf("%s: gzipped = %v", c.name, got)
		}
		if c.gzipped {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			b, _ := io.ReadAll(zr)
			body = string(b)
		}
		if rec.Code != c.status || body != c.body {
			t.Errorf("%s: %d %.40q, want %d %.40q", c.name, rec.Code, body, c.status, c.body)
		}
	}
}
