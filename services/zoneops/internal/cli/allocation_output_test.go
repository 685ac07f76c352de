package cli

import (
	"math"
	"net/http"
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
		"Occupancy of zone z1",
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

func TestAllocationTables(t *testing.T) {
	api := newAllocationAPI(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"zones", "list"}, []string{"ID", "CODE", "PROVINCE", "z1", "HRP", "khyber_pakhtunkhwa", "notified", "2026-03-02T09:00:00Z"}},
		{[]string{"plots", "list", "z1"}, []string{"AREA", "LAND USE", "p1", "A-12", "10,249.26 m²", "it_park", "live", "drawn"}},
		{[]string{"units", "list", "z1"}, []string{"FLOOR", "u1", "b1", "3-A", "1,250.50 m²", "office"}},
		{[]string{"requests", "list"}, []string{"WANTS", "OFFERED", "r1", "offered", "industrial, 2,000 m² to 5,000.50 m²", "plot/p1"}},
		{[]string{"leases", "list"}, []string{"SPACE", "l1", "active", "plot/p1", "10,249.26 m²", "2026-05-01", "2036-04-30", "idle"}},
		{[]string{"requests", "get", "r1"}, []string{"Offered space:", "plot/p1 (industrial, 10,249.26 m²)", "PKR 1500.50 per m² a month",
			"PKR 300000.00", "120 months", "6 months", "2026-04-15", "by dev"}},
		{[]string{"leases", "get", "l1"}, []string{"Land lease:", "yes", "Construction start due:", "2027-04-30", "Idle:", "yes construction_start missed"}},
		{[]string{"buildings", "get", "b1"}, []string{"Tower B", "Floors:", "12", "Basements:", "1"}},
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
