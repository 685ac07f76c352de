package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Call is one HTTP request of a test.
type Call struct {
	Method string
	URL    string // absolute, e.g. the httptest server's URL and the path
	// Body is sent as is when it is a string, []byte or io.Reader, and as JSON otherwise; nil
	// sends none. It goes as application/json unless Header sets a Content-Type.
	Body any
	// Token, when set, is sent as the bearer token.
	Token string
	// Header is added to the request last (an Authorization here replaces Token).
	Header http.Header
}

// Answer is a response read in full.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends c and reads the answer, which must not be a 5xx (only /readyz may answer 503,
// while a dependency is down) and must be what the document promises (see Validate). It
// reports those failures through t.Errorf only, so goroutines may call it; an error is one of
// building, sending or reading the request.
func (s *Spec) Do(t testing.TB, c Call) (*Answer, error) {
	t.Helper()
	var body io.Reader
	switch b := c.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	case io.Reader:
		body = b
	default:
		js, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(js)
	}
	req, err := http.NewRequest(c.Method, c.URL, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	target := req.URL.RequestURI()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.Method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := &Answer{Status: resp.StatusCode, Header: resp.Header, Body: b}
	// Only readiness may answer 503 (while a dependency is down); nothing may answer 500.
	if out.Status >= 500 && (out.Status != http.StatusServiceUnavailable || target != "/readyz") {
		t.Errorf("%s %s answered %d: %s", c.Method, target, out.Status, b)
	}
	s.Validate(t, req, out.Status, out.Header, out.Body)
	return out, nil
}
