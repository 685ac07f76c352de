package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
)

// checkEmbeddedNATSCredentials: the embedded server refuses a connection without credentials
// (a forged licence.granted cannot be published by whoever reads zoneops.json); zonectl's
// password is in a file only its owner may read, and not in zoneops.json; with it zonectl
// logs in.
func checkEmbeddedNATSCredentials(t *testing.T, dir string, info cli.RuntimeInfo) {
	t.Helper()
	if nc, err := nats.Connect(info.NATSURL); err == nil {
		nc.Close()
		t.Error("the embedded NATS accepted a connection without credentials")
	} else if !errors.Is(err, nats.ErrAuthorization) {
		t.Errorf("connecting without credentials: %v, want an authorization violation", err)
	}
	fi, err := os.Stat(filepath.Join(dir, cli.NATSCredentialsFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", cli.NATSCredentialsFile, fi.Mode().Perm())
	}
	c, err := cli.ReadNATSCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	public, err := os.ReadFile(filepath.Join(dir, cli.RuntimeInfoFile))
	if err != nil {
		t.Fatal(err)
	}
	if c.Password == "" || strings.Contains(string(public), c.Password) {
		t.Errorf("zonectl's password %q is empty or in %s", c.Password, cli.RuntimeInfoFile)
	}
	nc, err := zonectlConn(t, dir)
	if err != nil {
		t.Fatalf("zonectl's credentials: %v", err)
	}
	nc.Close()
}

// TestRunStartsEveryServiceOnEmbeddedDefaults is what `make run` does: no NATS or database
// configured, so an embedded JetStream and SQLite files under the data dir; the banner names
// the URLs, a token per role and commands to try; zoneops.json tells zonectl where things are;
// the process stops cleanly when its context ends.
func TestRunStartsEveryServiceOnEmbeddedDefaults(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ZONEOPS_TENANTS_HTTP_ADDR": "127.0.0.1:0", "ZONEOPS_ALLOCATION_HTTP_ADDR": "127.0.0.1:0"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr apitest.SyncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"run", "--data-dir", dir}, func(k string) string { return env[k] }, &stdout, &stderr)
	}()

	var info cli.RuntimeInfo
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if info, err = cli.ReadRuntimeInfo(dir); err == nil && strings.Contains(stdout.String(), "Try (in another terminal") {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v\nstderr:\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("zoneops did not start in time\nstderr:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	if !strings.HasPrefix(info.NATSURL, "nats://127.0.0.1:") || strings.HasSuffix(info.NATSURL, ":4222") {
		t.Errorf("NATS URL %q: want an embedded server on a free port", info.NATSURL)
	}
	for _, service := range []string{"tenants", "allocation"} {
		resp, err := http.Get(info.Services[service] + "/readyz")
		if err != nil {
			t.Fatalf("%s: %v", service, err)
		}
		var ready struct{ Status string }
		json.NewDecoder(resp.Body).Decode(&ready)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || ready.Status != "ok" {
			t.Errorf("%s /readyz = %d %q, want 200 ok", service, resp.StatusCode, ready.Status)
		}
		if _, err := os.Stat(filepath.Join(dir, service+".db")); err != nil {
			t.Errorf("no SQLite file for %s under the data dir: %v", service, err)
		}
	}
	checkEmbeddedNATSCredentials(t, dir, info)
	for _, want := range []string{"operator ", "zone_developer ", "tenant ", "auditor ", "viewer ", "zonectl applications create", "zonectl events tail", info.Services["tenants"], info.Services["allocation"]} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, stdout.String())
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("zoneops did not stop after its context ended")
	}
}

func TestRunWithoutASubcommandIsAUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, func(string) string { return "" }, &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "Usage: zoneops run") {
		t.Fatalf("run() = %v, stderr %q; want a usage error", err, errOut.String())
	}
}

