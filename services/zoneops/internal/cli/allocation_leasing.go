package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

// Bodies zonectl builds from flags (leasing.RequestInput, leasing.RequirementsInput and
// service.OfferInput; the terms are the terms type shared with the printers).
type (
	requirementsInput struct {
		LandUse   string      `json:"land_use"`
		MinAreaM2 json.Number `json:"min_area_m2"`
		MaxAreaM2 json.Number `json:"max_area_m2,omitempty"`
	}
	requestInput struct {
		ZoneID       string             `json:"zone_id"`
		Space        *spaceRef          `json:"space,omitempty"`
		Requirements *requirementsInput `json:"requirements,omitempty"`
	}
	offerInput struct {
		Space spaceRef `json:"space"`
		Terms terms    `json:"terms"`
	}
)

// spaceFlags are --plot and --unit: one space, named by id.
type spaceFlags struct{ plot, unit string }

func (s *spaceFlags) bind(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&s.plot, "plot", "", "id of the plot "+what)
	cmd.Flags().StringVar(&s.unit, "unit", "", "id of the unit "+what)
}

// ref returns the space named, or nil when neither flag was given.
func (s *spaceFlags) ref() *spaceRef {
	switch {
	case s.plot != "":
		return &spaceRef{Kind: "plot", ID: s.plot}
	case s.unit != "":
		return &spaceRef{Kind: "unit", ID: s.unit}
	}
	return nil
}

func newSubmitRequestCommand(o *options) *cobra.Command {
	var (
		space                     spaceFlags
		in                        requestInput
		landUse, minArea, maxArea string
		key                       string
	)
	cmd := &cobra.Command{
		Use:   "submit --zone ZONE (--plot ID | --unit ID | --land-use USE --min-area M2 [--max-area M2])",
		Short: "Ask for space in a zone: a named plot or unit, or any space of a land use and size",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in.Space = space.ref()
			if in.Space == nil {
				req := requirementsInput{LandUse: landUse}
				var err error
				if req.MinAreaM2, err = parseAreaFlag("min-area", minArea); err != nil {
					return err
				}
				if maxArea != "" {
					if req.MaxAreaM2, err = parseAreaFlag("max-area", maxArea); err != nil {
						return err
					}
				}
				in.Requirements = &req
			}
			return o.postJSON(cmd.Context(), allocationAPI, requestsResource.path, in, &key, requestsResource.printOne)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.ZoneID, "zone", "", "the zone, by code (ISB) or id")
	space.bind(cmd, "wanted")
	fl.StringVar(&landUse, "land-use", "", "land use wanted when no space is named, e.g. industrial")
	fl.StringVar(&minArea, "min-area", "", "smallest area wanted, square metres")
	fl.StringVar(&maxArea, "max-area", "", "largest area wanted, square metres (default: no limit)")
	idempotencyKeyFlag(cmd, &key)
	_ = cmd.MarkFlagRequired("zone")
	cmd.MarkFlagsOneRequired("plot", "unit", "land-use")
	cmd.MarkFlagsMutuallyExclusive("plot", "unit", "land-use")
	cmd.MarkFlagsMutuallyExclusive("plot", "unit", "max-area")
	cmd.MarkFlagsRequiredTogether("land-use", "min-area")
	return cmd
}

func newOfferCommand(o *options) *cobra.Command {
	var (
		space                spaceFlags
		rent, deposit, cur   string
		start, validUntil    string
		months, noticeMonths int
	)
	cmd := &cobra.Command{
		Use: "offer ID (--plot ID | --unit ID) --start DATE --months N --rent AMOUNT --currency CUR " +
			"--valid-until DATE [--deposit AMOUNT] [--notice-months N]",
		Short: "Offer a space on terms for a submitted request",
		Long: "Offer a space on terms for a submitted request. Amounts are in major units (1500.50\n" +
			"rupees); zonectl sends them in minor units (150050 paisa), converted exactly. The rent\n" +
			"is per square metre per month; the deposit, in the same currency, defaults to none.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, d := range []struct{ flag, v string }{{"start", start}, {"valid-until", validUntil}} {
				if err := checkDate(d.flag, d.v); err != nil {
					return err
				}
			}
			rentMinor, err := minorUnits(rent, cur)
			if err != nil {
				return fmt.Errorf("--rent %w", err)
			}
			var depositMinor int64
			if deposit != "" {
				if depositMinor, err = minorUnits(deposit, cur); err != nil {
					return fmt.Errorf("--deposit %w", err)
				}
			}
			t := terms{
				StartDate: start, TermMonths: months, NoticeMonths: noticeMonths, OfferValidUntil: validUntil,
				Rent:    money{AmountMinor: rentMinor, Currency: cur},
				Deposit: money{AmountMinor: depositMinor, Currency: cur},
			}
			body := offerInput{Space: *space.ref(), Terms: t}
			return o.postJSON(cmd.Context(), allocationAPI, requestsResource.itemPath(args[0])+"/offer", body, nil, requestsResource.printOne)
		},
	}
	fl := cmd.Flags()
	space.bind(cmd, "offered")
	fl.StringVar(&start, "start", "", "first day of the lease, YYYY-MM-DD")
	fl.IntVar(&months, "months", 0, "term in months")
	fl.StringVar(&rent, "rent", "", "rent per m² per month in major units, e.g. 1500.50")
	fl.StringVar(&cur, "currency", "", "ISO 4217 currency of rent and deposit, e.g. PKR")
	fl.StringVar(&deposit, "deposit", "", "security deposit in major units (default: none)")
	fl.IntVar(&noticeMonths, "notice-months", 0, "notice period in months")
	fl.StringVar(&validUntil, "valid-until", "", "last day the offer may be accepted, YYYY-MM-DD")
	for _, name := range []string{"start", "months", "rent", "currency", "valid-until"} {
		_ = cmd.MarkFlagRequired(name)
	}
	cmd.MarkFlagsOneRequired("plot", "unit")
	cmd.MarkFlagsMutuallyExclusive("plot", "unit")
	return cmd
}
