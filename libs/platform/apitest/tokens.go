package apitest

import (
	"encoding/json"
	"mime"
	"net/http"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/auth"
)

// BadToken is one way of calling without a valid token; Header is what to send (nil: no
// Authorization at all).
type BadToken struct {
	Name   string
	Header http.Header
}

// BadTokens returns the calls every protected route must answer with 401: no token, a token
// that expired an hour before now, and a token signed with another key. The tokens name p,
// who should be one that would otherwise be let in, so that only the token is wrong.
func BadTokens(t testing.TB, secret []byte, p auth.Principal, now time.Time) []BadToken {
	t.Helper()
	otherKey := append([]byte("another deployment's key: "), secret...)
	mint := func(key []byte, issued time.Time) http.Header {
		tok, err := auth.Mint(key, p, time.Hour, issued)
		if err != nil {
			t.Fatal(err)
		}
		return http.Header{"Authorization": {"Bearer " + tok}}
	}
	return []BadToken{
		{Name: "no token"},
		{Name: "expired token", Header: mint(secret, now.Add(-2*time.Hour))},
		{Name: "token of another key", Header: mint(otherKey, now)},
	}
}

// CheckUnauthorized fails t unless an answer is a 401 application/problem+json whose status
// says 401.
func CheckUnauthorized(t testing.TB, status int, header http.Header, body []byte) {
	t.Helper()
	if status != http.StatusUnauthorized {
		t.Errorf("status %d, want 401: %s", status, body)
		return
	}
	if mt, _, err := mime.ParseMediaType(header.Get("Content-Type")); err != nil || mt != "application/problem+json" {
		t.Errorf("401 with Content-Type %q, want application/problem+json", header.Get("Content-Type"))
	}
	var p struct {
		Status int `json:"status"`
	}
	if err := json.Unmarshal(body, &p); err != nil || p.Status != http.StatusUnauthorized {
		t.Errorf("401 body %s: want a problem with status 401 (%v)", body, err)
	}
}