// TestRunRefusesEachServicesSettingThatMakesNoSenseBeforeStarting: every service of the table
// has its settings checked as they are loaded, before NATS or a database is touched.
func TestRunRefusesEachServicesSettingThatMakesNoSenseBeforeStarting(t *testing.T) {
	for _, p := range programs() {
		t.Run(p.Name, func(t *testing.T) {
			dir := t.TempDir()
			bad := p.EnvPrefix + "TIME_ZONE"
			env := map[string]string{"ZONEOPS_DATA_DIR": dir, bad: "Nowhere/Atlantis"}
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"run"}, func(k string) string { return env[k] }, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), "config: "+bad) {
				t.Fatalf("run() = %v, want the bad %s refused", err, bad)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("the data directory has %v: something started before the settings were checked", entries)
			}
		})
	}
}

// zoneops is one `zoneops run` of a test, on its own context.
type zoneops struct {
	stdout, stderr apitest.SyncBuffer
	done           chan error
	cancel         context.CancelFunc
}

// startZoneops runs zoneops on dir with its HTTP APIs on free ports.
func startZoneops(t *testing.T, dir string, flags ...string) *zoneops {
	t.Helper()
	return startZoneopsWith(t, dir, nil, flags...)
}

// startZoneopsWith is startZoneops with more variables set.
func startZoneopsWith(t *testing.T, dir string, more map[string]string, flags ...string) *zoneops {
	t.Helper()
	env := map[string]string{"ZONEOPS_TENANTS_HTTP_ADDR": "127.0.0.1:0", "ZONEOPS_ALLOCATION_HTTP_ADDR": "127.0.0.1:0"}
	maps.Copy(env, more)
	ctx, cancel := context.WithCancel(context.Background())
	z := &zoneops{done: make(chan error, 1), cancel: cancel}
	args := append([]string{"run", "--data-dir", dir}, flags...)
	go func() { z.done <- run(ctx, args, func(k string) string { return env[k] }, &z.stdout, &z.stderr) }()
	t.Cleanup(func() { z.stop(t) })
	return z
}

