package cli

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestOccupancyReport(t *testing.T) {
	api := newAllocationAPI(t)
	res := runCLI(t, nil, "", alloc(api, "zones", "occupancy", "z1")...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	want := strings.Join([]string{
		"Occupancy of zone HRP",
		"  Total area:           1,234,567.50 m²",
		"  Leased area:            771,604.69 m²",
		"  Available area:         462,962.81 m²",
		"  Occupancy:                    62.5 %",
		"  Floor area of units:         8,000 m²",
		"  Floor area leased:        2,000.33 m²",
		"  Units leased:                   12",
		"  Units free:                      4",
		"  Requests waiting:                3",
		"  Idle spaces:                     1",
		"",
	}, "\n")
	if res.stdout != want {
		t.Errorf("report:\n%s\nwant:\n%s", res.stdout, want)
	}
}

func TestOccupancyReportOfAnEmptyZone(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("GET /v1/zones/{id}/occupancy", http.StatusOK, "application/json",
		`{"zone_id":"z9","total_area_m2":0,"leased_area_m2":0,"available_area_m2":0,"occupancy_ratio":0,
		"floor_area_m2":0,"leased_floor_area_m2":0,"units_leased":0,"units_free":0,"requests_waiting":0,"idle_spaces":0}`)
	res := runCLI(t, nil, "", alloc(api, "zones", "occupancy", "z9")...)
	for _, want := range []string{"  Total area:             0 m²\n", "  Occupancy:            0.0 %\n", "  Idle spaces:            0\n"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, res.stdout)
		}
	}
}

func TestFormatArea(t *testing.T) {
	for _, tt := range []struct {
		m2   float64
		want string
	}{
		{0, "0 m²"},
		{1, "1 m²"},
		{999, "999 m²"},
		{1000, "1,000 m²"},
		{1234.5, "1,234.50 m²"},
		{1234.56, "1,234.56 m²"},
		{333.3333333, "333.33 m²"},
		{999.999, "1,000 m²"},
		{100_000_000, "100,000,000 m²"},
		{-0.001, "0 m²"},
		{math.NaN(), "? m²"},
	} {
		if got := formatArea(tt.m2); got != tt.want {
			t.Errorf("formatArea(%v) = %q, want %q", tt.m2, got, tt.want)
		}
	}
}

