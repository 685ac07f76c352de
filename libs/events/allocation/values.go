package allocation

import (
	"slices"

	"github.com/zoneops/zoneops/libs/events/values"
)

// Province is the province or territory a zone lies in.
type Province string

// Provinces and territories of Pakistan.
const (
	ProvinceIslamabadCapitalTerritory Province = "islamabad_capital_territory"
	ProvincePunjab                    Province = "punjab"
	ProvinceSindh                     Province = "sindh"
	ProvinceKhyberPakhtunkhwa         Province = "khyber_pakhtunkhwa"
	ProvinceBalochistan               Province = "balochistan"
	ProvinceGilgitBaltistan           Province = "gilgit_baltistan"
	ProvinceAzadJammuKashmir          Province = "azad_jammu_kashmir"
)

// Provinces returns every valid Province; a new slice each call.
func Provinces() []Province {
	return []Province{
		ProvinceIslamabadCapitalTerritory, ProvincePunjab, ProvinceSindh, ProvinceKhyberPakhtunkhwa,
		ProvinceBalochistan, ProvinceGilgitBaltistan, ProvinceAzadJammuKashmir,
	}
}

// Valid reports whether p is one of Provinces.
func (p Province) Valid() bool { return slices.Contains(Provinces(), p) }

// ZoneStatus is where a zone stands in law: planned (registered, not yet notified), notified
// (declared a zone; space in it can be allocated) or denotified (no longer a zone).
type ZoneStatus string

// Zone statuses.
const (
	ZoneStatusPlanned    ZoneStatus = "planned"
	ZoneStatusNotified   ZoneStatus = "notified"
	ZoneStatusDenotified ZoneStatus = "denotified"
)

// ZoneStatuses returns every valid ZoneStatus; a new slice each call.
func ZoneStatuses() []ZoneStatus {
	return []ZoneStatus{ZoneStatusPlanned, ZoneStatusNotified, ZoneStatusDenotified}
}

// Valid reports whether s is one of ZoneStatuses.
func (s ZoneStatus) Valid() bool { return slices.Contains(ZoneStatuses(), s) }

// LandUse is what a plot, or a unit, may be used for. Requests ask for space by land use, so
// plots and units share one classification.
type LandUse string

// Land uses.
const (
	LandUseITPark      LandUse = "it_park"
	LandUseIndustrial  LandUse = "industrial"
	LandUseCommercial  LandUse = "commercial"
	LandUseResidential LandUse = "residential"
	LandUseUtilities   LandUse = "utilities"
	LandUseGreen       LandUse = "green"
)

// LandUses returns every valid LandUse; a new slice each call.
func LandUses() []LandUse {
	return []LandUse{LandUseITPark, LandUseIndustrial, LandUseCommercial, LandUseResidential, LandUseUtilities, LandUseGreen}
}

// Valid reports whether u is one of LandUses.
func (u LandUse) Valid() bool { return slices.Contains(LandUses(), u) }

// SpaceKind is the kind of space that can be requested and leased.
type SpaceKind string

// Space kinds.
const (
	SpaceKindPlot SpaceKind = "plot"
	SpaceKindUnit SpaceKind = "unit"
)

// SpaceKinds returns every valid SpaceKind; a new slice each call.
func SpaceKinds() []SpaceKind { return []SpaceKind{SpaceKindPlot, SpaceKindUnit} }

// Valid reports whether k is one of SpaceKinds.
func (k SpaceKind) Valid() bool { return slices.Contains(SpaceKinds(), k) }

// TerminationCause is why a lease is ending before its term.
type TerminationCause string

// Termination causes.
const (
	TerminationNotice             TerminationCause = "notice"
	TerminationLicenceRevoked     TerminationCause = "licence_revoked"
	TerminationLicenceSurrendered TerminationCause = "licence_surrendered"
)

// TerminationCauses returns every valid TerminationCause; a new slice each call.
func TerminationCauses() []TerminationCause {
	return []TerminationCause{TerminationNotice, TerminationLicenceRevoked, TerminationLicenceSurrendered}
}

