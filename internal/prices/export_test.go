package prices

// SetMaxUpload lowers the upload cap for a test; the returned function
// restores it.
func SetMaxUpload(n int64) (restore func()) {
	old := maxUpload
	maxUpload = n
	return func() { maxUpload = old }
}
