package cli

import (
	"io"
	"net/http"

	"github.com/spf13/cobra"
)

// exampleApplication is a body that the tenants service accepts as it is, so a new user can
// start from `zonectl applications create --example > app.json`.
const exampleApplication = `{
  "applicant": {
    "legal_name": "Indus Robotics (Pvt) Ltd",
    "registration_number": "0123456",
    "tax_number": "1234567-8",
    "country": "PK",
    "contact": {
      "name": "Ayesha Khan",
      "email": "ayesha.khan@example.com",
      "phone": "+923001234567"
    }
  },
  "kind": "zone_enterprise",
  "zone": "ISB",
  "sector": "ai",
  "commitments": {
    "headcount": 45,
    "investment": {"amount_minor": 250000000000, "currency": "PKR"},
    "exports": {"amount_minor": 90000000000, "currency": "PKR"},
    "rnd_spend": {"amount_minor": 12000000000, "currency": "PKR"}
  }
}
`

func applicationsResource() resource {
	return resource{
		api:       tenantsAPI,
		path:      "/v1/applications",
		noun:      "application",
		printOne:  one(printApplication),
		printList: many(printApplications),
	}
}

func newApplicationsCommand(o *options) *cobra.Command {
	r := applicationsResource()
	cmd := &cobra.Command{
		Use:     "applications",
		Aliases: []string{"application", "apps", "app"},
		Short:   "Create applications for a licence and move them to a decision",
	}
	cmd.AddCommand(
		newCreateApplicationCommand(o, r),
		newListCommand(o, r, true),
		newGetCommand(o, r),
		newUpdateApplicationCommand(o, r),
		newHistoryCommand(o, r),
	)
	for _, a := range []actionSpec{
		{use: "submit", short: "Submit a draft; starts the legal decision clock"},
		{use: "deficiency", path: "deficiencies", short: "Note a deficiency; pauses the clock until resubmitted",
			reason: needRequired, flags: []actionFlag{replyDueFlag(needOptional)}},
		{use: "resubmit", short: "Resubmit after a deficiency; the clock resumes"},
		{use: "approve", short: "Approve; grants the licence and prints it", result: one(printLicence)},
		{use: "reject", short: "Reject with a reason", reason: needRequired},
		{use: "withdraw", short: "Withdraw an open application", reason: needOptional},
	} {
		cmd.AddCommand(newActionCommand(o, r, a))
	}
	return cmd
}

func newCreateApplicationCommand(o *options, r resource) *cobra.Command {
	var file, key string
	var example bool
	cmd := &cobra.Command{
		Use:   "create -f FILE",
		Short: "Create a draft application from a JSON file (--example prints one)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if example {
				_, err := io.WriteString(o.env.Stdout, exampleApplication)
				return err
			}
			body, err := o.readBody(file)
			if err != nil {
				return err
			}
			cl, err := o.client(r.api)
			if err != nil {
				return err
			}
			raw, err := o.create(cmd.Context(), cl, call{method: http.MethodPost, path: r.path, body: body}, key)
			if err != nil {
				return err
			}
			return o.emit(raw, r.printOne)
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "application JSON (licensing.ApplicationInput); - reads stdin")
	cmd.Flags().StringVar(&key, "idempotency-key", "", "Idempotency-Key header (a fresh UUID when empty)")
	cmd.Flags().BoolVar(&example, "example", false, "print an example body and exit")
	return cmd
}

func newUpdateApplicationCommand(o *options, r resource) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "update ID -f FILE",
		Short: "Replace a draft's content with a JSON file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body, err := o.readBody(file)
			if err != nil {
				return err
			}
			cl, err := o.client(r.api)
			if err != nil {
				return err
			}
			raw, err := cl.do(cmd.Context(), call{method: http.MethodPut, path: r.itemPath(args[0]), body: body}, nil)
			if err != nil {
				return err
			}
			return o.emit(raw, r.printOne)
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "application JSON (licensing.ApplicationInput); - reads stdin")
	return cmd
}
