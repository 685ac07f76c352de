package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
)

// printer shows one response body as a table.
type printer func(w io.Writer, raw []byte) error

// listPrinter shows the items of one or more list pages as one table.
type listPrinter func(w io.Writer, items []json.RawMessage) error

// one adapts a printer of a decoded entity to a printer of response bytes.
func one[T any](p func(io.Writer, T) error) printer {
	return func(w io.Writer, raw []byte) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("unexpected response: %w", err)
		}
		return p(w, v)
	}
}

// many adapts a printer of decoded entities to a printer of raw list items.
func many[T any](p func(io.Writer, []T) error) listPrinter {
	return func(w io.Writer, items []json.RawMessage) error {
		out := make([]T, len(items))
		for i, raw := range items {
			if err := json.Unmarshal(raw, &out[i]); err != nil {
				return fmt.Errorf("unexpected list item: %w", err)
			}
		}
		return p(w, out)
	}
}

// emit prints a response: its bytes with -o json, its records' ids with -o id, a table
// otherwise.
func (o *options) emit(raw []byte, p printer) error {
	switch {
	case o.json():
		return printJSON(o.env.Stdout, raw)
	case o.output == outputID:
		return printIDs(o.env.Stdout, raw)
	}
	return p(o.env.Stdout, raw)
}

// printIDs writes the id of a record, or of each record of a page, one a line.
func printIDs(w io.Writer, raw []byte) error {
	var v struct {
		ID    string `json:"id"`
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	var b strings.Builder
	if v.ID != "" {
		b.WriteString(v.ID + "\n")
	}
	for _, it := range v.Items {
		b.WriteString(it.ID + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// resource is a collection of one zoneops API: applications and licences in tenants; zones,
// plots, buildings, units, requests and leases in allocation.
type resource struct {
	api       api    // which API serves it
	path      string // "/v1/applications"
	noun      string // "application", for help texts
	printOne  printer
	printList listPrinter
	// arg names one record in usage lines: "ID" unless set (zones: "ZONE", a code or an id).
	arg string
}

func (r resource) itemPath(id string) string { return r.path + "/" + url.PathEscape(id) }

// argName is how usage lines name one record of r.
func (r resource) argName() string {
	if r.arg == "" {
		return "ID"
	}
	return r.arg
}

func newGetCommand(o *options, r resource) *cobra.Command {
	return &cobra.Command{
		Use:   "get " + r.argName(),
		Short: "Show one " + r.noun,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := o.client(r.api)
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), call{method: http.MethodGet, path: r.itemPath(args[0])}, nil)
			if err != nil {
				return err
			}
			return o.emit(raw, r.printOne)
		},
	}
}

func newHistoryCommand(o *options, r resource) *cobra.Command {
	return &cobra.Command{
		Use:   "history ID",
		Short: "Show every change of one " + r.noun + ", oldest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := o.client(r.api)
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), call{method: http.MethodGet, path: r.itemPath(args[0]) + "/history"}, nil)
			if err != nil {
				return err
			}
			return o.emit(raw, one(func(w io.Writer, h struct {
				Items []historyEntry `json:"items"`
			}) error {
				return printHistory(w, h.Items)
			}))
		},
	}
}

// paging are the flags every list command has.
type paging struct {
	limit  int
	cursor string
	all    bool
}

func (p *paging) bind(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&p.limit, "limit", 0, "page size, 1 to 500 (server default when 0)")
	fl.StringVar(&p.cursor, "cursor", "", "continue from this cursor of an earlier page")
	fl.BoolVar(&p.all, "all", false, "follow next_cursor until the last page")
}

func (p *paging) apply(q url.Values) {
	if p.limit > 0 {
		q.Set("limit", strconv.Itoa(p.limit))
	}
	if p.cursor != "" {
		q.Set("cursor", p.cursor)
	}
}

// listFlags are the filters and paging flags of a tenants list command.
type listFlags struct {
	statuses []string
	zone     string
	kind     string
	overdue  bool
	paging
}

func (f *listFlags) query() url.Values {
	q := url.Values{}
	if len(f.statuses) > 0 {
		q.Set("status", strings.Join(f.statuses, ","))
	}
	if f.zone != "" {
		q.Set("zone", f.zone)
	}
	if f.kind != "" {
		q.Set("kind", f.kind)
	}
	if f.overdue {
		q.Set("overdue", "true")
	}
	f.apply(q)
	return q
}

// maxPages stops --all if a server keeps handing out cursors; 10000 pages of the largest size
// is far beyond any real list.
const maxPages = 10000

func newListCommand(o *options, r resource, overdue bool) *cobra.Command {
	var f listFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List " + r.noun + "s, one page or --all",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := o.client(r.api)
			if err != nil {
				return err
			}
			return o.listPages(cmd.Context(), cl, r, r.path, f.query(), f.all)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.statuses, "status", nil, "only these statuses (repeat or comma-separate)")
	fl.StringVar(&f.zone, "zone", "", "only this zone, e.g. ISB")
	fl.StringVar(&f.kind, "kind", "", "only this kind: zone_developer, co_developer or zone_enterprise")
	if overdue {
		fl.BoolVar(&f.overdue, "overdue", false, "only applications past their legal decision date")
	}
	f.paging.bind(cmd)
	return cmd
}