// Valid reports whether c is one of TerminationCauses.
func (c TerminationCause) Valid() bool { return slices.Contains(TerminationCauses(), c) }

// EndCause is why a lease ended: its term ran out, or one of the TerminationCauses.
type EndCause string

// End causes.
const (
	EndTermEnd            EndCause = "term_end"
	EndNotice             EndCause = "notice"
	EndLicenceRevoked     EndCause = "licence_revoked"
	EndLicenceSurrendered EndCause = "licence_surrendered"
)

// EndCauses returns every valid EndCause; a new slice each call.
func EndCauses() []EndCause {
	return []EndCause{EndTermEnd, EndNotice, EndLicenceRevoked, EndLicenceSurrendered}
}

// Valid reports whether c is one of EndCauses.
func (c EndCause) Valid() bool { return slices.Contains(EndCauses(), c) }

// EndCause returns the EndCause a lease terminating for c ends with.
func (c TerminationCause) EndCause() EndCause { return EndCause(c) }

// Milestone is a construction milestone a land lease records.
type Milestone string

// Milestones.
const (
	MilestoneConstructionStarted   Milestone = "construction_started"
	MilestoneConstructionCompleted Milestone = "construction_completed"
)

// Milestones returns every valid Milestone; a new slice each call.
func Milestones() []Milestone {
	return []Milestone{MilestoneConstructionStarted, MilestoneConstructionCompleted}
}

// Valid reports whether m is one of Milestones.
func (m Milestone) Valid() bool { return slices.Contains(Milestones(), m) }

// MissedMilestone is a construction milestone whose due date passed unrecorded, leaving the
// space idle: construction_start is due by a lease's construction_start_due,
// construction_completion by its construction_complete_due.
type MissedMilestone string

// Missed milestones.
const (
	MissedConstructionStart      MissedMilestone = "construction_start"
	MissedConstructionCompletion MissedMilestone = "construction_completion"
)

// MissedMilestones returns every valid MissedMilestone; a new slice each call.
func MissedMilestones() []MissedMilestone {
	return []MissedMilestone{MissedConstructionStart, MissedConstructionCompletion}
}

// Valid reports whether m is one of MissedMilestones.
func (m MissedMilestone) Valid() bool { return slices.Contains(MissedMilestones(), m) }

// Space names one leasable space: a plot or a unit, by id.
type Space struct {
	Kind SpaceKind `json:"kind"`
	ID   string    `json:"id"`
}

// Validate checks the kind and the id.
func (s Space) Validate() error { return values.Validate(s.check) }

func (s Space) check(c values.Checker) {
	values.Enum(c, "kind", s.Kind, SpaceKinds())
	c.ID("id", s.ID)
}

// Requirements describe the space a request asks for when it names none: its land use and an
// area range in square metres (MaxAreaM2 absent means no upper bound).
type Requirements struct {
	LandUse   LandUse  `json:"land_use"`
	MinAreaM2 float64  `json:"min_area_m2"`
	MaxAreaM2 *float64 `json:"max_area_m2,omitempty"`
}

// Validate checks the land use, both areas and that the range is not empty.
func (r Requirements) Validate() error { return values.Validate(r.check) }

func (r Requirements) check(c values.Checker) {
	values.Enum(c, "land_use", r.LandUse, LandUses())
	area(c, "min_area_m2", r.MinAreaM2)
	if r.MaxAreaM2 != nil {
		area(c, "max_area_m2", *r.MaxAreaM2)
		if *r.MaxAreaM2 < r.MinAreaM2 {
			c.Add("max_area_m2", "must not be less than min_area_m2")
		}
	}
}

// Terms are the terms of an offer, which become the lease's when the tenant accepts: the lease
// runs TermMonths from StartDate, rent is RentPerM2Month per square metre per month, and the
// offer lapses after OfferValidUntil.
type Terms struct {
	StartDate       values.Date  `json:"start_date"`
	TermMonths      int          `json:"term_months"`
	RentPerM2Month  values.Money `json:"rent_per_m2_month"`
	Deposit         values.Money `json:"deposit"`
	NoticeMonths    int          `json:"notice_months"`
	OfferValidUntil values.Date  `json:"offer_valid_until"`
}

