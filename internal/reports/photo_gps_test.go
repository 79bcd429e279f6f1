package reports_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"testing"
)

// gpsJPEG is a phone photo: a JPEG whose EXIF holds a GPS fix at El Tari
// airport (10°10'17.76" S, 123°40'15.96" E), which lies in Penfui.
func gpsJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 80, 60))
	for y := 0; y < 60; y++ {
		for x := 0; x < 80; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 3), 90, uint8(y * 4), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	rat := func(b []byte, v [3][2]uint32) []byte {
		for _, x := range v {
			b = le.AppendUint32(b, x[0])
			b = le.AppendUint32(b, x[1])
		}
		return b
	}
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	// TIFF header, IFD0 with one entry (the GPS IFD pointer), the GPS IFD
	// with four entries, then the two rational triples.
	const ifd0 = 8
	const gpsIFD = ifd0 + 2 + 12 + 4
	const data = gpsIFD + 2 + 4*12 + 4
	tiff := []byte("II")
	tiff = le.AppendUint16(tiff, 42)
	tiff = le.AppendUint32(tiff, ifd0)
	tiff = le.AppendUint16(tiff, 1)
	tiff = entry(tiff, 0x8825, 4, 1, gpsIFD)
	tiff = le.AppendUint32(tiff, 0)
	tiff = le.AppendUint16(tiff, 4)
	tiff = entry(tiff, 0x0001, 2, 2, uint32('S'))
	tiff = entry(tiff, 0x0002, 5, 3, data)
	tiff = entry(tiff, 0x0003, 2, 2, uint32('E'))
	tiff = entry(tiff, 0x0004, 5, 3, data+24)
	tiff = le.AppendUint32(tiff, 0)
	tiff = rat(tiff, [3][2]uint32{{10, 1}, {10, 1}, {1776, 100}})
	tiff = rat(tiff, [3][2]uint32{{123, 1}, {40, 1}, {1596, 100}})
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	j := buf.Bytes()
	return append(append(append([]byte{}, j[:2]...), seg...), j[2:]...)
}

// A report without a pin is placed where its photo was taken when the
// reporter allows it; the stored photo has no EXIF left.
func TestPhotoLocationPlacesTheReport(t *testing.T) {
	s := start(t, false)
	b := newBrowser(t, s)
	b.get("/lapor?kategori=pohon-tumbang")
	resp, body := b.postMultipart("/lapor", url.Values{"kategori": {"pohon-tumbang"}, "uraian": {"Pohon tumbang"}, "attr_menghalangi_jalan": {"ya"},
		"lokasi_foto": {"1"}, "token": {"gps-1"}}, upload{"foto", "IMG_0001.jpg", gpsJPEG(t)})
	wantStatus(t, "form with a GPS photo", resp, body, http.StatusSeeOther)
	code := resp.Header.Get("Location")[len("/lapor/"):]
	code = code[:len(code)-len("?baru=1")]
	v := track(t, b, code)
	if v.Kelurahan != "53.71.02.1003" || len(v.Photos) != 1 {
		t.Fatalf("placed in %s with %d photos", v.Kelurahan, len(v.Photos))
	}
	resp, img := b.get(v.Photos[0])
	if resp.StatusCode != http.StatusOK || bytes.Contains([]byte(img), []byte("Exif")) {
		t.Fatalf("stored photo = %d, EXIF kept: %v", resp.StatusCode, bytes.Contains([]byte(img), []byte("Exif")))
	}
	// Without the reporter's consent the photo's position is not used.
	resp, body = b.postMultipart("/lapor", url.Values{"kategori": {"pohon-tumbang"}, "uraian": {"Pohon tumbang"}, "attr_menghalangi_jalan": {"ya"},
		"token": {"gps-2"}}, upload{"foto", "IMG_0002.jpg", gpsJPEG(t)})
	wantStatus(t, "form without consent", resp, body, http.StatusUnprocessableEntity)
}
