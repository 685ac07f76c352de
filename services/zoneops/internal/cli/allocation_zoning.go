package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/spf13/cobra"

	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// geoJSONContentType is the media type of plot plans (RFC 7946), both ways.
const geoJSONContentType = "application/geo+json"

// maxPlanBytes is the largest plan the allocation service takes; a larger file is refused
// before it is sent.
const maxPlanBytes = 64 << 20

// The examples are bodies the allocation service accepts as they are (given a zone and a plot
// to put them in), so a new user can start from `zonectl zones register --example > zone.json`.
// The plot lies inside the zone; its declared area is the area its boundary measures, and the
// two parts of the subdivision example are its halves.
const (
	exampleZone = `{
  "code": "HRP",
  "name": "Haripur Special Technology Zone",
  "province": "khyber_pakhtunkhwa",
  "time_zone": "Asia/Karachi",
  "developer_tenant_id": "0195a0b0-0000-7000-8000-0000000000aa",
  "boundary": {"type": "Polygon", "coordinates": [[[72.900, 33.980], [72.920, 33.980], [72.920, 34.000], [72.900, 34.000], [72.900, 33.980]]]}
}
`
	examplePlot = `{
  "code": "A-12",
  "area_m2": 10249.26,
  "land_use": "it_park",
  "boundary": {"type": "Polygon", "coordinates": [[[72.905, 33.985], [72.906, 33.985], [72.906, 33.986], [72.905, 33.986], [72.905, 33.985]]]}
}
`
	exampleParts = `{
  "parts": [
    {"code": "A-12-1", "area_m2": 5124.63, "land_use": "it_park",
     "boundary": {"type": "Polygon", "coordinates": [[[72.905, 33.985], [72.9055, 33.985], [72.9055, 33.986], [72.905, 33.986], [72.905, 33.985]]]}},
    {"code": "A-12-2", "area_m2": 5124.63, "land_use": "it_park",
     "boundary": {"type": "Polygon", "coordinates": [[[72.9055, 33.985], [72.906, 33.985], [72.906, 33.986], [72.9055, 33.986], [72.9055, 33.985]]]}}
  ]
}
`
)

// Bodies zonectl builds from flags (zoning.BuildingInput, zoning.UnitInput, service.MergeInput).
type (
	buildingInput struct {
		Name      string `json:"name"`
		Floors    int    `json:"floors"`
		Basements int    `json:"basements"`
	}
	unitInput struct {
		Label  string      `json:"label,omitempty"`
		Floor  int         `json:"floor"`
		AreaM2 json.Number `json:"area_m2"`
		Use    string      `json:"use"`
	}
	mergeInput struct {
		PlotIDs []string `json:"plot_ids"`
		Code    string   `json:"code"`
		LandUse string   `json:"land_use,omitempty"`
	}
)

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func newOccupancyCommand(o *options, zones resource) *cobra.Command {
	return &cobra.Command{
		Use:   "occupancy " + zones.argName(),
		Short: "Show how much of a zone is let: areas, occupancy, units, waiting requests, idle spaces",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := o.client(zones.api)
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), call{method: http.MethodGet, path: zones.itemPath(args[0]) + "/occupancy"}, nil)
			if err != nil {
				return err
			}
			return o.emit(raw, one(printOccupancy))
		},
	}
}

// readPlan reads a GeoJSON plan from a file, or from stdin when path is "-". As with readBody,
// only the JSON syntax is checked here: the service reports every bad feature at once.
func (o *options) readPlan(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("-f is required: a GeoJSON FeatureCollection file (or - for stdin); `plots geojson` exports one")
	}
	var r io.Reader = o.env.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxPlanBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPlanBytes {
		return nil, fmt.Errorf("%s is larger than %d MiB, the largest plan the allocation service takes: import it in parts", path, maxPlanBytes>>20)
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("%s is not valid JSON", path)
	}
	return data, nil
}

func newImportPlanCommand(o *options) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "import ZONE -f PLAN.geojson",
		Short: "Create every plot of a GeoJSON plan, or none",
		Long: "Create every plot of a GeoJSON FeatureCollection: each feature a Polygon with the\n" +
			"properties code, area_m2 and land_use. The import is all or nothing: if any feature is\n" +
			"bad, overlaps another plot or lies outside the zone, no plot is created and every\n" +
			"problem is listed by feature.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			plan, err := o.readPlan(file)
			if err != nil {
				return err
			}
			cl, err := o.client(allocationAPI)
			if err != nil {
				return err
			}
			// Not a create in the idempotency sense: the service does not keep plans (they are
			// too large), and importing the same plan twice is refused because its codes are taken.
			c := call{method: http.MethodPost, path: zonesResource.itemPath(args[0]) + "/plots/import", body: plan,
				header: http.Header{"Content-Type": {geoJSONContentType}}}
			raw, err := cl.do(cmd.Context(), c, nil)
			if err != nil {
				return err
			}
			return o.emit(raw, one(func(w io.Writer, p page) error {
				_, err := fmt.Fprintf(w, "Created %s in zone %s.\n", plural(len(p.Items), "plot", "plots"), args[0])
				return err
			}))
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "GeoJSON FeatureCollection; - reads stdin")
	return cmd
}

