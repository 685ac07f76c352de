package deploycheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the services count legal dates in Asia/Karachi, as their binaries do

	"github.com/google/uuid"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/tenants"
)

// metricName finds zoneops metric names in PromQL and in prose.
var metricName = regexp.MustCompile(`\bzoneops_[a-z0-9_]+`)

// reference is one metric name used by the alerts or dashboards.
type reference struct {
	inExpr bool     // used in a PromQL expression, not only mentioned in text
	where  []string // files it appears in
}

func (r *reference) add(where string, inExpr bool) {
	r.inExpr = r.inExpr || inExpr
	if !slices.Contains(r.where, where) {
		r.where = append(r.where, where)
	}
}

// referencedMetrics collects every zoneops_* name in alerts.yml (expressions and annotations)
// and the dashboards (queries, and titles and descriptions).
func referencedMetrics(t *testing.T) map[string]*reference {
	t.Helper()
	refs := map[string]*reference{}
	note := func(text, where string, inExpr bool) {
		for _, m := range metricName.FindAllString(text, -1) {
			if refs[m] == nil {
				refs[m] = &reference{}
			}
			refs[m].add(where, inExpr)
		}
	}
	alertsFile := "deploy/prometheus/alerts.yml"
	note(string(readFile(t, "deploy", "prometheus", "alerts.yml")), alertsFile, false)
	for _, g := range loadAlerts(t).Groups {
		for _, r := range g.Rules {
			note(r.Expr, alertsFile, true)
		}
	}
	for _, f := range dashboardFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		note(string(b), rel(t, f), false)
		for _, p := range flatten(loadDashboard(t, f).Panels) {
			for _, tg := range p.Targets {
				note(tg.Expr, rel(t, f), true)
			}
		}
	}
	if len(refs) == 0 {
		t.Fatal("no zoneops_* metric referenced in alerts.yml or the dashboards")
	}
	return refs
}

// exposition is what one /metrics scrape showed.
type exposition struct {
	samples map[string]bool   // sample names: zoneops_x_bucket, zoneops_y_total, ...
	types   map[string]string // family name -> counter, gauge, histogram, ...
}

