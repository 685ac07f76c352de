package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/spf13/cobra"
)

// zoneArgHelp says how commands name a zone.
const zoneArgHelp = "A ZONE is named by its code (ISB) or its id; a zone that does not exist is refused."

// The allocation API's collections. Everything a command needs to know of one is here; the
// commands themselves are built from tables, as for applications and licences.
var (
	zonesResource = resource{api: allocationAPI, path: "/v1/zones", noun: "zone", arg: "ZONE",
		printOne: one(printZone), printList: many(printZones)}
	plotsResource = resource{api: allocationAPI, path: "/v1/plots", noun: "plot",
		printOne: one(printPlot), printList: many(printPlots)}
	buildingsResource = resource{api: allocationAPI, path: "/v1/buildings", noun: "building",
		printOne: one(printBuilding)}
	unitsResource = resource{api: allocationAPI, path: "/v1/units", noun: "unit",
		printOne: one(printUnit), printList: many(printUnits)}
	requestsResource = resource{api: allocationAPI, path: "/v1/requests", noun: "request",
		printOne: one(printRequest), printList: many(printRequests)}
	leasesResource = resource{api: allocationAPI, path: "/v1/leases", noun: "lease",
		printOne: one(printLease), printList: many(printLeases)}
)

func newZonesCommand(o *options) *cobra.Command {
	r := zonesResource
	cmd := &cobra.Command{
		Use:     "zones",
		Aliases: []string{"zone"},
		Short:   "Register zones, notify and denotify them, and see how much of each is let",
		Long: "Register zones, notify and denotify them, and see how much of each is let.\n" +
			zoneArgHelp,
	}
	cmd.AddCommand(
		newCreateFromFileCommand(o, r, createSpec{
			use: "register", short: "Register a planned zone from a JSON file (--example prints one)",
			input: "zoning.ZoneInput", example: exampleZone,
		}),
		newFilteredListCommand(o, r, listSpec{filters: []filter{
			{flag: "status", param: "status", list: true, usage: "only these statuses: planned, notified, denotified (repeat or comma-separate)"},
			{flag: "province", param: "province", usage: "only this province, e.g. khyber_pakhtunkhwa"},
		}}),
		newGetCommand(o, r),
		newOccupancyCommand(o, r),
	)
	for _, a := range []actionSpec{
		{use: "notify", short: "Record the zone's notification in the gazette: planned → notified"},
		{use: "denotify", short: "End a notified zone for good; its plan is frozen", reason: needRequired},
	} {
		cmd.AddCommand(newActionCommand(o, r, a))
	}
	return cmd
}

func newPlotsCommand(o *options) *cobra.Command {
	r := plotsResource
	cmd := &cobra.Command{
		Use:     "plots",
		Aliases: []string{"plot"},
		Short:   "Lay out a zone's plots: create, import a GeoJSON plan, subdivide, merge, withdraw",
		Long: "Lay out a zone's plots: create, import a GeoJSON plan, subdivide, merge, withdraw.\n" +
			zoneArgHelp,
	}
	cmd.AddCommand(
		newCreateFromFileCommand(o, r, createSpec{
			use: "create", short: "Create a plot in a zone from a JSON file (--example prints one)",
			parent: &zonesResource, arg: "ZONE", sub: "plots",
			input: "zoning.PlotInput", example: examplePlot,
		}),
		newImportPlanCommand(o),
		newFilteredListCommand(o, r, listSpec{parent: &zonesResource, arg: "ZONE", sub: "plots", filters: []filter{
			{flag: "status", param: "status", list: true, usage: "only these statuses: live, withdrawn, retired (default: live only)"},
			{flag: "land-use", param: "land_use", usage: "only this land use, e.g. it_park"},
		}}),
		newGetCommand(o, r),
		newPlanGeoJSONCommand(o),
		newSubdivideCommand(o),
		newMergeCommand(o),
		newActionCommand(o, r, actionSpec{use: "withdraw", short: "Take a live plot out of the zone's plan", reason: needRequired}),
	)
	return cmd
}

func newBuildingsCommand(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "buildings",
		Aliases: []string{"building"},
		Short:   "Register buildings on plots",
	}
	cmd.AddCommand(newRegisterBuildingCommand(o), newGetCommand(o, buildingsResource))
	return cmd
}

