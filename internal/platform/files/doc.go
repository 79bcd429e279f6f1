// Package files owns everything Sodamolek stores as an uploaded file: the
// blob stores that hold the bytes (a local directory today, an
// S3-compatible service later, both behind [Store]) and the upload pipeline
// ([Uploads]) that decides what may enter a store.
//
// Every upload is validated and sanitised in memory before the store sees
// it:
//
//   - at most [Policy.MaxBytes] are read, and anything longer is refused;
//   - the type is sniffed from magic bytes only, never from a file name or a
//     client-declared type, and only JPEG, PNG, WebP and PDF are known;
//   - photos are decoded (after a pixel-count check that defuses
//     decompression bombs), turned upright according to their EXIF
//     orientation, shrunk so the longest side is at most [Policy.MaxSide]
//     and re-encoded, which drops every piece of metadata (EXIF with GPS,
//     XMP, comments, ICC profiles) as required by UU 27/2022 on personal
//     data protection;
//   - PDFs are stored byte for byte once their header and trailer show they
//     are complete.
//
// Stored objects are content addressed: the key is the hex SHA-256 of the
// stored bytes plus an extension, so saving the same file twice is
// harmless and a key can be cached forever.
//
// Callers that want the EXIF GPS position of a photo (a citizen report can
// pre-fill its map pin from it) must ask for it with [Policy.ReadGPS]; it
// is read before the metadata is stripped and is never stored in the file.
package files
