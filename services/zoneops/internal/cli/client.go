package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// maxResponseBytes bounds what zonectl reads from a server; a page of 500 applications is well
// under it, and a misbehaving server cannot make zonectl eat all memory.
const maxResponseBytes = 32 << 20

// requestTimeout bounds one API call; every call is a single small request.
const requestTimeout = 30 * time.Second

// client calls one zoneops HTTP API with a bearer token.
type client struct {
	base  *url.URL
	token string
	http  *http.Client
}

// api names the zoneops HTTP API a command talks to; it is also the key of the API's URL in
// RuntimeInfo.Services.
type api string

// The HTTP APIs zonectl drives.
const (
	tenantsAPI    api = "tenants"
	allocationAPI api = "allocation"
)

// client returns a client of the API a, at the URL resolved from the flag, the environment or
// the runtime info file, with the bearer token.
func (o *options) client(a api) (*client, error) {
	base, err := o.serviceURL(a)
	if err != nil {
		return nil, err
	}
	tok, err := o.bearer()
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("%s URL %q is not an absolute http(s) URL", a, base)
	}
	return &client{base: u, token: tok, http: &http.Client{Timeout: requestTimeout}}, nil
}

// call is one API request.
type call struct {
	method string
	path   string      // escaped, under the base URL, e.g. "/v1/applications/ID/submit"
	query  url.Values  // nil for none
	body   []byte      // JSON unless header names another Content-Type; nil sends no body
	header http.Header // extra headers; a Content-Type or Accept here replaces the JSON default
}

// problemError is a problem+json answer from the server.
type problemError struct {
	problem httpx.Problem
}

func (e *problemError) Error() string {
	p := e.problem
	msg := fmt.Sprintf("%s (HTTP %d)", p.Title, p.Status)
	if p.Detail != "" {
		msg += ": " + p.Detail
	}
	return msg
}

// do sends c and returns the response body. A 2xx body is decoded into out when out is not
// nil; any other status becomes a *problemError. This is the only place that speaks HTTP, so
// every command reports failures the same way.
func (cl *client) do(ctx context.Context, c call, out any) (json.RawMessage, error) {
	// c.path is already escaped (ids go through url.PathEscape), so it is joined as text;
	// setting URL.Path would escape an escaped "/" in an id a second time.
	u, err := url.Parse(cl.base.String() + c.path)
	if err != nil {
		return nil, err
	}
	if len(c.query) > 0 {
		u.RawQuery = c.query.Encode()
	}
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Authorization", "Bearer "+cl.token)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json, "+httpx.ProblemContentType)
	}
	if c.body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach %s (is zoneops running? `make run` starts it): %w", cl.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read response: %w", c.method, u.Path, err)
	}
	if len(data) > maxResponseBytes {
		// A cut-off body would be printed or saved as if it were whole.
		return nil, fmt.Errorf("%s %s: response larger than %d bytes", c.method, u.Path, maxResponseBytes)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, problemFrom(resp, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("%s %s: unexpected response: %w", c.method, u.Path, err)
		}
	}
	return data, nil
}

// problemFrom turns a failed response into a problemError. Anything in front of the service
// (a proxy, a wrong URL) may answer with something else than problem+json; the status and
// the start of the body are then the best zonectl can say.
func problemFrom(resp *http.Response, data []byte) error {
	var p httpx.Problem
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == httpx.ProblemContentType || ct == "application/json" {
		if err := json.Unmarshal(data, &p); err != nil || p.Title == "" {
			p = httpx.Problem{}
		}
	}
	if p.Title == "" {
		p.Title = http.StatusText(resp.StatusCode)
		if p.Title == "" {
			p.Title = "HTTP error"
		}
		if text := strings.TrimSpace(string(data)); text != "" {
			const max = 300
			if len(text) > max {
				text = text[:max] + "…"
			}
			p.Detail = text
		}
	}
	if p.Status == 0 {
		p.Status = resp.StatusCode
	}
	return &problemError{problem: p}
}

// printError writes err for a person: a problem with every field error and the current state
// the server named, anything else as one line.
func printError(w io.Writer, err error) {
	var pe *problemError
	if !errors.As(err, &pe) {
		fmt.Fprintf(w, "Error: %v\n", err)
		return
	}
	p := pe.problem
	fmt.Fprintf(w, "Error: %s (HTTP %d)\n", p.Title, p.Status)
	if p.Detail != "" {
		fmt.Fprintf(w, "  %s\n", p.Detail)
	}
	for _, fe := range p.Errors {
		fmt.Fprintf(w, "  - %s: %s\n", fe.Field, fe.Reason)
	}
	if p.CurrentState != "" {
		fmt.Fprintf(w, "  current state: %s\n", p.CurrentState)
	}
	if p.Instance != "" {
		fmt.Fprintf(w, "  instance: %s\n", p.Instance)
	}
}
