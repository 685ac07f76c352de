package leasing

// Occupancy is how much of a zone is let, for the dashboard and the zone occupancy gauges.
//
// Areas are land areas, so that the figures add up and the ratio stays between 0 and 1 however
// many storeys the buildings have:
//   - TotalAreaM2 is the sum of the land area of the zone's live plots.
//   - A plot leased as land counts its whole area as leased.
//   - A plot with units counts the share of its area that its leased units hold of its units'
//     floor area: a 1,000 m² plot whose building has 4,000 m² of units, 1,000 m² of them
//     leased, counts 250 m² leased. A unit's floor area therefore never counts twice, nor
//     on top of the land under it (and a plot is never both leased as land and through its
//     units: CheckExclusive forbids it).
//   - AvailableAreaM2 is TotalAreaM2 - LeasedAreaM2; OccupancyRatio is LeasedAreaM2 /
//     TotalAreaM2 (0 for a zone without live plots).
//
// Floor areas are reported on their own: FloorAreaM2 is the floor area of the live units,
// LeasedFloorAreaM2 the part of it held by unit leases or by a land lease of the unit's plot.
// UnitsLeased counts the live units held either way (a unit on a plot leased as land cannot
// be offered, so it is not free); UnitsFree counts the others.
//
// A space counts as leased while a lease holds it (active or terminating), from acceptance,
// even before the lease's start date: it cannot be offered again. IdleSpaces counts the
// spaces whose holding lease is idle (a construction milestone was missed). Units count only
// when their plot is a live plot of the zone.
type Occupancy struct {
	ZoneID            string  `json:"zone_id"`
	TotalAreaM2       float64 `json:"total_area_m2"`
	LeasedAreaM2      float64 `json:"leased_area_m2"`
	AvailableAreaM2   float64 `json:"available_area_m2"`
	OccupancyRatio    float64 `json:"occupancy_ratio"`
	FloorAreaM2       float64 `json:"floor_area_m2"`
	LeasedFloorAreaM2 float64 `json:"leased_floor_area_m2"`
	UnitsLeased       int     `json:"units_leased"`
	UnitsFree         int     `json:"units_free"`
	RequestsWaiting   int     `json:"requests_waiting"`
	IdleSpaces        int     `json:"idle_spaces"`
}

// ComputeOccupancy works out the occupancy of zoneID from its spaces, the leases that hold
// space in it (others are ignored, so ended leases may be passed too) and the number of
// requests waiting (submitted or offered). Spaces and leases of other zones are ignored.
func ComputeOccupancy(zoneID string, spaces []Space, leases []Lease, requestsWaiting int) Occupancy {
	o := Occupancy{ZoneID: zoneID, RequestsWaiting: max(0, requestsWaiting)}

	held := map[SpaceRef]bool{}
	idle := map[SpaceRef]bool{}
	for i := range leases {
		l := &leases[i]
		if l.ZoneID != zoneID || !l.Status.Holds() {
			continue
		}
		held[l.Space] = true
		if l.Idle {
			idle[l.Space] = true
		}
	}
	o.IdleSpaces = len(idle)

	type plot struct {
		area, floor, leasedFloor float64
		landLeased               bool
	}
	plots := map[string]*plot{}
	var order []*plot // sums run in input order, so equal inputs give equal figures
	for _, s := range spaces {
		if s.ZoneID == zoneID && s.Live && s.Ref.Kind == KindPlot && plots[s.Ref.ID] == nil {
			p := &plot{area: s.AreaM2, landLeased: held[s.Ref]}
			plots[s.Ref.ID] = p
			order = append(order, p)
		}
	}
	for _, s := range spaces {
		p := plots[s.PlotID]
		if s.ZoneID != zoneID || !s.Live || s.Ref.Kind != KindUnit || p == nil {
			continue
		}
		p.floor += s.AreaM2
		o.FloorAreaM2 += s.AreaM2
		if p.landLeased || held[s.Ref] {
			o.UnitsLeased++
			o.LeasedFloorAreaM2 += s.AreaM2
			if !p.landLeased {
				p.leasedFloor += s.AreaM2
			}
		} else {
			o.UnitsFree++
		}
	}
	for _, p := range order {
		o.TotalAreaM2 += p.area
		switch {
		case p.landLeased:
			o.LeasedAreaM2 += p.area
		case p.floor > 0:
			o.LeasedAreaM2 += p.area * p.leasedFloor / p.floor
		}
	}
	return o.Derive()
}

// Derive fills in the figures that follow from the sums (AvailableAreaM2 and OccupancyRatio)
// and bounds the counts, so that an Occupancy summed elsewhere (by the database, from the same
// rules) reads the same as one ComputeOccupancy works out.
func (o Occupancy) Derive() Occupancy {
	o.RequestsWaiting = max(0, o.RequestsWaiting)
	o.AvailableAreaM2 = max(0, o.TotalAreaM2-o.LeasedAreaM2)
	o.OccupancyRatio = 0
	if o.TotalAreaM2 > 0 {
		o.OccupancyRatio = min(1, o.LeasedAreaM2/o.TotalAreaM2)
	}
	return o
}
