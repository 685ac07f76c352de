package zoning

import (
	"fmt"
	"github.com/zoneops/zoneops/libs/platform/enum"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// ZoneCode is a zone's short public code, e.g. ISB, LHR, HRP, KHI.
type ZoneCode string

var zoneCodeShape = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,9}$`)

// ParseZoneCode checks a zone code. Codes are taken as given (no upper-casing): the contract
// says upper case, and a lenient parser hides client bugs.
func ParseZoneCode(s string) (ZoneCode, error) {
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !zoneCodeShape.MatchString(s):
		return "", fault.Reasonf("must be 2 to 10 upper-case letters or digits starting with a letter, e.g. ISB")
	}
	return ZoneCode(s), nil
}

// PlotCode is a plot's code, unique within its zone, e.g. A-12 or IT-PARK-07.
type PlotCode string

var plotCodeShape = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,31}$`)

// ParsePlotCode checks a plot code; surrounding spaces are trimmed, case is kept.
func ParsePlotCode(s string) (PlotCode, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !plotCodeShape.MatchString(s):
		return "", fault.Reasonf("must be 1 to 32 upper-case letters, digits or '-', not starting with '-', e.g. A-12")
	}
	return PlotCode(s), nil
}

// Province is the province or territory a zone lies in.
type Province string

var provinces = enum.Labelled([]enum.Entry[Province]{
	{Value: "islamabad_capital_territory", Label: "Islamabad Capital Territory"},
	{Value: "punjab", Label: "Punjab"},
	{Value: "sindh", Label: "Sindh"},
	{Value: "khyber_pakhtunkhwa", Label: "Khyber Pakhtunkhwa"},
	{Value: "balochistan", Label: "Balochistan"},
	{Value: "gilgit_baltistan", Label: "Gilgit-Baltistan"},
	{Value: "azad_jammu_kashmir", Label: "Azad Jammu and Kashmir"},
})

// Provinces returns every province and territory in display order.
func Provinces() []Province { return provinces.Values() }

// Label returns the display name, or "" for an unknown province.
func (p Province) Label() string { return provinces.Label(p) }

// ParseProvince checks a province against the list.
func ParseProvince(s string) (Province, error) { return provinces.Parse(s) }

// LandUse is what a plot may be used for under the zone's master plan.
type LandUse string

var landUses = enum.Labelled([]enum.Entry[LandUse]{
	{Value: "it_park", Label: "IT park"},
	{Value: "industrial", Label: "Industrial"},
	{Value: "commercial", Label: "Commercial"},
	{Value: "residential", Label: "Residential"},
	{Value: "utilities", Label: "Utilities"},
	{Value: "green", Label: "Green space"},
})

// LandUses returns every land use in display order.
func LandUses() []LandUse { return landUses.Values() }

// Label returns the display name, or "" for an unknown land use.
func (l LandUse) Label() string { return landUses.Label(l) }

// ParseLandUse checks a land use against the list.
func ParseLandUse(s string) (LandUse, error) { return landUses.Parse(s) }

// UnitUse is what a leasable unit in a building is fitted out for.
type UnitUse string

var unitUses = enum.Labelled([]enum.Entry[UnitUse]{
	{Value: "office", Label: "Office"},
	{Value: "retail", Label: "Retail"},
	{Value: "industrial", Label: "Industrial"},
	{Value: "warehouse", Label: "Warehouse"},
	{Value: "lab", Label: "Laboratory"},
	{Value: "residential", Label: "Residential"},
})

// UnitUses returns every unit use in display order.
func UnitUses() []UnitUse { return unitUses.Values() }

// Label returns the display name, or "" for an unknown unit use.
func (u UnitUse) Label() string { return unitUses.Label(u) }

// ParseUnitUse checks a unit use against the list.
func ParseUnitUse(s string) (UnitUse, error) { return unitUses.Parse(s) }

// Area is an area in hundredths of a square metre. Integers, like money, so that the declared
// areas of a subdivision's parts add up to the parent's exactly; JSON carries it as a number of
// square metres with at most two decimals.
type Area int64

// MaxAreaM2 bounds any declared area: 100 km², larger than any zone.
const MaxAreaM2 = 100_000_000

const maxArea = Area(MaxAreaM2 * 100)

// AreaFromM2 converts square metres to an Area, refusing non-positive, oversized and
// non-finite values and more than two decimals (judged on the shortest decimal that
// round-trips the float, so 1234.56 is fine and 1234.567 is not).
func AreaFromM2(m2 float64) (Area, error) {
	if math.IsNaN(m2) || math.IsInf(m2, 0) {
		return 0, fault.Reasonf("must be a finite number of square metres")
	}
	return ParseArea(strconv.FormatFloat(m2, 'f', -1, 64))
}

// ParseArea parses a decimal number of square metres, as JSON writes it ("1234.56", "1.5e3").
func ParseArea(s string) (Area, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fault.Reasonf("required")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || len(s) > 40 || strings.ContainsAny(s, "/_xXpP") {
		return 0, fault.Reasonf("must be a number of square metres")
	}
	switch {
	case f <= 0:
		return 0, fault.Reasonf("must be greater than 0 m²")
	case f > MaxAreaM2:
		return 0, fault.Reasonf("must be at most %d m²", MaxAreaM2)
	}
	// The float settled sign and size; the exact decimal settles the digits.
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fault.Reasonf("must be a number of square metres")
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, fault.Reasonf("must have at most 2 decimals")
	}
	return Area(r.Num().Int64()), nil
}

// M2 returns the area in square metres.
func (a Area) M2() float64 { return float64(a) / 100 }

// decimal renders the area in square metres with no trailing zeros: 1234.5, 1234.56, 1234.
func (a Area) decimal() string {
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	whole, cents := int64(a)/100, int64(a)%100
	switch {
	case cents == 0:
		return fmt.Sprintf("%s%d", sign, whole)
	case cents%10 == 0:
		return fmt.Sprintf("%s%d.%d", sign, whole, cents/10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, whole, cents)
}

// String renders the area for messages, e.g. "1234.56 m²".
func (a Area) String() string { return a.decimal() + " m²" }

// MarshalJSON writes the area as a number of square metres.
func (a Area) MarshalJSON() ([]byte, error) { return []byte(a.decimal()), nil }

// UnmarshalJSON reads a number of square metres with at most two decimals.
func (a *Area) UnmarshalJSON(data []byte) error {
	v, err := ParseArea(string(data))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// DefaultTimeZone is the zone time of every zone unless registered otherwise.
const DefaultTimeZone = "Asia/Karachi"

var timeZoneShape = regexp.MustCompile(`^(UTC|[A-Z][A-Za-z_-]+(/[A-Za-z0-9_+-]+){1,2})$`)

// parseTimeZone checks an IANA time zone name; empty means DefaultTimeZone. Only the shape is
// checked here (no tz database: that is file I/O); Policy.LoadLocation, when the service sets
// it, proves the name exists.
func parseTimeZone(s string, p Policy) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultTimeZone
	}
	if !timeZoneShape.MatchString(s) || len(s) > 64 {
		return "", fault.Reasonf("must be an IANA time zone name such as Asia/Karachi")
	}
	if p.LoadLocation != nil {
		if _, err := p.LoadLocation(s); err != nil {
			return "", fault.Reasonf("unknown time zone %q", s)
		}
	}
	return s, nil
}

// formatM2 renders a measured (float) area for messages.
func formatM2(a float64) string {
	if math.IsInf(a, 1) {
		return "an area that could not be computed"
	}
	return fmt.Sprintf("%.2f m²", a)
}
