package apitest

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/auth"
)

// Request is one HTTP call of a test against a running service.
type Request struct {
	Method, Path string
	// As is the caller, whose token is minted at the client's current time; nil sends none.
	As *auth.Principal
	// Body is sent as is when it is a string, []byte or io.Reader, and as JSON otherwise; nil
	// sends none. It goes as application/json unless Header sets a Content-Type.
	Body any
	// Header is added to the request (an Authorization here replaces the minted one).
	Header http.Header
}

// Response is an answer read in full, with the request it answers.
type Response struct {
	Req    Request
	Status int
	Header http.Header
	Body   []byte
}

// Client calls one running service as any principal: it mints one-hour tokens signed with
// Secret at Now, which is the test's clock so that tokens move with it, and checks every answer
// against Spec.
type Client struct {
	Spec   *Spec
	URL    string // the service's base URL, e.g. the httptest server's
	Secret []byte
	Now    func() time.Time
}

// Token mints a one-hour token for p at the client's current time.
func (c *Client) Token(p auth.Principal) (string, error) {
	return auth.Mint(c.Secret, p, time.Hour, c.Now())
}

// Try sends r, checks the answer against the spec and that it is not a 5xx. It only reports
// through t.Errorf, so goroutines may call it.
func (c *Client) Try(t testing.TB, r Request) (*Response, error) {
	t.Helper()
	call := Call{Method: r.Method, URL: c.URL + r.Path, Body: r.Body, Header: r.Header}
	if r.As != nil {
		tok, err := c.Token(*r.As)
		if err != nil {
			return nil, err
		}
		call.Token = tok
	}
	a, err := c.Spec.Do(t, call)
	if err != nil {
		return nil, err
	}
	return &Response{Req: r, Status: a.Status, Header: a.Header, Body: a.Body}, nil
}

// Do is Try that fails the test on a transport error.
func (c *Client) Do(t testing.TB, r Request) *Response {
	t.Helper()
	resp, err := c.Try(t, r)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// Must sends r and fails the test unless the status is want.
func (c *Client) Must(t testing.TB, r Request, want int) *Response {
	t.Helper()
	resp := c.Do(t, r)
	if resp.Status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", r.Method, r.Path, resp.Status, want, resp.Body)
	}
	return resp
}

// Answer is the response as Spec.Do returns it, for the checks that take one.
func (r *Response) Answer() Answer { return Answer{Status: r.Status, Header: r.Header, Body: r.Body} }

// Decode reads a JSON answer into a T, failing t when it does not decode.
func Decode[T any](t testing.TB, r *Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%s %s: decoding %s: %v", r.Req.Method, r.Req.Path, r.Body, err)
	}
	return v
}