// listPages gets one page of the list at path, or with all every page, following next_cursor,
// and prints the items as one table (-o json: the page, or one page holding every item).
func (o *options) listPages(ctx context.Context, cl *client, r resource, path string, q url.Values, all bool) error {
	var items []json.RawMessage
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		var p page
		raw, err := cl.do(ctx, call{method: http.MethodGet, path: path, query: q}, &p)
		if err != nil {
			return err
		}
		if !all {
			if p.NextCursor != "" && !o.json() {
				fmt.Fprintf(o.env.Stderr, "more %ss: --cursor %s, or --all\n", r.noun, p.NextCursor)
			}
			return o.emit(raw, func(w io.Writer, _ []byte) error { return r.printList(w, p.Items) })
		}
		items = append(items, p.Items...)
		if p.NextCursor == "" {
			break
		}
		// A cursor seen before would loop for ever; that is a server bug, so say so.
		if seen[p.NextCursor] || pages >= maxPages {
			return fmt.Errorf("list %ss: the server keeps returning cursors (last %q); stopped", r.noun, p.NextCursor)
		}
		seen[p.NextCursor] = true
		q.Set("cursor", p.NextCursor)
	}
	if items == nil {
		items = []json.RawMessage{}
	}
	if o.json() || o.output == outputID {
		raw, err := json.Marshal(page{Items: items})
		if err != nil {
			return err
		}
		return o.emit(raw, nil)
	}
	return r.printList(o.env.Stdout, items)
}

// need says whether an action takes a flag, and whether the flag is required.
type need int

const (
	needNone need = iota
	needOptional
	needRequired
)

// actionFlag is a string flag of an action that the action sends as one field of its JSON body.
type actionFlag struct {
	name  string // flag name, "reply-due"
	field string // JSON field, "reply_due"
	usage string
	need  need
	date  bool     // a calendar date, YYYY-MM-DD
	oneOf []string // the values allowed; any when empty
}

// replyDueFlag is the reply date of a deficiency or a show-cause notice.
func replyDueFlag(n need) actionFlag {
	return actionFlag{name: "reply-due", field: "reply_due", usage: "date by which a reply is due, YYYY-MM-DD", need: n, date: true}
}

// check refuses a value of the wrong shape before any request, for a quicker message; the
// server checks it again (and, say, that a date lies ahead).
func (f actionFlag) check(v string) error {
	if v == "" {
		return nil
	}
	if f.date {
		if err := checkDate(f.name, v); err != nil {
			return err
		}
	}
	if len(f.oneOf) > 0 && !slices.Contains(f.oneOf, v) {
		return fmt.Errorf("--%s %q: must be one of %s", f.name, v, strings.Join(f.oneOf, ", "))
	}
	return nil
}

// checkDate refuses a flag value that is not a calendar date, before any request is sent.
func checkDate(flag, v string) error {
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return fmt.Errorf("--%s %q: must be a date like 2026-01-31", flag, v)
	}
	return nil
}

// actionSpec is one POST /<collection>/{id}/<path> transition. The transitions differ only in
// these fields, so one constructor builds them all.
type actionSpec struct {
	use    string
	path   string // last path segment; use when empty
	short  string
	reason need
	flags  []actionFlag // body fields besides the reason
	result printer      // how to show the answer; the resource's own printer when nil
}

func newActionCommand(o *options, r resource, a actionSpec) *cobra.Command {
	flags := a.flags
	if a.reason != needNone {
		flags = append([]actionFlag{{name: "reason", field: "reason", usage: "why; the company is entitled to know", need: a.reason}}, flags...)
	}
	values := make([]string, len(flags))
	cmd := &cobra.Command{
		Use:   a.use + " " + r.argName(),
		Short: a.short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body := map[string]string{}
			required := false
			for i, f := range flags {
				if err := f.check(values[i]); err != nil {
					return err
				}
				if values[i] != "" {
					body[f.field] = values[i]
				}
				required = required || f.need == needRequired
			}
			cl, err := o.client(r.api)
			if err != nil {
				return err
			}
			path := a.path
			if path == "" {
				path = a.use
			}
			c := call{method: http.MethodPost, path: r.itemPath(args[0]) + "/" + path}
			// Routes whose fields are all optional accept no body at all; the others need one
			// even when it is empty, so the server reports the missing fields.
			if len(body) > 0 || required {
				if c.body, err = json.Marshal(body); err != nil {
					return err
				}
			}
			raw, err := cl.do(cmd.Context(), c, nil)
			if err != nil {
				return err
			}
			p := a.result
			if p == nil {
				p = r.printOne
			}
			return o.emit(raw, p)
		},
	}
	for i, f := range flags {
		cmd.Flags().StringVar(&values[i], f.name, "", f.usage)
		if f.need == needRequired {
			_ = cmd.MarkFlagRequired(f.name) // cannot fail: the flag was just defined
		}
	}
	return cmd
}

// create sends a creating call with an Idempotency-Key: key, or a fresh UUIDv7 when empty.
// When the request may have reached the server but no answer came, the error names the key,
// so that a retry with it returns the first answer instead of creating a second entity.
func (o *options) create(ctx context.Context, cl *client, c call, key string) ([]byte, error) {
	if key == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return nil, err
		}
		key = id.String()
	}
	if c.header == nil {
		c.header = http.Header{}
	}
	c.header.Set("Idempotency-Key", key)
	raw, err := cl.do(ctx, c, nil)
	if err != nil {
		var pe *problemError
		if !errors.As(err, &pe) {
			return nil, fmt.Errorf("%w\nretry safely with --idempotency-key %s", err, key)
		}
		return nil, err
	}
	return raw, nil
}

// readBody reads a JSON request body from a file, or from stdin when path is "-". It checks
// only that the file is one JSON value: the server validates the content and reports every
// bad field at once, which a second copy of its rules here could only get out of step with.
func (o *options) readBody(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("-f is required: a JSON file (or - for stdin); --example prints one")
	}
	var (
		data []byte
		err  error
	)
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(o.env.Stdin, maxResponseBytes))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("%s is not valid JSON", path)
	}
	return data, nil
}