func newUnitsCommand(o *options) *cobra.Command {
	r := unitsResource
	cmd := &cobra.Command{
		Use:     "units",
		Aliases: []string{"unit"},
		Short:   "Register leasable units in buildings and list a zone's units",
	}
	cmd.AddCommand(
		newRegisterUnitCommand(o),
		newGetCommand(o, r),
		newFilteredListCommand(o, r, listSpec{parent: &zonesResource, arg: "ZONE", sub: "units", filters: []filter{
			{flag: "building", param: "building_id", usage: "only the units of this building id"},
			{flag: "use", param: "use", usage: "only this use, e.g. office"},
		}}),
	)
	return cmd
}

func newRequestsCommand(o *options) *cobra.Command {
	r := requestsResource
	cmd := &cobra.Command{
		Use:     "requests",
		Aliases: []string{"request"},
		Short:   "Ask for space, offer space on terms, and accept or decline offers",
	}
	cmd.AddCommand(
		newSubmitRequestCommand(o),
		newFilteredListCommand(o, r, listSpec{filters: []filter{
			{flag: "zone", param: "zone", usage: "only requests for this zone, by code (ISB) or id"},
			{flag: "status", param: "status", list: true,
				usage: "only these statuses: submitted, offered, accepted, declined, expired, withdrawn (repeat or comma-separate)"},
		}}),
		newGetCommand(o, r),
		newOfferCommand(o),
	)
	for _, a := range []actionSpec{
		{use: "accept", short: "Accept the offer; makes the lease and prints it", result: leasesResource.printOne},
		{use: "decline", short: "Decline the offer", reason: needOptional},
		{use: "withdraw", short: "Withdraw a request that is still open", reason: needOptional},
	} {
		cmd.AddCommand(newActionCommand(o, r, a))
	}
	return cmd
}

func newLeasesCommand(o *options) *cobra.Command {
	r := leasesResource
	cmd := &cobra.Command{
		Use:     "leases",
		Aliases: []string{"lease"},
		Short:   "Inspect leases, give notice and record construction milestones",
	}
	cmd.AddCommand(
		newFilteredListCommand(o, r, listSpec{filters: []filter{
			{flag: "zone", param: "zone", usage: "only leases in this zone, by code (ISB) or id"},
			{flag: "tenant", param: "tenant_id", usage: "only leases of this tenant id"},
			{flag: "status", param: "status", list: true, usage: "only these statuses: active, terminating, ended (repeat or comma-separate)"},
			{flag: "idle", param: "idle", boolean: true, usage: "only leases whose space is idle (a construction milestone was missed)"},
		}}),
		newGetCommand(o, r),
	)
	for _, a := range []actionSpec{
		{use: "terminate", short: "Give notice on an active lease", reason: needRequired, flags: []actionFlag{
			{name: "notice-given-on", field: "notice_given_on", date: true, need: needOptional,
				usage: "date the notice was given, YYYY-MM-DD (default: today in zone time)"},
		}},
		{use: "milestone", path: "milestones", short: "Record a construction milestone of a land lease", flags: []actionFlag{
			{name: "milestone", field: "milestone", need: needRequired, oneOf: []string{"construction_started", "construction_completed"},
				usage: "construction_started or construction_completed"},
			{name: "on", field: "on", date: true, need: needRequired, usage: "date it happened, YYYY-MM-DD"},
		}},
	} {
		cmd.AddCommand(newActionCommand(o, r, a))
	}
	return cmd
}

// filter is one query-parameter filter of a list command.
type filter struct {
	flag, param, usage string
	list               bool // repeatable and comma-separated, sent comma-joined
	boolean            bool // sent as true when given
}

// bind defines the filter's flag on cmd and returns what adds it to a query.
func (f filter) bind(cmd *cobra.Command) func(url.Values) {
	fl := cmd.Flags()
	switch {
	case f.boolean:
		var v bool
		fl.BoolVar(&v, f.flag, false, f.usage)
		return func(q url.Values) {
			if v {
				q.Set(f.param, "true")
			}
		}
	case f.list:
		var v []string
		fl.StringSliceVar(&v, f.flag, nil, f.usage)
		return func(q url.Values) {
			if len(v) > 0 {
				q.Set(f.param, strings.Join(v, ","))
			}
		}
	default:
		var v string
		fl.StringVar(&v, f.flag, "", f.usage)
		return func(q url.Values) {
			if v != "" {
				q.Set(f.param, v)
			}
		}
	}
}

