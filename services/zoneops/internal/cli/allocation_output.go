package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// The types below are zonectl's reading of the allocation API's JSON (zoning.Zone, Plot,
// Building, Unit and leasing.Request, Lease, Occupancy are internal to that module). As for
// the tenants types, they hold only what the tables show; `-o json` prints the server's bytes.
//
// The service adds to each record the codes and names of what it refers to (zone_code,
// plot_code, space_code, building_name) and, for a plot, whether it is let; the tables show
// those rather than ids, and fall back to the id when a field is missing (an older server).
//
// Areas are read as float64: they are only shown, rounded to hundredths of a square metre
// (zoning keeps them in hundredths, leasing as floats). Money stays in integer minor units.

type zone struct {
	ID                string          `json:"id"`
	Code              string          `json:"code"`
	Name              string          `json:"name"`
	Province          string          `json:"province"`
	TimeZone          string          `json:"time_zone"`
	Boundary          json.RawMessage `json:"boundary"`
	DeveloperTenantID string          `json:"developer_tenant_id"`
	Status            string          `json:"status"`
	NotifiedAt        *time.Time      `json:"notified_at"`
	DenotifiedAt      *time.Time      `json:"denotified_at"`
	Version           int64           `json:"version"`
	CreatedAt         time.Time       `json:"created_at"`
	UpdatedAt         time.Time       `json:"updated_at"`
}

