package httpx

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// MaxPageSize bounds every list's limit parameter.
const MaxPageSize = 500

// QueryValues splits repeated and comma-separated query values: ?status=a,b&status=c gives
// [a b c]; blanks are dropped.
func QueryValues(r *http.Request, key string) []string {
	var out []string
	for _, v := range r.URL.Query()[key] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// QueryEnums parses key's values against the known ones, adding a field error naming each
// unknown value; what says what they are ("an application status").
func QueryEnums[S ~string](r *http.Request, f *fault.Fields, key string, known []S, what string) []S {
	var out []S
	for _, v := range QueryValues(r, key) {
		s := S(v)
		if !slices.Contains(known, s) {
			f.Addf(key, "%q is not %s", v, what)
		}
		out = append(out, s)
	}
	return out
}

// QueryBool parses an optional true/false parameter.
func QueryBool(r *http.Request, f *fault.Fields, key string) bool {
	s := r.URL.Query().Get(key)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		f.Add(key, "must be true or false")
	}
	return b
}

// QueryParsed reads the optional parameter key with parse, the rules' own parser of the value
// (a province, a zone code). An absent or empty parameter is the zero T; a value that parse
// refuses is added to f under key.
func QueryParsed[T any](r *http.Request, f *fault.Fields, key string, parse func(string) (T, error)) T {
	var v T
	if s := r.URL.Query().Get(key); s != "" {
		var err error
		v, err = parse(s)
		f.Merge(key, err)
	}
	return v
}

// Page reads the cursor and limit parameters every list takes (limit 1..MaxPageSize; 0 means
// the service's default).
func Page(r *http.Request, f *fault.Fields) (cursor string, limit int) {
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			f.Addf("limit", "must be a whole number from 1 to %d", MaxPageSize)
		}
		limit = n
	}
	return q.Get("cursor"), limit
}

// HasBody reports whether the client sent a body; actions whose fields are all optional
// accept none.
func HasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}
