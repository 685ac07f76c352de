package licensing

import (
	"regexp"

	"github.com/zoneops/zoneops/libs/platform/enum"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Kind is what a licence lets its holder be.
type Kind string

// Kinds of licence.
const (
	// KindZoneDeveloper builds and runs a zone.
	KindZoneDeveloper Kind = "zone_developer"
	// KindCoDeveloper develops part of a zone alongside its developer.
	KindCoDeveloper Kind = "co_developer"
	// KindZoneEnterprise sets up and operates inside a zone.
	KindZoneEnterprise Kind = "zone_enterprise"
)

var kinds = enum.Of(KindZoneDeveloper, KindCoDeveloper, KindZoneEnterprise)

// Kinds returns every licence kind.
func Kinds() []Kind { return kinds.Values() }

// ParseKind checks a licence kind.
func ParseKind(s string) (Kind, error) { return kinds.Parse(s) }

// ZoneCode identifies a notified zone, e.g. ISB, LHR, HRP.
type ZoneCode string

var zoneShape = regexp.MustCompile(`^[A-Z]{2,6}$`)

// ParseZoneCode checks the shape of a zone code. Whether the zone exists is the allocation
// service's knowledge, not this package's.
func ParseZoneCode(s string) (ZoneCode, error) {
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !zoneShape.MatchString(s):
		return "", fault.Reasonf("must be 2 to 6 upper-case letters, e.g. ISB")
	}
	return ZoneCode(s), nil
}

// Sector is the line of business an application is for.
type Sector string

// sectors is the table of sectors the authority licenses, with their display labels; order is
// the order forms show them in.
var sectors = enum.Labelled([]enum.Entry[Sector]{
	{Value: "it_ites", Label: "IT and IT-enabled services"},
	{Value: "software", Label: "Software"},
	{Value: "hardware", Label: "Hardware and electronics"},
	{Value: "biotech", Label: "Biotechnology"},
	{Value: "fintech", Label: "Financial technology"},
	{Value: "ai", Label: "Artificial intelligence"},
	{Value: "semiconductors", Label: "Semiconductors"},
	{Value: "telecom", Label: "Telecommunications"},
	{Value: "edtech", Label: "Education technology"},
	{Value: "healthtech", Label: "Health technology"},
	{Value: "agritech", Label: "Agricultural technology"},
	{Value: "renewable_energy", Label: "Renewable energy"},
	{Value: "other", Label: "Other technology"},
})

// Sectors returns every sector in display order.
func Sectors() []Sector { return sectors.Values() }

// Label returns the sector's display name, or "" for an unknown sector.
func (s Sector) Label() string { return sectors.Label(s) }

// ParseSector checks a sector against the table.
func ParseSector(s string) (Sector, error) { return sectors.Parse(s) }

// SizeTier classes an enterprise by its planned headcount; incentives and reporting duties
// scale with it.
type SizeTier string

// Size tiers. TierUnknown is returned for a headcount below one.
const (
	TierUnknown SizeTier = ""
	// TierStartup is 1 to 20 people.
	TierStartup SizeTier = "startup"
	// TierSME is 21 to 250 people.
	TierSME SizeTier = "sme"
	// TierLarge is 251 to 1000 people.
	TierLarge SizeTier = "large"
	// TierAnchor is more than 1000 people.
	TierAnchor SizeTier = "anchor"
)

// tiers holds the upper bound of each tier, smallest first; the last tier is unbounded.
var tiers = []struct {
	max  int
	tier SizeTier
}{
	{20, TierStartup},
	{250, TierSME},
	{1000, TierLarge},
}

// SizeTierFor returns the tier of a planned headcount.
func SizeTierFor(headcount int) SizeTier {
	if headcount < 1 {
		return TierUnknown
	}
	for _, t := range tiers {
		if headcount <= t.max {
			return t.tier
		}
	}
	return TierAnchor
}
