package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Assets serves embedded static files under content-hashed names
// (/static/css/app.3f2a9c1b.css) with a one-year immutable cache, so a
// phone on slow data downloads each version of a file once. Compressible
// files are gzipped once at start-up.
type Assets struct {
	files  map[string]*asset // by hashed URL path
	byName map[string]string // logical name → hashed URL path
}

type asset struct {
	name        string
	contentType string
	body        []byte
	gz          []byte
	etag        string
}

// NewAssets indexes the files of fsys (the web shell's own static folder).
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]*asset{}, byName: map[string]string{}}
	return a, a.Add(fsys, "")
}

// Add indexes more static files, e.g. a module's, under prefix.
func (a *Assets) Add(fsys fs.FS, prefix string) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := path.Join(prefix, p)
		if _, dup := a.byName[name]; dup {
			return fmt.Errorf("static file %s added twice", name)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(name)
		hashed := "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		if ext == ".webmanifest" {
			ct = "application/manifest+json"
		}
		as := &asset{name: name, contentType: ct, body: body, etag: `"` + hash + `"`}
		if compressible(ct) && len(body) > 512 {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(body)
			_ = zw.Close()
			as.gz = buf.Bytes()
		}
		a.files[hashed] = as
		a.byName[name] = hashed
		return nil
	})
}

// URL returns the hashed URL of a logical file name ("css/app.css"). An
// unknown name panics at template execution in tests rather than
// shipping a broken link.
func (a *Assets) URL(name string) (string, error) {
	if u, ok := a.byName[name]; ok {
		return u, nil
	}
	return "", fmt.Errorf("no static file %q", name)
}

// Body returns a file's content by logical name (for the service worker
// and manifest routes, which must live at fixed URLs).
func (a *Assets) Body(name string) ([]byte, bool) {
	u, ok := a.byName[name]
	if !ok {
		return nil, false
	}
	return a.files[u].body, true
}

// URLs lists every hashed URL, for the service worker's precache list.
func (a *Assets) URLs(filter func(name string) bool) []string {
	var out []string
	for name, u := range a.byName {
		if filter(name) {
			out = append(out, u)
		}
	}
	return out
}

func (a *Assets) serve(w http.ResponseWriter, r *http.Request) {
	as, ok := a.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", as.etag)
	if r.Header.Get("If-None-Match") == as.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := as.body
	if as.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = as.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}
