package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

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

// emit prints a response: its bytes with -o json, a table otherwise.
func (o *options) emit(raw []byte, p printer) error {
	if o.json() {
		return printJSON(o.env.Stdout, raw)
	}
	return p(o.env.Stdout, raw)
}

// resource is a collection of the tenants API: applications or licences.
type resource struct {
	path      string // "/v1/applications"
	noun      string // "application", for help texts
	printOne  printer
	printList listPrinter
}

func (r resource) itemPath(id string) string { return r.path + "/" + url.PathEscape(id) }

func newGetCommand(o *options, r resource) *cobra.Command {
	return &cobra.Command{
		Use:   "get ID",
		Short: "Show one " + r.noun,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := o.tenantsClient()
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
			cl, err := o.tenantsClient()
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

// listFlags are the filters and paging flags of a list command.
type listFlags struct {
	statuses []string
	zone     string
	kind     string
	overdue  bool
	limit    int
	cursor   string
	all      bool
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
	if f.limit > 0 {
		q.Set("limit", strconv.Itoa(f.limit))
	}
	if f.cursor != "" {
		q.Set("cursor", f.cursor)
	}
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
			cl, err := o.tenantsClient()
			if err != nil {
				return err
			}
			q := f.query()
			var items []json.RawMessage
			seen := map[string]bool{}
			for pages := 0; ; pages++ {
				var p page
				raw, err := cl.do(cmd.Context(), call{method: http.MethodGet, path: r.path, query: q}, &p)
				if err != nil {
					return err
				}
				if !f.all {
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
			if o.json() {
				raw, err := json.Marshal(page{Items: items})
				if err != nil {
					return err
				}
				return printJSON(o.env.Stdout, raw)
			}
			return r.printList(o.env.Stdout, items)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.statuses, "status", nil, "only these statuses (repeat or comma-separate)")
	fl.StringVar(&f.zone, "zone", "", "only this zone, e.g. ISB")
	fl.StringVar(&f.kind, "kind", "", "only this kind: zone_developer, co_developer or zone_enterprise")
	if overdue {
		fl.BoolVar(&f.overdue, "overdue", false, "only applications past their legal decision date")
	}
	fl.IntVar(&f.limit, "limit", 0, "page size, 1 to 500 (server default when 0)")
	fl.StringVar(&f.cursor, "cursor", "", "continue from this cursor of an earlier page")
	fl.BoolVar(&f.all, "all", false, "follow next_cursor until the last page")
	return cmd
}

// need says whether an action takes a flag, and whether the flag is required.
type need int

const (
	needNone need = iota
	needOptional
	needRequired
)

// actionSpec is one POST /<collection>/{id}/<path> transition. The transitions differ only in
// these fields, so one constructor builds them all.
type actionSpec struct {
	use      string
	path     string // last path segment; use when empty
	short    string
	reason   need
	replyDue need
	result   printer // how to show the answer; the resource's own printer when nil
}

func newActionCommand(o *options, r resource, a actionSpec) *cobra.Command {
	var reason, replyDue string
	cmd := &cobra.Command{
		Use:   a.use + " ID",
		Short: a.short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if replyDue != "" {
				// Checked here for a quicker message; the server checks it again (and that it
				// is in the future).
				if _, err := time.Parse(time.DateOnly, replyDue); err != nil {
					return fmt.Errorf("--reply-due %q: must be a date like 2026-01-31", replyDue)
				}
			}
			cl, err := o.tenantsClient()
			if err != nil {
				return err
			}
			path := a.path
			if path == "" {
				path = a.use
			}
			c := call{method: http.MethodPost, path: r.itemPath(args[0]) + "/" + path}
			if a.reason != needNone || a.replyDue != needNone {
				body := map[string]string{}
				if reason != "" {
					body["reason"] = reason
				}
				if replyDue != "" {
					body["reply_due"] = replyDue
				}
				// Routes whose fields are all optional accept no body at all; the others need
				// one even when it is empty, so the server reports the missing fields.
				if len(body) > 0 || a.reason == needRequired || a.replyDue == needRequired {
					if c.body, err = json.Marshal(body); err != nil {
						return err
					}
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
	if a.reason != needNone {
		cmd.Flags().StringVar(&reason, "reason", "", "why; the company is entitled to know")
		if a.reason == needRequired {
			_ = cmd.MarkFlagRequired("reason") // cannot fail: the flag was just defined
		}
	}
	if a.replyDue != needNone {
		cmd.Flags().StringVar(&replyDue, "reply-due", "", "date by which a reply is due, YYYY-MM-DD")
		if a.replyDue == needRequired {
			_ = cmd.MarkFlagRequired("reply-due")
		}
	}
	return cmd
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