// waitFor waits until stdout holds text, failing the test when zoneops ends or limit passes.
func (z *zoneops) waitFor(t *testing.T, text string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(z.stdout.String(), text) {
		select {
		case err := <-z.done:
			z.done <- err // for stop
			t.Fatalf("zoneops ended before printing %q: %v\nstdout:\n%s\nstderr:\n%s", text, err, z.stdout.String(), z.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("zoneops did not print %q within %s\nstdout:\n%s\nstderr:\n%s", text, limit, z.stdout.String(), z.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the run and checks it ended cleanly; it may be called more than once.
func (z *zoneops) stop(t *testing.T) {
	t.Helper()
	if z.cancel == nil {
		return
	}
	z.cancel()
	z.cancel = nil
	select {
	case err := <-z.done:
		if err != nil {
			t.Errorf("run after cancel = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("zoneops did not stop after its context ended")
	}
}

// apiClient reads the zoneops APIs with a development token.
type apiClient struct {
	t     *testing.T
	token string
}

func newAPIClient(t *testing.T, p auth.Principal) apiClient {
	tok, err := auth.Mint([]byte(app.DevJWTSecret), p, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return apiClient{t: t, token: tok}
}

// get decodes the JSON answer of GET u into out, failing the test on anything but 200.
func (c apiClient) get(u string, out any) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var problem map[string]any
		json.NewDecoder(resp.Body).Decode(&problem)
		c.t.Fatalf("GET %s = %d %v", u, resp.StatusCode, problem)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		c.t.Fatalf("GET %s: %v", u, err)
	}
}

// demoFigures are what the demo data amount to, read through the APIs.
type demoFigures struct {
	zoneID                      string
	zones, notified, planned    int
	plots, units                int
	licences, enterpriseLicence int
	numbers                     []string
	leases, landLeases, started int
	leasedAreaM2                float64
	waiting                     map[string]int
}

func readDemoFigures(t *testing.T, info cli.RuntimeInfo) demoFigures {
	t.Helper()
	alloc, tenants := info.Services["allocation"], info.Services["tenants"]
	op := newAPIClient(t, auth.Principal{Subject: "test-operator", Role: auth.Operator})
	var f demoFigures
	var zones struct {
		Items []struct{ ID, Code, Status string }
	}
	op.get(alloc+"/v1/zones?limit=500", &zones)
	for _, z := range zones.Items {
		f.zones++
		switch z.Status {
		case "notified":
			f.notified++
		case "planned":
			f.planned++
		}
		if z.Code == "ISB" {
			f.zoneID = z.ID
		}
	}
	if f.zoneID == "" {
		t.Fatalf("no zone ISB among %+v", zones.Items)
	}
	// A zone developer of ISB reads its plan, as the token's zone codes scope it.
	dev := newAPIClient(t, auth.Principal{Subject: "test-developer", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB"}})
	var plots, units struct{ Items []json.RawMessage }
	dev.get(alloc+"/v1/zones/"+f.zoneID+"/plots?limit=500", &plots)
	dev.get(alloc+"/v1/zones/"+f.zoneID+"/units?limit=500", &units)
	f.plots, f.units = len(plots.Items), len(units.Items)

	var licences struct {
		Items []struct{ Number, Kind, Status string }
	}
	op.get(tenants+"/v1/licences?zone=ISB&status=active&limit=500", &licences)
	for _, l := range licences.Items {
		f.licences++
		if l.Kind == "zone_enterprise" {
			f.enterpriseLicence++
		}
		f.numbers = append(f.numbers, l.Number)
	}
	var leases struct {
		Items []struct {
			LandLease           bool    `json:"land_lease"`
			ConstructionStarted *string `json:"construction_started"`
			AreaM2              float64 `json:"area_m2"`
		}
	}
	op.get(alloc+"/v1/leases?status=active&limit=500&zone_id="+url.QueryEscape(f.zoneID), &leases)
	for _, l := range leases.Items {
		f.leases++
		if l.LandLease {
			f.landLeases++
		}
		if l.ConstructionStarted != nil {
			f.started++
		}
	}
	var occ struct {
		LeasedAreaM2 float64 `json:"leased_area_m2"`
	}
	op.get(alloc+"/v1/zones/"+f.zoneID+"/occupancy", &occ)
	f.leasedAreaM2 = occ.LeasedAreaM2
	var apps struct {
		Items []struct{ Status, Zone string }
	}
	op.get(tenants+"/v1/applications?status=submitted,deficient,resubmitted&limit=500", &apps)
	f.waiting = map[string]int{}
	for _, a := range apps.Items {
		f.waiting[a.Status+" "+a.Zone]++
	}
	return f
}

// zonectlConn logs in to the embedded NATS of the zoneops running on dir as zonectl does,
// with the URL and credentials that zoneops wrote there.
func zonectlConn(t *testing.T, dir string) (*nats.Conn, error) {
	t.Helper()
	info, err := cli.ReadRuntimeInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cli.ReadNATSCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	return nats.Connect(info.NATSURL, nats.UserInfo(c.User, c.Password))
}

// streamMessages counts the messages each producing service's stream holds, once every one
// holds some and the counts have stayed put for half a second: the outbox relays publish just
// after the commits.
func streamMessages(t *testing.T, dir string) map[string]uint64 {
	t.Helper()
	last := countStreamMessages(t, dir)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		now := countStreamMessages(t, dir)
		if fmt.Sprint(now) == fmt.Sprint(last) {
			return now
		}
		last = now
	}
	t.Fatalf("stream message counts keep changing: %v", last)
	return nil
}

// countStreamMessages counts the messages of the TENANTS and ALLOCATION streams of the
// zoneops running on dir, waiting (bounded) until each holds some.
func countStreamMessages(t *testing.T, dir string) map[string]uint64 {
	t.Helper()
	nc, err := zonectlConn(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out := map[string]uint64{}
	for _, name := range []string{envelope.StreamTenants, envelope.StreamAllocation} {
		for {
			s, err := js.Stream(ctx, name)
			if err == nil {
				var info *jetstream.StreamInfo
				if info, err = s.Info(ctx); err == nil && info.State.Msgs > 0 {
					out[name] = info.State.Msgs
					break
				}
			}
			if ctx.Err() != nil {
				t.Fatalf("stream %s holds no events: %v", name, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return out
}

// TestRunDemoSeedsThroughTheAPIsOnce is `make demo`: zoneops starts, seeds the demo through the
// services' APIs and says so; the APIs then show the zones, ISB's plan and building, the
// licences and the leases, and both streams hold the events. Run again on the same data
// directory, it finds the data there and adds nothing.
func TestRunDemoSeedsThroughTheAPIsOnce(t *testing.T) {
	dir := t.TempDir()
	first := startZoneops(t, dir, "--demo")
	first.waitFor(t, "demo data ready", 60*time.Second)
	info, err := cli.ReadRuntimeInfo(dir)
	if err != nil {
		t.Fatal(err)
	}

	f := readDemoFigures(t, info)
	if f.zones != 9 || f.notified != 3 || f.planned != 6 {
		t.Errorf("%d zones, %d notified, %d planned; want 9, 3, 6", f.zones, f.notified, f.planned)
	}
	if f.plots != 12 || f.units != 6 {
		t.Errorf("ISB has %d plots and %d units, want 12 and 6", f.plots, f.units)
	}
	if f.licences != 4 || f.enterpriseLicence != 3 {
		t.Errorf("%d active ISB licences, %d of zone enterprises; want the developer's and 3", f.licences, f.enterpriseLicence)
	}
	number := regexp.MustCompile(`^STZ-ISB-[0-9]{4}-000[1-4]$`)
	for _, n := range f.numbers {
		if !number.MatchString(n) {
			t.Errorf("licence number %q, want STZ-ISB-<year>-000N", n)
		}
	}
	if f.leases != 3 || f.landLeases != 1 || f.started != 1 {
		t.Errorf("%d active leases, %d of land, %d with construction started; want 3, 1, 1", f.leases, f.landLeases, f.started)
	}
	if f.leasedAreaM2 <= 0 {
		t.Errorf("ISB has %v m² leased, want some", f.leasedAreaM2)
	}
	if want := map[string]int{"submitted HRP": 1, "deficient LHR": 1}; fmt.Sprint(f.waiting) != fmt.Sprint(want) {
		t.Errorf("applications waiting %v, want %v", f.waiting, want)
	}
	msgs := streamMessages(t, dir)
	out := first.stdout.String()
	for _, want := range []string{"9 zones (3 notified, 6 planned)", "12 plots and 6 units", "3 leases", "Margalla AI Labs", "zonectl zones list", f.zoneID} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(first.stderr.String(), `"level":"ERROR"`) {
		t.Errorf("errors logged:\n%s", first.stderr.String())
	}
	first.stop(t)

	second := startZoneops(t, dir, "--demo")
	second.waitFor(t, "already seeded", 60*time.Second)
	info, err = cli.ReadRuntimeInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	again := readDemoFigures(t, info)
	if again.zoneID != f.zoneID || again.zones != f.zones || again.plots != f.plots || again.units != f.units ||
		again.licences != f.licences || again.leases != f.leases || fmt.Sprint(again.waiting) != fmt.Sprint(f.waiting) {
		t.Errorf("after a second --demo: %+v\nbefore: %+v", again, f)
	}
	// Nothing new was published: the streams hold what they held.
	if got := streamMessages(t, dir); fmt.Sprint(got) != fmt.Sprint(msgs) {
		t.Errorf("stream messages %v after the second --demo, %v before", got, msgs)
	}
	second.stop(t)
}

// With an OIDC issuer configured the services refuse development tokens, so --demo says why it
// seeds nothing instead of failing call after call.
func TestDemoIsSkippedWhenTokensComeFromAnIssuer(t *testing.T) {
	var out apitest.SyncBuffer
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	runDemo(context.Background(), app.Common{JWKSURL: "https://issuer.example/jwks.json"}, cli.RuntimeInfo{}, &out, logger)
	if !strings.Contains(out.String(), "demo data not seeded") || !strings.Contains(logs.String(), "ZONEOPS_JWKS_URL") {
		t.Errorf("stdout %q, logs %q", out.String(), logs.String())
	}
}