// TestAllocationTablesShowCodesNotIDs: the lists name zones, plots, spaces and buildings by
// code or name; a record's own id stays in the first column, since the next command takes it.
func TestAllocationTablesShowCodesNotIDs(t *testing.T) {
	api := newAllocationAPI(t)
	for _, tt := range []struct {
		args []string
		want []string // the lines, trailing spaces trimmed
	}{
		{[]string{"zones", "list"}, []string{
			"ID  CODE  NAME                             PROVINCE            STATUS    NOTIFIED",
			"z1  HRP   Haripur Special Technology Zone  khyber_pakhtunkhwa  notified  2026-03-02T09:00:00Z",
		}},
		{[]string{"plots", "list", "HRP"}, []string{
			"ID  ZONE  CODE  AREA          LAND USE  STATUS  LET      BOUNDARY",
			"p1  HRP   A-12  10,249.26 m²  it_park   live    2 units  drawn",
		}},
		{[]string{"units", "list", "HRP"}, []string{
			"ID  PLOT  BUILDING  FLOOR  LABEL  AREA         USE",
			"u1  A-12  Tower B   3      3-A    1,250.50 m²  office",
		}},
		{[]string{"requests", "list"}, []string{
			"ID  STATUS   ZONE  TENANT  WANTS                                OFFERED    LEASE",
			"r1  offered  HRP   t1      industrial, 2,000 m² to 5,000.50 m²  plot A-12  -",
		}},
		{[]string{"leases", "list"}, []string{
			"ID  STATUS  ZONE  TENANT  SPACE      AREA          START       END         IDLE",
			"l1  active  HRP   t1      plot A-12  10,249.26 m²  2026-05-01  2036-04-30  idle",
		}},
	} {
		res := runCLI(t, nil, "", alloc(api, tt.args...)...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, res.code, res.stderr)
		}
		if got := trimmedLines(res.stdout); !slices.Equal(got, tt.want) {
			t.Errorf("%v printed\n%s\nwant\n%s", tt.args, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

func trimmedLines(s string) []string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// TestPlotLetColumn: a plot is let as land ("yes"), through some of its units ("2 units"), or
// not at all ("no").
func TestPlotLetColumn(t *testing.T) {
	for _, tt := range []struct {
		p    plot
		want string
	}{
		{plot{Let: true}, "yes"},
		{plot{UnitsLet: 1}, "1 unit"},
		{plot{UnitsLet: 2}, "2 units"},
		{plot{}, "no"},
	} {
		if got := tt.p.letting(); got != tt.want {
			t.Errorf("letting of %+v = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// TestAllocationTablesFallBackToIDs: an answer without the codes (a server older than them)
// still shows every reference, by id.
func TestAllocationTablesFallBackToIDs(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("GET /v1/leases", http.StatusOK, "application/json", items(`{"id":"l1","zone_id":"z1","tenant_id":"t1",
		"space":{"kind":"unit","id":"u1"},"plot_id":"p1","area_m2":10,"start":"2026-05-01","end":"2027-04-30","status":"active"}`))
	res := runCLI(t, nil, "", alloc(api, "leases", "list")...)
	want := []string{
		"ID  STATUS  ZONE  TENANT  SPACE    AREA   START       END         IDLE",
		"l1  active  z1    t1      unit/u1  10 m²  2026-05-01  2027-04-30  -",
	}
	if got := trimmedLines(res.stdout); res.code != 0 || !slices.Equal(got, want) {
		t.Errorf("exit %d, printed\n%s\nwant\n%s", res.code, res.stdout, strings.Join(want, "\n"))
	}
}

func TestAllocationTables(t *testing.T) {
	api := newAllocationAPI(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"requests", "get", "r1"}, []string{"Zone:", "HRP (z1)", "Offered space:", "plot A-12 (industrial, 10,249.26 m²)", "PKR 1500.50 per m² a month",
			"PKR 300000.00", "120 months", "6 months", "2026-04-15", "by dev"}},
		{[]string{"leases", "get", "l1"}, []string{"Space:", "plot A-12 (p1)", "Plot:", "A-12 (p1)", "Land lease:", "yes",
			"Construction start due:", "2027-04-30", "Idle:", "yes construction_start missed"}},
		{[]string{"plots", "get", "p1"}, []string{"Zone:", "HRP (z1)", "Let:", "2 units"}},
		{[]string{"units", "get", "u1"}, []string{"Plot:", "A-12 (p1)", "Building:", "Tower B (b1)"}},
		{[]string{"buildings", "get", "b1"}, []string{"Tower B", "Zone:", "HRP (z1)", "Plot:", "A-12 (p1)", "Floors:", "12", "Basements:", "1"}},
		{[]string{"plots", "subdivide", "p1", "-f", "-"}, []string{"CODE", "A-12"}},
	}
	for _, tt := range tests {
		res := runCLI(t, nil, exampleParts, alloc(api, tt.args...)...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, res.code, res.stderr)
		}
		for _, want := range tt.want {
			if !strings.Contains(res.stdout, want) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, want, res.stdout)
			}
		}
	}
}

// TestOutputIDPrintsOnlyTheIDs: -o id prints the id of the record an answer holds, or of
// each record of a list, one a line, for scripts to take.
func TestOutputIDPrintsOnlyTheIDs(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"plots", "create", "HRP", "-f", "-"}, examplePlot, "p1\n"},
		{[]string{"requests", "get", "r1"}, "", "r1\n"},
		{[]string{"requests", "accept", "r1"}, "", "l1\n"},
		{[]string{"plots", "import", "HRP", "-f", "-"}, planJSON, "p1\np1\n"},
		{[]string{"leases", "list"}, "", "l1\n"},
		{[]string{"leases", "list", "--all"}, "", "l1\n"},
	} {
		api := newAllocationAPI(t)
		res := runCLI(t, nil, tt.stdin, alloc(api, append(tt.args, "-o", "id")...)...)
		if res.code != 0 || res.stdout != tt.want {
			t.Errorf("%v -o id: exit %d, printed %q (stderr %q), want %q", tt.args, res.code, res.stdout, res.stderr, tt.want)
		}
	}
}