func parseExposition(t *testing.T, r io.Reader) exposition {
	t.Helper()
	e := exposition{samples: map[string]bool{}, types: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			if len(f) == 4 {
				e.types[f[2]] = f[3]
			}
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			if i := strings.IndexAny(line, "{ "); i > 0 {
				e.samples[line[:i]] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return e
}

// histogramSuffixes are the series a histogram family is exposed as.
var histogramSuffixes = []string{"_bucket", "_sum", "_count"}

// TestReferencedMetricsAreExposed starts the tenants and allocation services in-process the
// way `zoneops run` does, makes them serve requests, decide one application and register one
// zone so that their labelled vectors have series, scrapes both /metrics over HTTP, and checks
// every metric the alert rules and dashboards name against what they expose.
func TestReferencedMetricsAreExposed(t *testing.T) {
	refs := referencedMetrics(t)
	e, _ := scrapeServices(t)

	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		ref := refs[name]
		switch {
		case e.samples[name]:
			continue
		case e.types[name] != "":
			// A family name that is not itself a sample: a histogram or summary. Fine in prose,
			// but a PromQL selector on it matches nothing.
			if ref.inExpr && (e.types[name] == "histogram" || e.types[name] == "summary") {
				t.Errorf("%s: %s is a %s; a query must use %s_bucket, _sum or _count", strings.Join(ref.where, ", "), name, e.types[name], name)
			}
			continue
		}
		// Every counter and histogram has its known series from the start (see
		// libs/platform/metrics.Init), so a name missing here is missing for real.
		t.Errorf("%s uses %s, which the services do not expose (a typo, or a metric that was renamed or removed)", strings.Join(ref.where, ", "), name)
	}

	// The other way round, for information: exposed zoneops metrics no dashboard or alert uses.
	var unused []string
	for fam := range e.types {
		if !strings.HasPrefix(fam, "zoneops_") {
			continue
		}
		used := refs[fam] != nil
		for _, s := range append([]string{"_total"}, histogramSuffixes...) {
			used = used || refs[fam+s] != nil
		}
		if !used {
			unused = append(unused, fam)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Logf("exposed but on no dashboard or alert: %v", unused)
	}
}

// licenceConsumer is the JetStream consumer the allocation service runs on licence events.
const licenceConsumer = "allocation-licences"

// scrapeServices runs the tenants and allocation units as services/zoneops/cmd/zoneops does
// (embedded NATS and SQLite under a temporary data directory, configuration defaults, both
// units in one app.RunUnits), registers a zone with allocation, drives one application from
// draft to a granted licence, waits for allocation to consume the licence event, and returns
// what the two /metrics endpoints expose together, and each one's text by service name.
func scrapeServices(t *testing.T) (exposition, map[string]string) {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	common := app.Common{DataDir: t.TempDir()}
	tp, ap := tenants.Definition().NATSPermissions().Merge(tenants.Definition().NATSStreamPermissions()), allocation.Definition().NATSPermissions().Merge(allocation.Definition().NATSStreamPermissions())
	srv, err := common.StartNATS(map[string]*natsx.Permissions{tenants.Name: &tp, allocation.Name: &ap}, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	connect := func(name string) *app.NATS {
		n, err := srv.Connect(name, logger)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = n.Close() })
		return n
	}
	tn, an := connect(tenants.Name), connect(allocation.Name)

	tc := defaults(t)
	tc.HTTPAddr = "127.0.0.1:0"
	ac := allocationDefaults(t)
	ac.HTTPAddr = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	tu, err := tenants.Definition().NewUnit(ctx, common, tc.HTTPAddr, tc.Config, tn, logger, "test")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tu.DB.Close() })
	au, err := allocation.Definition().NewUnit(ctx, common, ac.HTTPAddr, ac.Config, an, logger, "test")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = au.DB.Close() })
	done := make(chan error, 1)
	go func() { done <- app.RunUnits(ctx, tu, au) }()
	// Registered last, so it runs first: stop the units before their databases and NATS close.
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("RunUnits: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("the tenants and allocation units did not stop within 20s")
		}
	})

	hc := &http.Client{Timeout: 10 * time.Second}
	tcl := &client{t: t, base: app.HTTPURL(tu.Listener.Addr().String()), http: hc}
	acl := &client{t: t, base: app.HTTPURL(au.Listener.Addr().String()), http: hc}
	tcl.waitReady()
	acl.waitReady()
	tcl.call("GET", "/healthz", "", nil, http.StatusOK)
	acl.call("GET", "/healthz", "", nil, http.StatusOK)

	secret := []byte(common.Secret())
	tenant := mint(t, secret, auth.Principal{Subject: "tenant-1", Role: auth.Tenant, TenantID: uuid.Must(uuid.NewV7()).String()})
	operator := mint(t, secret, auth.Principal{Subject: "operator-1", Role: auth.Operator})

	// One open zone, so that allocation's per-zone gauges have a series. They are computed at
	// the first scrape and then served for 30 seconds, and nothing scrapes allocation before
	// this, so the scrapes below see the zone.
	acl.call("POST", "/v1/zones", operator, nil, http.StatusCreated, exampleZone)

	// One application from draft to a licence: the decision-time histogram and the RED
	// metrics of the routes involved get series, the outbox relays the events, and the
	// licence.granted event reaches allocation's licence consumer.
	var created struct {
		ID string `json:"id"`
	}
	tcl.call("POST", "/v1/applications", tenant, &created, http.StatusCreated, exampleApplication)
	if created.ID == "" {
		t.Fatal("create application: no id in the response")
	}
	tcl.call("POST", "/v1/applications/"+created.ID+"/submit", tenant, nil, http.StatusOK)
	tcl.call("POST", "/v1/applications/"+created.ID+"/approve", operator, nil, http.StatusCreated)

	tm := tcl.metrics()
	e := parseExposition(t, strings.NewReader(tm))
	// Wait until the consumer has handled the licence.granted event (its series exist, at 0,
	// from the start), so that the scrape shows a consumer that has worked.
	handled := `zoneops_consumer_events_handled_total{consumer="` + licenceConsumer + `",outcome="processed",type="zoneops.tenants.licence.granted.v1"} 1`
	deadline := time.Now().Add(20 * time.Second)
	var am string
	for {
		am = acl.metrics()
		if strings.Contains(am, handled+"\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("allocation's consumer %s handled no licence event within 20s", licenceConsumer)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{
		`zoneops_allocation_zone_occupancy_ratio{zone="` + exampleZoneCode + `"}`,
		`zoneops_consumer_pending_messages{consumer="` + licenceConsumer + `"}`,
	} {
		if !strings.Contains(am, want) {
			t.Errorf("allocation's /metrics has no series %s", want)
		}
	}
	a := parseExposition(t, strings.NewReader(am))
	for s := range a.samples {
		e.samples[s] = true
	}
	for fam, typ := range a.types {
		if other, ok := e.types[fam]; ok && other != typ {
			t.Errorf("%s is a %s in tenants but a %s in allocation", fam, other, typ)
		}
		e.types[fam] = typ
	}
	return e, map[string]string{"tenants": tm, "allocation": am}
}

