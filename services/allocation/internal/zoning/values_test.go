package zoning

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

func TestValueParsersAcceptTheContractAndRefuseTheRest(t *testing.T) {
	type parser func(string) error
	zone := func(s string) error { _, err := ParseZoneCode(s); return err }
	plot := func(s string) error { _, err := ParsePlotCode(s); return err }
	prov := func(s string) error { _, err := ParseProvince(s); return err }
	land := func(s string) error { _, err := ParseLandUse(s); return err }
	use := func(s string) error { _, err := ParseUnitUse(s); return err }
	tests := []struct {
		name string
		p    parser
		in   string
		ok   bool
	}{
		{"zone code ISB", zone, "ISB", true},
		{"zone code with digits", zone, "KHI2", true},
		{"zone code of ten", zone, "ABCDEFGHIJ", true},
		{"zone code of one letter", zone, "I", false},
		{"zone code of eleven", zone, "ABCDEFGHIJK", false},
		{"zone code in lower case", zone, "isb", false},
		{"zone code starting with a digit", zone, "1SB", false},
		{"zone code empty", zone, "", false},
		{"plot code A-12", plot, "A-12", true},
		{"plot code of one digit", plot, "7", true},
		{"plot code trimmed", plot, "  A-12 ", true},
		{"plot code of 32", plot, "A234567890123456789012345678901B", true},
		{"plot code of 33", plot, "A2345678901234567890123456789012C", false},
		{"plot code starting with a dash", plot, "-A1", false},
		{"plot code in lower case", plot, "a-12", false},
		{"plot code with a space", plot, "A 12", false},
		{"plot code empty", plot, "", false},
		{"province punjab", prov, "punjab", true},
		{"every province", prov, "azad_jammu_kashmir", true},
		{"province label", prov, "Punjab", false},
		{"land use it_park", land, "it_park", true},
		{"land use green", land, "green", true},
		{"land use unknown", land, "agricultural", false},
		{"land use empty", land, "", false},
		{"unit use lab", use, "lab", true},
		{"unit use unknown", use, "parking", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("error %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("error %v is not fault.ErrInvalid", err)
			}
		})
	}
	if len(Provinces()) != 7 || Province("gilgit_baltistan").Label() != "Gilgit-Baltistan" {
		t.Errorf("provinces %v", Provinces())
	}
	if len(LandUses()) != 6 || len(UnitUses()) != 6 || LandUse("it_park").Label() != "IT park" || UnitUse("x").Label() != "" {
		t.Errorf("land uses %v, unit uses %v", LandUses(), UnitUses())
	}
}

func TestAreaHasAtMostTwoDecimalsAndIsBounded(t *testing.T) {
	tests := []struct {
		in   string
		want Area
		ok   bool
	}{
		{"1234.56", 123456, true},
		{"1234.5", 123450, true},
		{"1234", 123400, true},
		{"0.01", 1, true},
		{"1.5e3", 150000, true},
		{"12345e-2", 12345, true},
		{"100000000", 10_000_000_000, true},
		{"1234.567", 0, false},
		{"0", 0, false},
		{"-5", 0, false},
		{"0.001", 0, false},
		{"100000000.01", 0, false},
		{"1e400", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"0x1p3", 0, false},
		{"1/2", 0, false},
		{"ten", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseArea(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseArea(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("error %v is not fault.ErrInvalid", err)
			}
		})
	}
	tenth := 0.1 // a variable, so the sum is float64 arithmetic and not an exact constant
	for _, tt := range []struct {
		in   float64
		want Area
		ok   bool
	}{
		{1234.56, 123456, true}, {tenth + 0.2, 0, false}, // 0.30000000000000004
		{99999999.99, 9_999_999_999, true},
		{math.NaN(), 0, false}, {math.Inf(1), 0, false}, {-1, 0, false},
	} {
		got, err := AreaFromM2(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("AreaFromM2(%v) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestAreaTravelsAsSquareMetresInJSON(t *testing.T) {
	for _, tt := range []struct {
		a    Area
		json string
		text string
	}{
		{123456, "1234.56", "1234.56 m²"},
		{123450, "1234.5", "1234.5 m²"},
		{123400, "1234", "1234 m²"},
		{5, "0.05", "0.05 m²"},
	} {
		data, err := json.Marshal(tt.a)
		must(t, err)
		if string(data) != tt.json || tt.a.String() != tt.text {
			t.Errorf("%d encodes as %s / %s", tt.a, data, tt.a)
		}
		var back Area
		must(t, json.Unmarshal(data, &back))
		if back != tt.a {
			t.Errorf("%s decodes as %d", data, back)
		}
	}
	var a Area
	if err := json.Unmarshal([]byte(`12.345`), &a); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("three decimals decoded: %v", err)
	}
}

func TestTimeZoneDefaultsToKarachiAndIsCheckedByTheLoader(t *testing.T) {
	loader := func(name string) (*time.Location, error) {
		if name == "Asia/Karachi" || name == "UTC" {
			return time.FixedZone(name, 0), nil
		}
		return nil, errors.New("unknown time zone")
	}
	tests := []struct {
		in     string
		policy Policy
		want   string
		ok     bool
	}{
		{"", Policy{}, "Asia/Karachi", true},
		{"Asia/Karachi", Policy{}, "Asia/Karachi", true},
		{"America/Argentina/Buenos_Aires", Policy{}, "America/Argentina/Buenos_Aires", true},
		{"UTC", Policy{}, "UTC", true},
		{"Asia/Nowhere", Policy{}, "Asia/Nowhere", true},
		{"Asia/Nowhere", Policy{LoadLocation: loader}, "", false},
		{"Asia/Karachi", Policy{LoadLocation: loader}, "Asia/Karachi", true},
		{"PKT", Policy{}, "", false},
		{"+05:00", Policy{}, "", false},
		{"../../etc/passwd", Policy{}, "", false},
	}
	for _, tt := range tests {
		got, err := parseTimeZone(tt.in, tt.policy)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseTimeZone(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestPolicyValidatesItsBoundsAndDefaultsZeroes(t *testing.T) {
	must(t, DefaultPolicy().Validate())
	must(t, Policy{}.Validate())
	faulttest.WantFields(t, Policy{AreaTolerance: 0.5, MaxPlanFeatures: -1}.Validate(), "area_tolerance", "max_plan_features")
	if r := (Policy{}).resolved(); r.AreaTolerance != DefaultAreaTolerance || r.MaxPlanFeatures != 10_000 {
		t.Errorf("resolved %+v", r)
	}
}