// Validate checks every field: a term of at least one month, a notice period within the term,
// amounts that are not negative.
func (t Terms) Validate() error { return values.Validate(t.check) }

func (t Terms) check(c values.Checker) {
	c.Date("start_date", t.StartDate)
	if t.TermMonths < 1 {
		c.Add("term_months", "must be at least 1")
	}
	c.Amount("rent_per_m2_month", t.RentPerM2Month)
	c.Amount("deposit", t.Deposit)
	noticeMonths(c, "notice_months", t.NoticeMonths, t.TermMonths)
	c.Date("offer_valid_until", t.OfferValidUntil)
}

// PlotPart is one of the plots a subdivision creates.
type PlotPart struct {
	PlotID   string   `json:"plot_id"`
	Code     string   `json:"code"`
	AreaM2   float64  `json:"area_m2"`
	LandUse  LandUse  `json:"land_use"`
	Boundary *Polygon `json:"boundary,omitempty"`
}

// Validate checks every field.
func (p PlotPart) Validate() error { return values.Validate(p.check) }

func (p PlotPart) check(c values.Checker) {
	c.ID("plot_id", p.PlotID)
	c.Code("code", p.Code)
	area(c, "area_m2", p.AreaM2)
	values.Enum(c, "land_use", p.LandUse, LandUses())
	polygon(c, "boundary", p.Boundary)
}

// GeometryType is the GeoJSON type of a boundary; only polygons are carried.
type GeometryType string

// GeometryPolygon is the GeoJSON Polygon type.
const GeometryPolygon GeometryType = "Polygon"

// GeometryTypes returns every valid GeometryType; a new slice each call.
func GeometryTypes() []GeometryType { return []GeometryType{GeometryPolygon} }

// Position is a GeoJSON position: [longitude, latitude] in degrees (WGS 84), exactly two
// numbers; altitude is not carried.
type Position []float64

// LinearRing is a closed GeoJSON ring: at least four positions, the last equal to the first.
type LinearRing []Position

// Polygon is a GeoJSON (RFC 7946) Polygon geometry object: the exterior ring, then any holes.
// Validate checks its structure only (type, closed rings of at least four positions, longitude
// and latitude in range); that the rings are simple, correctly wound and the holes inside the
// exterior is the allocation service's business.
type Polygon struct {
	Type        GeometryType `json:"type"`
	Coordinates []LinearRing `json:"coordinates"`
}

// NewPolygon returns the Polygon of the given rings, exterior first.
func NewPolygon(rings ...LinearRing) Polygon {
	return Polygon{Type: GeometryPolygon, Coordinates: rings}
}

// Validate checks the structure of the polygon.
func (p Polygon) Validate() error { return values.Validate(p.check) }

func (p Polygon) check(c values.Checker) {
	values.Enum(c, "type", p.Type, GeometryTypes())
	if len(p.Coordinates) == 0 {
		c.Add("coordinates", "must hold at least the exterior ring")
	}
	for i, ring := range p.Coordinates {
		rc := c.At(values.Index("coordinates", i))
		if len(ring) < 4 {
			rc.Add("", "a linear ring needs at least 4 positions")
		}
		bad := false
		for j, pos := range ring {
			if !checkPosition(rc.At(values.Index("", j)), pos) {
				bad = true
			}
		}
		if !bad && len(ring) >= 4 && !slices.Equal(ring[0], ring[len(ring)-1]) {
			rc.Add("", "a linear ring must end at the position it starts from")
		}
	}
}

// checkPosition reports a position that is not [longitude, latitude] in range, and whether it
// was good.
func checkPosition(c values.Checker, pos Position) bool {
	if len(pos) != 2 {
		c.Add("", "must be [longitude, latitude]")
		return false
	}
	ok := true
	if !(pos[0] >= -180 && pos[0] <= 180) {
		c.Add(values.Index("", 0), "longitude must be within [-180, 180]")
		ok = false
	}
	if !(pos[1] >= -90 && pos[1] <= 90) {
		c.Add(values.Index("", 1), "latitude must be within [-90, 90]")
		ok = false
	}
	return ok
}
