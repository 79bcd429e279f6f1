package files_test

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/files"
)

// A handler for a citizen's photo: refusals become 413/415/422 with a
// machine code the client translates, and the EXIF position pre-fills
// the report's map pin.
func ExampleUploads_Save() {
	store, err := files.NewLocalStore("/var/lib/sodamolek/uploads")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	uploads := files.NewUploads(store, files.DefaultPolicy())

	photos := files.Policy{
		MaxBytes: 15 << 20,
		Allow:    []files.ContentType{files.JPEG, files.PNG, files.WebP},
		ReadGPS:  true,
	}
	http.HandleFunc("POST /api/reports/photos", func(w http.ResponseWriter, r *http.Request) {
		saved, err := uploads.Save(r.Context(), r.Body, photos)
		var refusal *files.Error
		switch {
		case errors.As(err, &refusal):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(refusal.HTTPStatus())
			json.NewEncoder(w).Encode(map[string]string{"error": refusal.Code()})
			return
		case err != nil:
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"key": saved.Key, "gps": saved.GPS})
	})
}
