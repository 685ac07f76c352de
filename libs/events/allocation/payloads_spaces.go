package allocation

import (
	"slices"

	"github.com/zoneops/zoneops/libs/events/values"
)

// ZoneRegistered: a zone exists in the register, with its code (the one licences name), its
// province, the time zone its legal dates are in, its status and, once known, its developer and
// boundary.
type ZoneRegistered struct {
	ZoneID            string       `json:"zone_id"`
	Code              string       `json:"code"` // e.g. "ISB"
	Name              string       `json:"name"`
	Province          Province     `json:"province"`
	TimeZone          string       `json:"time_zone"` // IANA name, e.g. "Asia/Karachi"
	Status            ZoneStatus   `json:"status"`
	DeveloperTenantID string       `json:"developer_tenant_id,omitempty"` // the zone developer's tenant id
	Boundary          *Polygon     `json:"boundary,omitempty"`
	Actor             values.Actor `json:"actor"`
}

// EventType returns TypeZoneRegistered.
func (ZoneRegistered) EventType() string { return TypeZoneRegistered }

// AggregateID returns the zone id.
func (p ZoneRegistered) AggregateID() string { return p.ZoneID }

// Validate reports every missing or malformed field.
func (p ZoneRegistered) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("zone_id", p.ZoneID)
		c.Code("code", p.Code)
		c.Text("name", p.Name)
		values.Enum(c, "province", p.Province, Provinces())
		c.Pattern("time_zone", p.TimeZone, timeZonePattern)
		values.Enum(c, "status", p.Status, ZoneStatuses())
		c.OptionalID("developer_tenant_id", p.DeveloperTenantID)
		polygon(c, "boundary", p.Boundary)
		c.Actor("actor", p.Actor)
	})
}

// ZoneStatusChanged: the zone moved from one status to another (for example it was notified,
// so its space can be allocated, or denotified).
type ZoneStatusChanged struct {
	ZoneID string       `json:"zone_id"`
	From   ZoneStatus   `json:"from"`
	To     ZoneStatus   `json:"to"`
	Reason string       `json:"reason,omitempty"`
	Actor  values.Actor `json:"actor"`
}

// EventType returns TypeZoneStatusChanged.
func (ZoneStatusChanged) EventType() string { return TypeZoneStatusChanged }

// AggregateID returns the zone id.
func (p ZoneStatusChanged) AggregateID() string { return p.ZoneID }

// Validate reports every missing or malformed field, and a change that changes nothing.
func (p ZoneStatusChanged) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("zone_id", p.ZoneID)
		values.Enum(c, "from", p.From, ZoneStatuses())
		values.Enum(c, "to", p.To, ZoneStatuses())
		if p.From != "" && p.From == p.To {
			c.Add("to", "must differ from from")
		}
		c.OptionalText("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// PlotCreated: a plot was laid out in a zone.
type PlotCreated struct {
	PlotID   string       `json:"plot_id"`
	ZoneID   string       `json:"zone_id"`
	Code     string       `json:"code"` // e.g. "ISB-A-014"
	AreaM2   float64      `json:"area_m2"`
	LandUse  LandUse      `json:"land_use"`
	Boundary *Polygon     `json:"boundary,omitempty"`
	Actor    values.Actor `json:"actor"`
}

// EventType returns TypePlotCreated.
func (PlotCreated) EventType() string { return TypePlotCreated }

// AggregateID returns the plot id.
func (p PlotCreated) AggregateID() string { return p.PlotID }

// Validate reports every missing or malformed field.
func (p PlotCreated) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("plot_id", p.PlotID)
		c.ID("zone_id", p.ZoneID)
		c.Code("code", p.Code)
		area(c, "area_m2", p.AreaM2)
		values.Enum(c, "land_use", p.LandUse, LandUses())
		polygon(c, "boundary", p.Boundary)
		c.Actor("actor", p.Actor)
	})
}

// PlotSubdivided: the parent plot was divided into Parts, each a new plot (announced here,
// not by plot.created); the parent can no longer be allocated. The aggregate is the parent.
type PlotSubdivided struct {
	ParentPlotID string       `json:"parent_plot_id"`
	ZoneID       string       `json:"zone_id"`
	Parts        []PlotPart   `json:"parts"`
	Actor        values.Actor `json:"actor"`
}

// EventType returns TypePlotSubdivided.
func (PlotSubdivided) EventType() string { return TypePlotSubdivided }

// AggregateID returns the parent plot's id.
func (p PlotSubdivided) AggregateID() string { return p.ParentPlotID }