type plot struct {
	ID        string          `json:"id"`
	ZoneID    string          `json:"zone_id"`
	ZoneCode  string          `json:"zone_code"`
	Let       bool            `json:"let"`
	UnitsLet  int             `json:"units_let"`
	Code      string          `json:"code"`
	AreaM2    float64         `json:"area_m2"`
	LandUse   string          `json:"land_use"`
	Boundary  json.RawMessage `json:"boundary"`
	Status    string          `json:"status"`
	Parents   []string        `json:"parents"`
	Children  []string        `json:"children"`
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

type building struct {
	ID        string    `json:"id"`
	ZoneID    string    `json:"zone_id"`
	ZoneCode  string    `json:"zone_code"`
	PlotID    string    `json:"plot_id"`
	PlotCode  string    `json:"plot_code"`
	Name      string    `json:"name"`
	Floors    int       `json:"floors"`
	Basements int       `json:"basements"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type unit struct {
	ID           string    `json:"id"`
	ZoneID       string    `json:"zone_id"`
	ZoneCode     string    `json:"zone_code"`
	PlotID       string    `json:"plot_id"`
	PlotCode     string    `json:"plot_code"`
	BuildingID   string    `json:"building_id"`
	BuildingName string    `json:"building_name"`
	Label        string    `json:"label"`
	Floor        int       `json:"floor"`
	AreaM2       float64   `json:"area_m2"`
	Use          string    `json:"use"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// spaceRef names a plot or a unit; it is also the "space" of a request or an offer zonectl
// sends (leasing.SpaceRefInput).
type spaceRef struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

func (s *spaceRef) String() string {
	if s == nil || s.ID == "" {
		return ""
	}
	return s.Kind + "/" + s.ID
}

// named shows the space as a person names it, "plot A-12" or "unit A-12/3-01", given the
// code the server sent (its kind and id when there is none).
func (s *spaceRef) named(code string) string {
	if s == nil || s.ID == "" {
		return ""
	}
	if code == "" {
		return s.String()
	}
	return s.Kind + " " + code
}

// namedWithID is named with the id beside the code, for the one-record views.
func (s *spaceRef) namedWithID(code string) string {
	if code == "" {
		return s.String()
	}
	return s.named(code) + " (" + s.ID + ")"
}

// codeOr is a record's code, or its id when the server sent no code.
func codeOr(code, id string) string {
	if code != "" {
		return code
	}
	return id
}

// withID shows a referenced record by its code with its id beside it, for the one-record
// views, where the id is what the next command takes.
func withID(code, id string) string {
	if code == "" || id == "" {
		return codeOr(code, id)
	}
	return code + " (" + id + ")"
}

type requirements struct {
	LandUse   string   `json:"land_use"`
	MinAreaM2 float64  `json:"min_area_m2"`
	MaxAreaM2 *float64 `json:"max_area_m2"`
}

func (r *requirements) String() string {
	if r == nil {
		return ""
	}
	if r.MaxAreaM2 == nil {
		return fmt.Sprintf("%s, %s or more", r.LandUse, formatArea(r.MinAreaM2))
	}
	return fmt.Sprintf("%s, %s to %s", r.LandUse, formatArea(r.MinAreaM2), formatArea(*r.MaxAreaM2))
}

// terms are the terms of an offer, as the server shows them and as zonectl sends them
// (leasing.Terms and leasing.TermsInput have the same JSON).
type terms struct {
	StartDate       string `json:"start_date"`
	TermMonths      int    `json:"term_months"`
	Rent            money  `json:"rent_per_m2_month"`
	Deposit         money  `json:"deposit"`
	NoticeMonths    int    `json:"notice_months"`
	OfferValidUntil string `json:"offer_valid_until"`
}

type allocationRequest struct {
	ID           string        `json:"id"`
	TenantID     string        `json:"tenant_id"`
	LicenceID    string        `json:"licence_id"`
	ZoneID       string        `json:"zone_id"`
	ZoneCode     string        `json:"zone_code"`
	Space        *spaceRef     `json:"space"`
	SpaceCode    string        `json:"space_code"`
	Requirements *requirements `json:"requirements"`
	Status       string        `json:"status"`
	OfferCode    string        `json:"offer_space_code"`
	Offer        *struct {
		Space struct {
			Ref     spaceRef `json:"ref"`
			AreaM2  float64  `json:"area_m2"`
			LandUse string   `json:"land_use"`
		} `json:"space"`
		Terms     terms     `json:"terms"`
		OfferedAt time.Time `json:"offered_at"`
		OfferedBy struct {
			Subject string `json:"subject"`
			Role    string `json:"role"`
		} `json:"offered_by"`
	} `json:"offer"`
	LeaseID   string    `json:"lease_id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// wants is what the request asks for: a named space or requirements.
func (r allocationRequest) wants() string {
	if r.Space != nil {
		return r.Space.named(r.SpaceCode)
	}
	return r.Requirements.String()
}

// offered is the space offered, "" before an offer.
func (r allocationRequest) offered() string {
	if r.Offer == nil {
		return ""
	}
	return r.Offer.Space.Ref.named(r.OfferCode)
}

type lease struct {
	ID                      string    `json:"id"`
	RequestID               string    `json:"request_id"`
	TenantID                string    `json:"tenant_id"`
	LicenceID               string    `json:"licence_id"`
	ZoneID                  string    `json:"zone_id"`
	ZoneCode                string    `json:"zone_code"`
	Space                   spaceRef  `json:"space"`
	SpaceCode               string    `json:"space_code"`
	PlotID                  string    `json:"plot_id"`
	PlotCode                string    `json:"plot_code"`
	AreaM2                  float64   `json:"area_m2"`
	LandUse                 string    `json:"land_use"`
	LandLease               bool      `json:"land_lease"`
	Start                   string    `json:"start"`
	End                     string    `json:"end"`
	Rent                    money     `json:"rent_per_m2_month"`
	Deposit                 money     `json:"deposit"`
	NoticeMonths            int       `json:"notice_months"`
	Status                  string    `json:"status"`
	NoticeGivenOn           string    `json:"notice_given_on"`
	EndsOn                  string    `json:"ends_on"`
	Cause                   string    `json:"cause"`
	EndedOn                 string    `json:"ended_on"`
	ConstructionStartDue    string    `json:"construction_start_due"`
	ConstructionCompleteDue string    `json:"construction_complete_due"`
	ConstructionStarted     string    `json:"construction_started"`
	ConstructionCompleted   string    `json:"construction_completed"`
	Idle                    bool      `json:"idle"`
	IdleReason              string    `json:"idle_reason"`
	Version                 int64     `json:"version"`
	CreatedAt               time.Time `json:"created_at"`
	UpdatedAt               time.Time `json:"updated_at"`
}

type occupancy struct {
	ZoneID            string  `json:"zone_id"`
	ZoneCode          string  `json:"zone_code"`
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

// groupThousands puts a comma between every three digits of the whole part of a decimal:
// "1234567.5" → "1,234,567.5".
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// formatArea shows square metres to the hundredth with thousands separators, without
// decimals when there are none: "120,000 m²", "1,234.50 m²".
func formatArea(m2 float64) string { return formatM2(m2) + " m²" }

// formatM2 is the number of formatArea, without its unit.
func formatM2(m2 float64) string {
	if math.IsNaN(m2) || math.IsInf(m2, 0) {
		return "?"
	}
	s := strconv.FormatFloat(math.Round(m2*100)/100+0, 'f', 2, 64) // +0 turns -0 into 0
	return groupThousands(strings.TrimSuffix(s, ".00"))
}

// formatPercent shows a ratio (0.625) as a percentage with one decimal, without the sign
// ("62.5").
func formatPercent(ratio float64) string {
	return strconv.FormatFloat(ratio*100, 'f', 1, 64)
}

func yesNo(b bool, yes string) string {
	if b {
		return yes
	}
	return ""
}

func drawn(boundary json.RawMessage) string {
	s := strings.TrimSpace(string(boundary))
	return yesNo(s != "" && s != "null", "drawn")
}

func printZones(w io.Writer, items []zone) error {
	t := newTable(w, "ID", "CODE", "NAME", "PROVINCE", "STATUS", "NOTIFIED")
	for _, z := range items {
		t.row(z.ID, z.Code, z.Name, z.Province, z.Status, formatTimePtr(z.NotifiedAt))
	}
	return t.flush()
}

func printZone(w io.Writer, z zone) error {
	return fields(w,
		"ID", z.ID,
		"Code", z.Code,
		"Name", z.Name,
		"Status", z.Status,
		"Province", z.Province,
		"Time zone", z.TimeZone,
		"Developer", z.DeveloperTenantID,
		"Boundary", drawn(z.Boundary),
		"Notified", formatTimePtr(z.NotifiedAt),
		"Denotified", formatTimePtr(z.DenotifiedAt),
		"Version", strconv.FormatInt(z.Version, 10),
		"Created", formatTime(z.CreatedAt),
		"Updated", formatTime(z.UpdatedAt),
	)
}

// letting says whether leases hold a plot: "yes" for a land lease, "2 units" when leases
// hold units on it, "no" otherwise.
func (p plot) letting() string {
	switch {
	case p.Let:
		return "yes"
	case p.UnitsLet > 0:
		return plural(p.UnitsLet, "unit", "units")
	}
	return "no"
}

func printPlots(w io.Writer, items []plot) error {
	t := newTable(w, "ID", "ZONE", "CODE", "AREA", "LAND USE", "STATUS", "LET", "BOUNDARY")
	for _, p := range items {
		t.row(p.ID, codeOr(p.ZoneCode, p.ZoneID), p.Code, formatArea(p.AreaM2), p.LandUse, p.Status, p.letting(), drawn(p.Boundary))
	}
	return t.flush()
}

func printPlot(w io.Writer, p plot) error {
	return fields(w,
		"ID", p.ID,
		"Zone", withID(p.ZoneCode, p.ZoneID),
		"Code", p.Code,
		"Status", p.Status,
		"Let", p.letting(),
		"Area", formatArea(p.AreaM2),
		"Land use", p.LandUse,
		"Boundary", drawn(p.Boundary),
		"Parents", strings.Join(p.Parents, ", "),
		"Children", strings.Join(p.Children, ", "),
		"Version", strconv.FormatInt(p.Version, 10),
		"Created", formatTime(p.CreatedAt),
		"Updated", formatTime(p.UpdatedAt),
	)
}

// printPlotItems shows the plots of a {"items": [...]} answer (a subdivision's parts).
func printPlotItems(w io.Writer, p struct {
	Items []plot `json:"items"`
}) error {
	return printPlots(w, p.Items)
}

func printBuilding(w io.Writer, b building) error {
	return fields(w,
		"ID", b.ID,
		"Name", b.Name,
		"Zone", withID(b.ZoneCode, b.ZoneID),
		"Plot", withID(b.PlotCode, b.PlotID),
		"Floors", strconv.Itoa(b.Floors),
		"Basements", strconv.Itoa(b.Basements),
		"Version", strconv.FormatInt(b.Version, 10),
		"Created", formatTime(b.CreatedAt),
		"Updated", formatTime(b.UpdatedAt),
	)
}

func printUnits(w io.Writer, items []unit) error {
	t := newTable(w, "ID", "PLOT", "BUILDING", "FLOOR", "LABEL", "AREA", "USE")
	for _, u := range items {
		t.row(u.ID, codeOr(u.PlotCode, u.PlotID), codeOr(u.BuildingName, u.BuildingID), strconv.Itoa(u.Floor), u.Label, formatArea(u.AreaM2), u.Use)
	}
	return t.flush()
}

func printUnit(w io.Writer, u unit) error {
	return fields(w,
		"ID", u.ID,
		"Label", u.Label,
		"Zone", withID(u.ZoneCode, u.ZoneID),
		"Plot", withID(u.PlotCode, u.PlotID),
		"Building", withID(u.BuildingName, u.BuildingID),
		"Floor", strconv.Itoa(u.Floor),
		"Area", formatArea(u.AreaM2),
		"Use", u.Use,
		"Version", strconv.FormatInt(u.Version, 10),
		"Created", formatTime(u.CreatedAt),
		"Updated", formatTime(u.UpdatedAt),
	)
}

func printRequests(w io.Writer, items []allocationRequest) error {
	t := newTable(w, "ID", "STATUS", "ZONE", "TENANT", "WANTS", "OFFERED", "LEASE")
	for _, r := range items {
		t.row(r.ID, r.Status, codeOr(r.ZoneCode, r.ZoneID), r.TenantID, r.wants(), r.offered(), r.LeaseID)
	}
	return t.flush()
}

func printRequest(w io.Writer, r allocationRequest) error {
	kv := []string{
		"ID", r.ID,
		"Status", r.Status,
		"Zone", withID(r.ZoneCode, r.ZoneID),
		"Tenant", r.TenantID,
		"Licence", r.LicenceID,
		"Wants", r.wants(),
	}
	if o := r.Offer; o != nil {
		kv = append(kv,
			"Offered space", fmt.Sprintf("%s (%s, %s)", r.offered(), o.Space.LandUse, formatArea(o.Space.AreaM2)),
			"Start", o.Terms.StartDate,
			"Term", fmt.Sprintf("%d months", o.Terms.TermMonths),
			"Rent", formatMoney(o.Terms.Rent)+" per m² a month",
			"Deposit", formatMoney(o.Terms.Deposit),
			"Notice", fmt.Sprintf("%d months", o.Terms.NoticeMonths),
			"Offer valid until", o.Terms.OfferValidUntil,
			"Offered", strings.TrimSpace(formatTime(o.OfferedAt)+" by "+o.OfferedBy.Subject),
		)
	}
	kv = append(kv,
		"Lease", r.LeaseID,
		"Version", strconv.FormatInt(r.Version, 10),
		"Created", formatTime(r.CreatedAt),
		"Updated", formatTime(r.UpdatedAt),
	)
	return fields(w, kv...)
}

func printLeases(w io.Writer, items []lease) error {
	t := newTable(w, "ID", "STATUS", "ZONE", "TENANT", "SPACE", "AREA", "START", "END", "IDLE")
	for _, l := range items {
		t.row(l.ID, l.Status, codeOr(l.ZoneCode, l.ZoneID), l.TenantID, l.Space.named(l.SpaceCode), formatArea(l.AreaM2), l.Start, l.End, yesNo(l.Idle, "idle"))
	}
	return t.flush()
}

func printLease(w io.Writer, l lease) error {
	kv := []string{
		"ID", l.ID,
		"Status", l.Status,
		"Zone", withID(l.ZoneCode, l.ZoneID),
		"Tenant", l.TenantID,
		"Licence", l.LicenceID,
		"Request", l.RequestID,
		"Space", l.Space.namedWithID(l.SpaceCode),
		"Plot", withID(l.PlotCode, l.PlotID),
		"Area", formatArea(l.AreaM2),
		"Land use", l.LandUse,
		"Land lease", yesNo(l.LandLease, "yes"),
		"Start", l.Start,
		"End", l.End,
		"Rent", formatMoney(l.Rent) + " per m² a month",
		"Deposit", formatMoney(l.Deposit),
		"Notice", fmt.Sprintf("%d months", l.NoticeMonths),
		"Notice given on", l.NoticeGivenOn,
		"Ends on", l.EndsOn,
		"Cause", l.Cause,
		"Ended on", l.EndedOn,
	}
	if l.LandLease {
		kv = append(kv,
			"Construction start due", l.ConstructionStartDue,
			"Construction started", l.ConstructionStarted,
			"Construction completion due", l.ConstructionCompleteDue,
			"Construction completed", l.ConstructionCompleted,
		)
	}
	kv = append(kv,
		"Idle", strings.TrimSpace(yesNo(l.Idle, "yes")+" "+l.IdleReason),
		"Version", strconv.FormatInt(l.Version, 10),
		"Created", formatTime(l.CreatedAt),
		"Updated", formatTime(l.UpdatedAt),
	)
	return fields(w, kv...)
}

// printOccupancy writes a zone's occupancy as a short report: labels on the left, figures
// right-aligned on their last digit, units after them.
func printOccupancy(w io.Writer, o occupancy) error {
	rows := []struct{ label, figure, unit string }{
		{"Total area", formatM2(o.TotalAreaM2), "m²"},
		{"Leased area", formatM2(o.LeasedAreaM2), "m²"},
		{"Available area", formatM2(o.AvailableAreaM2), "m²"},
		{"Occupancy", formatPercent(o.OccupancyRatio), "%"},
		{"Floor area of units", formatM2(o.FloorAreaM2), "m²"},
		{"Floor area leased", formatM2(o.LeasedFloorAreaM2), "m²"},
		{"Units leased", strconv.Itoa(o.UnitsLeased), ""},
		{"Units free", strconv.Itoa(o.UnitsFree), ""},
		{"Requests waiting", strconv.Itoa(o.RequestsWaiting), ""},
		{"Idle spaces", strconv.Itoa(o.IdleSpaces), ""},
	}
	labelWidth, figureWidth := 0, 0
	for _, r := range rows {
		labelWidth = max(labelWidth, len(r.label)+1)
		figureWidth = max(figureWidth, len(r.figure))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Occupancy of zone %s\n", codeOr(o.ZoneCode, o.ZoneID))
	for _, r := range rows {
		line := fmt.Sprintf("  %-*s  %*s %s", labelWidth, r.label+":", figureWidth, r.figure, r.unit)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