// exampleZoneCode and exampleZone are a zone registration the allocation service accepts.
const exampleZoneCode = "ISB"

const exampleZone = `{
  "code": "` + exampleZoneCode + `",
  "name": "Islamabad Special Technology Zone",
  "province": "islamabad_capital_territory",
  "time_zone": "Asia/Karachi",
  "developer_tenant_id": "0195b3c0-0000-7000-8000-0000000000de"
}`

func mint(t *testing.T, secret []byte, p auth.Principal) string {
	t.Helper()
	tok, err := auth.Mint(secret, p, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// exampleApplication is a draft the tenants service accepts (the body `zonectl applications
// create --example` prints).
const exampleApplication = `{
  "applicant": {
    "legal_name": "Indus Robotics (Pvt) Ltd",
    "registration_number": "0123456",
    "tax_number": "1234567-8",
    "country": "PK",
    "contact": {"name": "Ayesha Khan", "email": "ayesha.khan@example.com", "phone": "+923001234567"}
  },
  "kind": "zone_enterprise",
  "zone": "ISB",
  "sector": "ai",
  "commitments": {
    "headcount": 45,
    "investment": {"amount_minor": 250000000000, "currency": "PKR"},
    "exports": {"amount_minor": 90000000000, "currency": "PKR"},
    "rnd_spend": {"amount_minor": 12000000000, "currency": "PKR"}
  }
}`

type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (c *client) do(method, p, token, body string) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+p, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, p, err)
	}
	return res
}

// call sends a request (body optional) and fails the test unless the answer has status want;
// out, if not nil, receives the decoded JSON body.
func (c *client) call(method, p, token string, out any, want int, body ...string) {
	c.t.Helper()
	res := c.do(method, p, token, strings.Join(body, ""))
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: %s, want %d: %s", method, p, res.Status, want, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v", method, p, err)
		}
	}
}

// waitReady polls /readyz until the database and NATS checks pass.
func (c *client) waitReady() {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		res, err := c.http.Get(c.base + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%s: %s", res.Status, bytes.TrimSpace(b))
		} else {
			last = err.Error()
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("/readyz did not answer 200 within 15s; last: %s", last)
}

// metrics scrapes /metrics and returns the exposition text.
func (c *client) metrics() string {
	c.t.Helper()
	res := c.do("GET", "/metrics", "", "")
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("GET /metrics: %s", res.Status)
	}
	return string(b)
}
