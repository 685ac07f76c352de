package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/services/allocation"
)

// liveSecret signs the tokens of the tests that run zonectl against the real allocation
// service.
var liveSecret = []byte("zonectl-live-allocation-tests-0123456789")

// liveAllocation is the allocation service itself, on a real database and an embedded
// JetStream (the shared service harness), for the zonectl tests whose point is what the
// service answers. Its clock stands at testNow.
type liveAllocation struct{ *apitest.Env }

func startLiveAllocation(t *testing.T, dialect db.Dialect) *liveAllocation {
	t.Helper()
	cfg := allocation.Config{TimeZone: "Asia/Karachi", AreaTolerance: 0.02, ConstructionStartMonths: 12, ConstructionCompleteMonths: 36,
		SweepInterval: time.Hour, StreamReplicas: 1}
	return &liveAllocation{apitest.StartService(t, dialect, apitest.ServiceSpec{
		Name: allocation.Name, Stream: envelope.StreamAllocation, Secret: liveSecret, Start: testNow,
		Streams: []natsx.StreamSpec{{Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}}},
		// zonectl's tests need no beat of their own: the sweep runs on its interval.
		New: func(ctx context.Context, d app.Deps, _ <-chan time.Time) (apitest.Service, error) {
			return allocation.New(ctx, cfg, d)
		},
	})}
}

// as returns the flags that run zonectl against the service as p.
func (a *liveAllocation) as(t *testing.T, p auth.Principal, args ...string) []string {
	t.Helper()
	tok, err := a.Token(p)
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{"--allocation-url", a.URL, "--token", tok}, args...)
}

// run runs zonectl as p and fails the test unless it succeeds.
func (a *liveAllocation) run(t *testing.T, p auth.Principal, stdin string, args ...string) string {
	t.Helper()
	res := runCLI(t, nil, stdin, a.as(t, p, args...)...)
	if res.code != 0 {
		t.Fatalf("zonectl %s: exit %d: %s", strings.Join(args, " "), res.code, res.stderr)
	}
	return res.stdout
}

// idOf is the value of the "ID:" line of a one-record view.
func idOf(t *testing.T, view string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^ID:\s+(\S+)`).FindStringSubmatch(view)
	if m == nil {
		t.Fatalf("no ID in\n%s", view)
	}
	return m[1]
}

// TestZonectlNamesZonesByCodeAgainstTheService: against the real allocation service, every
// zonectl command that names a zone takes its code, the tables show codes rather than ids and
// whether each plot is let, and a zone that does not exist is refused, naming it, rather than
// listed as empty.
func TestZonectlNamesZonesByCodeAgainstTheService(t *testing.T) {
	const tenantID = "0195b3c0-0000-7000-8000-00000000000a"
	operator := auth.Principal{Subject: "olivia", Role: auth.Operator}
	developer := auth.Principal{Subject: "dev-hrp", Role: auth.ZoneDeveloper, ZoneCodes: []string{"HRP"}}
	tenant := auth.Principal{Subject: "tenant-a", Role: auth.Tenant, TenantID: tenantID}
	apitest.ForEachDialect(t, startLiveAllocation, func(t *testing.T, a *liveAllocation) {
		a.run(t, operator, exampleZone, "zones", "register", "-f", "-")
		a.run(t, operator, "", "zones", "notify", "HRP")
		plotID := idOf(t, a.run(t, developer, examplePlot, "plots", "create", "hrp", "-f", "-"))
		free := strings.Replace(strings.Replace(examplePlot, `"A-12"`, `"B-1"`, 1), "72.905", "72.907", -1)
		free = strings.Replace(free, "72.906", "72.908", -1)
		a.run(t, developer, free, "plots", "create", "HRP", "-f", "-")
		a.license(t, tenantID, "HRP")

		requestID := idOf(t, a.run(t, tenant, "", "requests", "submit", "--zone", "HRP", "--plot", plotID))
		a.run(t, developer, "", "requests", "offer", requestID, "--plot", plotID, "--start", "2026-03-08", "--months", "12",
			"--rent", "100", "--currency", "PKR", "--valid-until", "2026-03-05")
		a.run(t, tenant, "", "requests", "accept", requestID)

		for _, tt := range []struct {
			name string
			as   auth.Principal
			args []string
			rows []*regexp.Regexp // each must match a line of the output
		}{
			{"leases by zone code", developer, []string{"leases", "list", "--zone", "HRP"}, []*regexp.Regexp{
				regexp.MustCompile(`^ID\s+STATUS\s+ZONE\s+TENANT\s+SPACE\s+AREA\s+START\s+END\s+IDLE$`),
				regexp.MustCompile(`^\S+\s+active\s+HRP\s+` + tenantID + `\s+plot A-12\s+10,249.26 m²\s+2026-03-08\s+2027-03-07\s+-$`),
			}},
			{"requests by zone code", tenant, []string{"requests", "list", "--zone", "hrp"}, []*regexp.Regexp{
				regexp.MustCompile(`^` + requestID + `\s+accepted\s+HRP\s+` + tenantID + `\s+plot A-12\s+plot A-12\s+\S+$`),
			}},
			{"plots of a zone by code, with whether each is let", operator, []string{"plots", "list", "HRP"}, []*regexp.Regexp{
				regexp.MustCompile(`^ID\s+ZONE\s+CODE\s+AREA\s+LAND USE\s+STATUS\s+LET\s+BOUNDARY$`),
				regexp.MustCompile(`^` + plotID + `\s+HRP\s+A-12\s+10,249.26 m²\s+it_park\s+live\s+yes\s+drawn$`),
				regexp.MustCompile(`^\S+\s+HRP\s+B-1\s+10,249.26 m²\s+it_park\s+live\s+no\s+drawn$`),
			}},
			{"a zone by code", operator, []string{"zones", "get", "HRP"}, []*regexp.Regexp{regexp.MustCompile(`^Status:\s+notified$`)}},
			{"occupancy by code", operator, []string{"zones", "occupancy", "HRP"}, []*regexp.Regexp{regexp.MustCompile(`^Occupancy of zone HRP$`)}},
		} {
			out := a.run(t, tt.as, "", tt.args...)
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			for _, re := range tt.rows {
				if !slicesContainsMatch(lines, re) {
					t.Errorf("%s: no line matches %s in\n%s", tt.name, re, out)
				}
			}
		}

		for _, args := range [][]string{
			{"leases", "list", "--zone", "NOPE"},
			{"requests", "list", "--zone", "NOPE"},
		} {
			res := runCLI(t, nil, "", a.as(t, operator, args...)...)
			if res.code != 1 || res.stdout != "" || !strings.Contains(res.stderr, "zone") || !strings.Contains(res.stderr, `"NOPE"`) {
				t.Errorf("zonectl %s: exit %d, stdout %q, stderr %q; want exit 1 and an error naming zone NOPE",
					strings.Join(args, " "), res.code, res.stdout, res.stderr)
			}
		}
		if res := runCLI(t, nil, "", a.as(t, operator, "zones", "get", "NOPE")...); res.code != 1 || !strings.Contains(res.stderr, "404") {
			t.Errorf("zones get NOPE: exit %d, stderr %q; want exit 1 and not found", res.code, res.stderr)
		}
	})
}

func slicesContainsMatch(lines []string, re *regexp.Regexp) bool {
	for _, l := range lines {
		if re.MatchString(strings.TrimRight(l, " ")) {
			return true
		}
	}
	return false
}