// listSpec is a list command of the allocation API: its filters and, for a list under a parent
// (a zone's plots), the parent, the argument naming it and the sub-collection.
type listSpec struct {
	parent  *resource
	arg     string // "ZONE"
	sub     string // "plots"
	filters []filter
}

// path is the collection the list reads.
func (s listSpec) path(r resource, args []string) string {
	if s.parent == nil {
		return r.path
	}
	return s.parent.itemPath(args[0]) + "/" + s.sub
}

func newFilteredListCommand(o *options, r resource, s listSpec) *cobra.Command {
	var pg paging
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List " + r.noun + "s, one page or --all",
		Args:  cobra.NoArgs,
	}
	if s.parent != nil {
		cmd.Use += " " + s.arg
		cmd.Short = "List the " + r.noun + "s of a " + s.parent.noun + ", one page or --all"
		cmd.Args = cobra.ExactArgs(1)
	}
	applies := make([]func(url.Values), len(s.filters))
	for i, f := range s.filters {
		applies[i] = f.bind(cmd)
	}
	pg.bind(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		cl, err := o.client(r.api)
		if err != nil {
			return err
		}
		q := url.Values{}
		for _, apply := range applies {
			apply(q)
		}
		pg.apply(q)
		return o.listPages(cmd.Context(), cl, r, s.path(r, args), q, pg.all)
	}
	return cmd
}

// createSpec is a create command whose body is a JSON file: POST r.path, or POST
// <parent>/{ID}/<sub> when parent is set.
type createSpec struct {
	use, short string
	parent     *resource
	arg        string // "ZONE"
	sub        string // "plots"
	input      string // the server's input type, for the help text
	example    string
}

func newCreateFromFileCommand(o *options, r resource, s createSpec) *cobra.Command {
	var file, key string
	var example bool
	cmd := &cobra.Command{
		Use:   s.use + " -f FILE",
		Short: s.short,
		Args:  cobra.NoArgs,
	}
	if s.parent != nil {
		cmd.Use = s.use + " " + s.arg + " -f FILE"
		cmd.Args = cobra.MaximumNArgs(1) // exactly one unless --example: checked in RunE
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if example {
			_, err := io.WriteString(o.env.Stdout, s.example)
			return err
		}
		// With --example the ID is not needed; without it, it is.
		if s.parent != nil && len(args) != 1 {
			return cobra.ExactArgs(1)(cmd, args)
		}
		body, err := o.readBody(file)
		if err != nil {
			return err
		}
		path := r.path
		if s.parent != nil {
			path = s.parent.itemPath(args[0]) + "/" + s.sub
		}
		return o.post(cmd.Context(), r.api, path, body, &key, r.printOne)
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", r.noun+" JSON ("+s.input+"); - reads stdin")
	idempotencyKeyFlag(cmd, &key)
	cmd.Flags().BoolVar(&example, "example", false, "print an example body and exit")
	return cmd
}

// idempotencyKeyFlag defines the --idempotency-key flag of a create command.
func idempotencyKeyFlag(cmd *cobra.Command, key *string) {
	cmd.Flags().StringVar(key, "idempotency-key", "", "Idempotency-Key header (a fresh UUID when empty)")
}

// post sends a JSON body to path of the API a and prints the answer with p. A create (key not
// nil) carries an Idempotency-Key: *key, or a fresh one when it is empty.
func (o *options) post(ctx context.Context, a api, path string, body []byte, key *string, p printer) error {
	cl, err := o.client(a)
	if err != nil {
		return err
	}
	c := call{method: http.MethodPost, path: path, body: body}
	var raw []byte
	if key != nil {
		raw, err = o.create(ctx, cl, c, *key)
	} else {
		raw, err = cl.do(ctx, c, nil)
	}
	if err != nil {
		return err
	}
	return o.emit(raw, p)
}

// postJSON is post with a body built by zonectl from flags.
func (o *options) postJSON(ctx context.Context, a api, path string, v any, key *string, p printer) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return o.post(ctx, a, path, body, key, p)
}