// Validate reports every missing or malformed field, fewer than two parts, and parts that
// repeat an id or a code or reuse the parent's id.
func (p PlotSubdivided) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("parent_plot_id", p.ParentPlotID)
		c.ID("zone_id", p.ZoneID)
		if len(p.Parts) < 2 {
			c.Add("parts", "a subdivision makes at least 2 plots")
		}
		for i, part := range p.Parts {
			pc := c.At(values.Index("parts", i))
			part.check(pc)
			if part.PlotID != "" && part.PlotID == p.ParentPlotID {
				pc.Add("plot_id", "must differ from parent_plot_id")
			}
			for _, earlier := range p.Parts[:i] {
				if part.PlotID != "" && part.PlotID == earlier.PlotID {
					pc.Add("plot_id", "used by an earlier part")
				}
				if part.Code != "" && part.Code == earlier.Code {
					pc.Add("code", "used by an earlier part")
				}
			}
		}
		c.Actor("actor", p.Actor)
	})
}

// PlotMerged: the source plots were merged into one new plot (announced here, not by
// plot.created); the sources can no longer be allocated. The aggregate is the new plot.
type PlotMerged struct {
	ZoneID        string       `json:"zone_id"`
	SourcePlotIDs []string     `json:"source_plot_ids"`
	PlotID        string       `json:"plot_id"`
	Code          string       `json:"code"`
	AreaM2        float64      `json:"area_m2"`
	LandUse       LandUse      `json:"land_use"`
	Boundary      *Polygon     `json:"boundary,omitempty"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypePlotMerged.
func (PlotMerged) EventType() string { return TypePlotMerged }

// AggregateID returns the new plot's id.
func (p PlotMerged) AggregateID() string { return p.PlotID }

// Validate reports every missing or malformed field, fewer than two distinct sources, and a
// new plot that reuses a source's id.
func (p PlotMerged) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("zone_id", p.ZoneID)
		c.IDs("source_plot_ids", p.SourcePlotIDs, 2)
		c.ID("plot_id", p.PlotID)
		if p.PlotID != "" && slices.Contains(p.SourcePlotIDs, p.PlotID) {
			c.Add("plot_id", "must differ from every source plot id")
		}
		c.Code("code", p.Code)
		area(c, "area_m2", p.AreaM2)
		values.Enum(c, "land_use", p.LandUse, LandUses())
		polygon(c, "boundary", p.Boundary)
		c.Actor("actor", p.Actor)
	})
}

// PlotWithdrawn: the plot was taken out of the register and can no longer be allocated.
type PlotWithdrawn struct {
	PlotID string       `json:"plot_id"`
	ZoneID string       `json:"zone_id"`
	Reason string       `json:"reason"`
	Actor  values.Actor `json:"actor"`
}

// EventType returns TypePlotWithdrawn.
func (PlotWithdrawn) EventType() string { return TypePlotWithdrawn }

// AggregateID returns the plot id.
func (p PlotWithdrawn) AggregateID() string { return p.PlotID }

// Validate reports every missing or malformed field.
func (p PlotWithdrawn) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("plot_id", p.PlotID)
		c.ID("zone_id", p.ZoneID)
		c.Text("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// BuildingRegistered: a building on a plot was registered; its units can then be registered
// and leased.
type BuildingRegistered struct {
	BuildingID string       `json:"building_id"`
	PlotID     string       `json:"plot_id"`
	ZoneID     string       `json:"zone_id"`
	Name       string       `json:"name"`
	Floors     int          `json:"floors"` // storeys above ground, at least 1
	Actor      values.Actor `json:"actor"`
}

// EventType returns TypeBuildingRegistered.
func (BuildingRegistered) EventType() string { return TypeBuildingRegistered }

// AggregateID returns the building id.
func (p BuildingRegistered) AggregateID() string { return p.BuildingID }

// Validate reports every missing or malformed field.
func (p BuildingRegistered) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("building_id", p.BuildingID)
		c.ID("plot_id", p.PlotID)
		c.ID("zone_id", p.ZoneID)
		c.Text("name", p.Name)
		if p.Floors < 1 {
			c.Add("floors", "must be at least 1")
		}
		c.Actor("actor", p.Actor)
	})
}

// UnitRegistered: a unit (a leasable part of a building's floor) was registered.
type UnitRegistered struct {
	UnitID     string       `json:"unit_id"`
	BuildingID string       `json:"building_id"`
	PlotID     string       `json:"plot_id"`
	ZoneID     string       `json:"zone_id"`
	Floor      int          `json:"floor"` // 0 is the ground floor, negative numbers are basements
	AreaM2     float64      `json:"area_m2"`
	Use        LandUse      `json:"use"`
	Actor      values.Actor `json:"actor"`
}

// EventType returns TypeUnitRegistered.
func (UnitRegistered) EventType() string { return TypeUnitRegistered }

// AggregateID returns the unit id.
func (p UnitRegistered) AggregateID() string { return p.UnitID }

// Validate reports every missing or malformed field.
func (p UnitRegistered) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("unit_id", p.UnitID)
		c.ID("building_id", p.BuildingID)
		c.ID("plot_id", p.PlotID)
		c.ID("zone_id", p.ZoneID)
		area(c, "area_m2", p.AreaM2)
		values.Enum(c, "use", p.Use, LandUses())
		c.Actor("actor", p.Actor)
	})
}
