package identity

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTP     string `json:"totp,omitempty"`
}

type loginResponse struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// apiLogin is POST /api/v1/auth/login: username and password (and the
// TOTP code when the account has one) for a bearer token, shown once.
func (m *Module) apiLogin(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	var req loginRequest
	if err := sh.DecodeJSON(w, r, &req, 4<<10); err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	fields := map[string]string{}
	if strings.TrimSpace(req.Username) == "" {
		fields["username"] = sh.T(r, "signin.username_required")
	}
	if req.Password == "" {
		fields["password"] = sh.T(r, "signin.password_required")
	}
	if len(fields) > 0 {
		sh.WriteAPIError(w, r, web.ValidationError(sh.T(r, "form.check_fields"), fields))
		return
	}
	if ok, wait := m.limits.signinAccount.AllowKey(strings.ToLower(strings.TrimSpace(req.Username))); !ok {
		retryAfter(w, wait)
		web.WriteError(w, r, http.StatusTooManyRequests, "rate_limited", sh.T(r, "error.rate_limited"), nil)
		return
	}
	token, expires, err := m.svc.LoginAPI(r.Context(), req.Username, req.Password, req.TOTP, client(r))
	var locked *auth.LockedError
	switch {
	case err == nil:
		web.WriteJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: expires.UTC().Format(time.RFC3339)})
	case errors.As(err, &locked):
		wait := locked.RetryAfter(m.d.Clock.Now())
		retryAfter(w, wait)
		web.WriteError(w, r, http.StatusTooManyRequests, "account_locked", sh.T(r, "signin.locked", (wait+59)/60), nil)
	case errors.Is(err, auth.ErrBadCredentials):
		w.Header().Set("WWW-Authenticate", `Bearer realm="sodamolek"`)
		web.WriteError(w, r, http.StatusUnauthorized, "invalid_credentials", sh.T(r, "signin.bad_credentials"), nil)
	case errors.Is(err, auth.ErrTOTPRequired):
		web.WriteError(w, r, http.StatusUnauthorized, "totp_required", sh.T(r, "api.totp_required"), nil)
	case errors.Is(err, auth.ErrTOTPEnrolmentRequired):
		web.WriteError(w, r, http.StatusForbidden, "totp_enrolment_required", sh.T(r, "api.totp_enrolment_required"), nil)
	default:
		sh.WriteAPIError(w, r, err)
	}
}

// bearer returns the Authorization: Bearer credential of the request.
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// apiLogout is POST /api/v1/auth/logout: it revokes the presented token.
func (m *Module) apiLogout(w http.ResponseWriter, r *http.Request) {
	token := bearer(r)
	if token == "" {
		web.WriteError(w, r, http.StatusBadRequest, "no_token", m.d.Shell.T(r, "api.no_token"), nil)
		return
	}
	if err := m.svc.RevokeToken(r.Context(), web.PrincipalOf(r), token, client(r)); err != nil {
		if errors.Is(err, auth.ErrNotFound) {
			web.WriteError(w, r, http.StatusBadRequest, "no_token", m.d.Shell.T(r, "api.no_token"), nil)
			return
		}
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type meUnit struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type meResponse struct {
	Username string   `json:"username"`
	Roles    []string `json:"roles"`
	Unit     *meUnit  `json:"unit"`
}

// apiMe is GET /api/v1/me: who the credential belongs to.
func (m *Module) apiMe(w http.ResponseWriter, r *http.Request) {
	p := web.PrincipalOf(r)
	resp := meResponse{Username: p.Username, Roles: p.Roles}
	if resp.Roles == nil {
		resp.Roles = []string{}
	}
	if p.UnitCode != "" {
		unit := &meUnit{Code: p.UnitCode}
		if u, err := m.d.Units.Get(r.Context(), p.UnitCode); err == nil {
			unit.Name = u.Name
		}
		resp.Unit = unit
	}
	web.WriteJSON(w, http.StatusOK, resp)
}
