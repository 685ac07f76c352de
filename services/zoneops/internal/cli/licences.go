package cli

import "github.com/spf13/cobra"

func licencesResource() resource {
	return resource{
		api:       tenantsAPI,
		path:      "/v1/licences",
		noun:      "licence",
		printOne:  one(printLicence),
		printList: many(printLicences),
	}
}

func newLicencesCommand(o *options) *cobra.Command {
	r := licencesResource()
	cmd := &cobra.Command{
		Use:     "licences",
		Aliases: []string{"licence", "licenses", "license"},
		Short:   "Inspect licences and enforce against them",
	}
	cmd.AddCommand(
		newListCommand(o, r, false),
		newGetCommand(o, r),
		newHistoryCommand(o, r),
	)
	for _, a := range []actionSpec{
		{use: "suspend", short: "Suspend an active licence (its benefits stop)", reason: needRequired},
		{use: "reinstate", short: "Reinstate a suspended licence", reason: needOptional},
		{use: "show-cause", short: "Issue a show-cause notice with a reply date", reason: needRequired, flags: []actionFlag{replyDueFlag(needRequired)}},
		{use: "reply-show-cause", path: "show-cause/reply", short: "Answer the pending show-cause notice (as the licensee)",
			flags: []actionFlag{{name: "reply", field: "reply", usage: "why the licence should not be revoked", need: needRequired}}},
		{use: "revoke", short: "Revoke a licence for good (after the licensee replied or the reply date passed)", reason: needRequired},
		{use: "surrender", short: "Record that the holder gave the licence up", reason: needOptional},
	} {
		cmd.AddCommand(newActionCommand(o, r, a))
	}
	return cmd
}
