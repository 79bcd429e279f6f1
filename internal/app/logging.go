package app

import (
	"io"
	"log/slog"
	"regexp"

	"github.com/sodamolek/sodamolek/internal/platform/config"
)

// NewLogger builds the process logger. Every string attribute passes
// through a redactor that masks runs of 16 to 18 digits (NIK, KK and NIP
// shapes), so personal identifiers cannot reach the logs even by mistake.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	switch cfg.LogLevel {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr}
	var h slog.Handler
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(h)
}

var identifierRun = regexp.MustCompile(`\d{16,18}`)

func redactAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindString {
		if s := a.Value.String(); identifierRun.MatchString(s) {
			return slog.String(a.Key, identifierRun.ReplaceAllStringFunc(s, maskRun))
		}
	}
	return a
}

// maskRun keeps the first four and last four digits, as lists do.
func maskRun(s string) string {
	masked := []byte(s)
	for i := 4; i < len(masked)-4; i++ {
		masked[i] = '*'
	}
	return string(masked)
}