func newPlanGeoJSONCommand(o *options) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "geojson ZONE [-f OUT.geojson]",
		Short: "Write a zone's live plots as a GeoJSON FeatureCollection, to open in a GIS tool or import again",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := o.client(allocationAPI)
			if err != nil {
				return err
			}
			c := call{method: http.MethodGet, path: zonesResource.itemPath(args[0]) + "/plots.geojson",
				header: http.Header{"Accept": {geoJSONContentType + ", " + httpx.ProblemContentType}}}
			raw, err := cl.do(cmd.Context(), c, nil)
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				if !bytes.HasSuffix(raw, []byte("\n")) {
					raw = append(raw, '\n')
				}
				_, err := o.env.Stdout.Write(raw)
				return err
			}
			if err := os.WriteFile(out, raw, 0o644); err != nil {
				return err
			}
			var fc struct {
				Features []json.RawMessage `json:"features"`
			}
			_ = json.Unmarshal(raw, &fc) // only for the count; the file holds what the server sent
			w := o.env.Stdout
			if o.json() {
				w = o.env.Stderr // stdout is for JSON only
			}
			_, err = fmt.Fprintf(w, "Wrote %s to %s.\n", plural(len(fc.Features), "plot", "plots"), out)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "file", "f", "", "write to this file instead of stdout")
	return cmd
}

func newSubdivideCommand(o *options) *cobra.Command {
	var file string
	var example bool
	cmd := &cobra.Command{
		Use:   "subdivide ID -f PARTS.json",
		Short: "Cut a live plot into parts whose areas add up to its own (--example prints a file)",
		Long: "Cut a live plot into two or more new plots. The file holds {\"parts\": [...]} or just the\n" +
			"array; each part is a plot (code, area_m2, land_use, and a boundary when the plot has one:\n" +
			"the parts' boundaries must cover it exactly). The plot is retired; its parts are printed.",
		Args: cobra.MaximumNArgs(1), // exactly one unless --example: checked in RunE
		RunE: func(cmd *cobra.Command, args []string) error {
			if example {
				_, err := io.WriteString(o.env.Stdout, exampleParts)
				return err
			}
			if err := cobra.ExactArgs(1)(cmd, args); err != nil {
				return err
			}
			body, err := o.readBody(file)
			if err != nil {
				return err
			}
			if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
				body = append(append([]byte(`{"parts":`), trimmed...), '}')
			}
			return o.post(cmd.Context(), allocationAPI, plotsResource.itemPath(args[0])+"/subdivide", body, nil, one(printPlotItems))
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", `parts JSON: {"parts": [zoning.PlotInput, ...]} or the array; - reads stdin`)
	cmd.Flags().BoolVar(&example, "example", false, "print an example file and exit")
	return cmd
}

func newMergeCommand(o *options) *cobra.Command {
	var in mergeInput
	var key string
	cmd := &cobra.Command{
		Use:   "merge ZONE --plot A --plot B --code NEW",
		Short: "Join adjacent live plots of a zone into one new plot",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(in.PlotIDs) < 2 {
				return errors.New("--plot: name at least two plots to merge")
			}
			return o.postJSON(cmd.Context(), allocationAPI, zonesResource.itemPath(args[0])+"/plots/merge", in, &key, plotsResource.printOne)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&in.PlotIDs, "plot", nil, "id of a plot to merge (repeat, or comma-separate)")
	fl.StringVar(&in.Code, "code", "", "code of the new plot, e.g. A-12")
	fl.StringVar(&in.LandUse, "land-use", "", "land use of the new plot, e.g. it_park (sent only when given)")
	idempotencyKeyFlag(cmd, &key)
	_ = cmd.MarkFlagRequired("plot")
	_ = cmd.MarkFlagRequired("code")
	return cmd
}

func newRegisterBuildingCommand(o *options) *cobra.Command {
	var in buildingInput
	var key string
	cmd := &cobra.Command{
		Use:   "register PLOT_ID --name NAME --floors N",
		Short: "Register a building on a live plot",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.postJSON(cmd.Context(), allocationAPI, plotsResource.itemPath(args[0])+"/buildings", in, &key, buildingsResource.printOne)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Name, "name", "", "name of the building, e.g. Tower B")
	fl.IntVar(&in.Floors, "floors", 0, "floors above ground, the ground floor included")
	fl.IntVar(&in.Basements, "basements", 0, "floors below ground")
	idempotencyKeyFlag(cmd, &key)
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("floors")
	return cmd
}

func newRegisterUnitCommand(o *options) *cobra.Command {
	var in unitInput
	var area, key string
	cmd := &cobra.Command{
		Use:   "register BUILDING_ID --floor N --area M2 --use USE [--label LABEL]",
		Short: "Register leasable space on a floor of a building",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if in.AreaM2, err = parseAreaFlag("area", area); err != nil {
				return err
			}
			return o.postJSON(cmd.Context(), allocationAPI, buildingsResource.itemPath(args[0])+"/units", in, &key, unitsResource.printOne)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&in.Floor, "floor", 0, "floor: 0 is the ground floor, -1 the first basement")
	fl.StringVar(&area, "area", "", "floor area in square metres, e.g. 1250.5")
	fl.StringVar(&in.Use, "use", "", "office, retail, industrial, warehouse, lab or residential")
	fl.StringVar(&in.Label, "label", "", "label, e.g. 3-A")
	idempotencyKeyFlag(cmd, &key)
	for _, name := range []string{"floor", "area", "use"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}
