package service

import (
	"context"
	"fmt"

	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Records name their zone, plot, building and space by id, which is what a program keeps but
// not what a person reads. The views below are the records as the API shows them: the same
// fields, plus the codes and names of what they refer to, and for a plot whether it is let.
// They only add fields, so a client that reads the records as they were still can.

// PlotView is a plot with its zone's code and how much of it leases hold now.
type PlotView struct {
	*zoning.Plot
	ZoneCode string `json:"zone_code"`
	// Let is true when a land lease (active or terminating) holds the plot itself.
	Let bool `json:"let"`
	// UnitsLet counts the units on the plot that leases hold.
	UnitsLet int `json:"units_let"`
}

// BuildingView is a building with the codes of its zone and plot.
type BuildingView struct {
	*zoning.Building
	ZoneCode string `json:"zone_code"`
	PlotCode string `json:"plot_code"`
}

// UnitView is a unit with the codes of its zone and plot and its building's name.
type UnitView struct {
	*zoning.Unit
	ZoneCode     string `json:"zone_code"`
	PlotCode     string `json:"plot_code"`
	BuildingName string `json:"building_name"`
}

// RequestView is an allocation request with its zone's code and the readable names of the
// space it asks for and the space offered (see SpaceCode).
type RequestView struct {
	*leasing.Request
	ZoneCode       string `json:"zone_code"`
	SpaceCode      string `json:"space_code,omitempty"`
	OfferSpaceCode string `json:"offer_space_code,omitempty"`
}

// LeaseView is a lease with the codes of its zone, its plot and its space.
type LeaseView struct {
	*leasing.Lease
	ZoneCode  string `json:"zone_code"`
	PlotCode  string `json:"plot_code"`
	SpaceCode string `json:"space_code"`
}

// OccupancyView is a zone's occupancy with the zone's code.
type OccupancyView struct {
	leasing.Occupancy
	ZoneCode string `json:"zone_code"`
}

// Views turns records into views, reading the codes and names they need in a few queries per
// page (one per kind of name), never one per record.
type Views struct{ st *store.Store }

// NewViews returns the views over st.
func NewViews(st *store.Store) *Views { return &Views{st: st} }

// Plots shows plots.
func (v *Views) Plots(ctx context.Context, plots []*zoning.Plot) ([]PlotView, error) {
	zoneIDs, plotIDs := make([]string, len(plots)), make([]string, len(plots))
	for i, p := range plots {
		zoneIDs[i], plotIDs[i] = p.ZoneID, p.ID
	}
	zones, err := v.st.ZoneCodes(ctx, zoneIDs)
	if err != nil {
		return nil, fmt.Errorf("show plots: %w", err)
	}
	lettings, err := v.st.Lettings(ctx, plotIDs)
	if err != nil {
		return nil, fmt.Errorf("show plots: %w", err)
	}
	out := make([]PlotView, len(plots))
	for i, p := range plots {
		l := lettings[p.ID]
		out[i] = PlotView{Plot: p, ZoneCode: zones[p.ZoneID], Let: l.Land, UnitsLet: l.Units}
	}
	return out, nil
}

// Buildings shows buildings.
func (v *Views) Buildings(ctx context.Context, buildings []*zoning.Building) ([]BuildingView, error) {
	n := names{}
	for _, b := range buildings {
		n.zone(b.ZoneID)
		n.plot(b.PlotID)
	}
	if err := n.load(ctx, v.st); err != nil {
		return nil, fmt.Errorf("show buildings: %w", err)
	}
	out := make([]BuildingView, len(buildings))
	for i, b := range buildings {
		out[i] = BuildingView{Building: b, ZoneCode: n.zones[b.ZoneID], PlotCode: n.plots[b.PlotID]}
	}
	return out, nil
}

// Units shows units.
func (v *Views) Units(ctx context.Context, units []*zoning.Unit) ([]UnitView, error) {
	n := names{}
	for _, u := range units {
		n.zone(u.ZoneID)
		n.plot(u.PlotID)
		n.building(u.BuildingID)
	}
	if err := n.load(ctx, v.st); err != nil {
		return nil, fmt.Errorf("show units: %w", err)
	}
	out := make([]UnitView, len(units))
	for i, u := range units {
		out[i] = UnitView{Unit: u, ZoneCode: n.zones[u.ZoneID], PlotCode: n.plots[u.PlotID], BuildingName: n.buildings[u.BuildingID]}
	}
	return out, nil
}

// Requests shows allocation requests.
func (v *Views) Requests(ctx context.Context, requests []*leasing.Request) ([]RequestView, error) {
	n := names{}
	for _, r := range requests {
		n.zone(r.ZoneID)
		if r.Space != nil {
			n.space(*r.Space)
		}
		if r.Offer != nil {
			n.space(r.Offer.Space.Ref)
		}
	}
	if err := n.load(ctx, v.st); err != nil {
		return nil, fmt.Errorf("show requests: %w", err)
	}
	out := make([]RequestView, len(requests))
	for i, r := range requests {
		out[i] = RequestView{Request: r, ZoneCode: n.zones[r.ZoneID]}
		if r.Space != nil {
			out[i].SpaceCode = n.spaceCode(*r.Space)
		}
		if r.Offer != nil {
			out[i].OfferSpaceCode = n.spaceCode(r.Offer.Space.Ref)
		}
	}
	return out, nil
}

// Leases shows leases.
func (v *Views) Leases(ctx context.Context, leases []*leasing.Lease) ([]LeaseView, error) {
	n := names{}
	for _, l := range leases {
		n.zone(l.ZoneID)
		n.plot(l.PlotID)
		n.space(l.Space)
	}
	if err := n.load(ctx, v.st); err != nil {
		return nil, fmt.Errorf("show leases: %w", err)
	}
	out := make([]LeaseView, len(leases))
	for i, l := range leases {
		out[i] = LeaseView{Lease: l, ZoneCode: n.zones[l.ZoneID], PlotCode: n.plots[l.PlotID], SpaceCode: n.spaceCode(l.Space)}
	}
	return out, nil
}

// Occupancy shows a zone's occupancy.
func (v *Views) Occupancy(ctx context.Context, o leasing.Occupancy) (OccupancyView, error) {
	zones, err := v.st.ZoneCodes(ctx, []string{o.ZoneID})
	if err != nil {
		return OccupancyView{}, fmt.Errorf("show occupancy: %w", err)
	}
	return OccupancyView{Occupancy: o, ZoneCode: zones[o.ZoneID]}, nil
}

// names collects the ids a page of records refers to and then loads their codes and names.
type names struct {
	zoneIDs, plotIDs, buildingIDs, unitIDs []string

	zones, plots, buildings map[string]string
	units                   map[string]*zoning.Unit
}

func (n *names) zone(id string)     { n.zoneIDs = append(n.zoneIDs, id) }
func (n *names) plot(id string)     { n.plotIDs = append(n.plotIDs, id) }
func (n *names) building(id string) { n.buildingIDs = append(n.buildingIDs, id) }

func (n *names) space(ref leasing.SpaceRef) {
	switch ref.Kind {
	case leasing.KindPlot:
		n.plot(ref.ID)
	case leasing.KindUnit:
		n.unitIDs = append(n.unitIDs, ref.ID)
	}
}

// load reads every name collected; units first, since a unit is shown by its plot's code.
func (n *names) load(ctx context.Context, st *store.Store) error {
	var err error
	if n.units, err = st.Units(ctx, n.unitIDs); err != nil {
		return err
	}
	for _, u := range n.units {
		n.plot(u.PlotID)
	}
	if n.zones, err = st.ZoneCodes(ctx, n.zoneIDs); err != nil {
		return err
	}
	if n.plots, err = st.PlotCodes(ctx, n.plotIDs); err != nil {
		return err
	}
	n.buildings, err = st.BuildingNames(ctx, n.buildingIDs)
	return err
}

// spaceCode is how a person names a space: a plot by its code, a unit by its plot's
// code and its label (A-12/3-01), or its floor when it has no label (A-12/floor 3).
func (n *names) spaceCode(ref leasing.SpaceRef) string {
	switch ref.Kind {
	case leasing.KindPlot:
		return n.plots[ref.ID]
	case leasing.KindUnit:
		u, ok := n.units[ref.ID]
		if !ok {
			return ""
		}
		if u.Label != "" {
			return n.plots[u.PlotID] + "/" + u.Label
		}
		return fmt.Sprintf("%s/floor %d", n.plots[u.PlotID], u.Floor)
	}
	return ""
}
