package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// maxResponseBytes bounds what the seed reads from a service; its largest answer is a page of
// a dozen plots.
const maxResponseBytes = 8 << 20

// api is one zoneops HTTP API called with one bearer token.
type api struct {
	http  *http.Client
	base  string // no trailing slash
	token string
}

func (a api) as(token string) api { a.token = token; return a }

// APIError is a non-2xx answer: the call, the status and the problem the service returned.
type APIError struct {
	Method, Path string
	Status       int
	Problem      httpx.Problem
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.Status)
	if e.Problem.Title != "" {
		fmt.Fprintf(&b, " %s", e.Problem.Title)
	}
	if e.Problem.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Problem.Detail)
	}
	for _, f := range e.Problem.Errors {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Reason)
	}
	return b.String()
}

// raw is a body sent as it is, with its media type.
type raw struct {
	contentType string
	data        []byte
}

// do sends one request. body is nil (none), a raw, or a value sent as JSON; a 2xx answer is
// decoded into out when out is not nil, anything else is an *APIError.
func (a api) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := a.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case raw:
		rd, contentType = bytes.NewReader(b.data), b.contentType
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		rd, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json, "+httpx.ProblemContentType)
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	switch {
	case err != nil:
		return fmt.Errorf("%s %s: read response: %w", method, path, err)
	case len(data) > maxResponseBytes:
		return fmt.Errorf("%s %s: response larger than %d bytes", method, path, maxResponseBytes)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &APIError{Method: method, Path: path, Status: resp.StatusCode}
		if json.Unmarshal(data, &e.Problem) != nil || e.Problem.Title == "" {
			e.Problem = httpx.Problem{Title: http.StatusText(resp.StatusCode), Detail: strings.TrimSpace(string(data))}
		}
		return e
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: unexpected response: %w", method, path, err)
		}
	}
	return nil
}

func (a api) get(ctx context.Context, path string, query url.Values, out any) error {
	return a.do(ctx, http.MethodGet, path, query, nil, out)
}

func (a api) post(ctx context.Context, path string, body, out any) error {
	return a.do(ctx, http.MethodPost, path, nil, body, out)
}

// list reads every page of a list endpoint into items.
func list[T any](ctx context.Context, a api, path string, query url.Values) ([]T, error) {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("limit", "500")
	var out []T
	for {
		var page struct {
			Items      []T    `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := a.get(ctx, path, q, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out, nil
		}
		q.Set("cursor", page.NextCursor)
	}
}
