package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/zoneops/zoneops/libs/platform/auth"
)

func newTokenCommand(o *options) *cobra.Command {
	var (
		role, tenant, subject, secret string
		zones                         []string
		ttl                           time.Duration
	)
	cmd := &cobra.Command{
		Use:   "token --role ROLE",
		Short: "Mint a development token (HS256) for the zoneops API",
		Long: "Mint a development token signed with the HS256 secret of a local zoneops.\n" +
			"Only the token goes to stdout, so `export ZONEOPS_TOKEN=$(zonectl token --role operator)` works.\n" +
			"Production tokens come from the OIDC issuer, not from here.",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			p := auth.Principal{Subject: subject, Role: auth.Role(role), TenantID: tenant, ZoneCodes: zones}
			if !p.Role.Valid() {
				return fmt.Errorf("--role must be operator, zone_developer, tenant, auditor or viewer, not %q", role)
			}
			if p.Role == auth.Tenant && p.TenantID == "" {
				id, err := uuid.NewV7()
				if err != nil {
					return err
				}
				p.TenantID = id.String()
				// stderr, so that the token alone still goes to stdout for $(...).
				fmt.Fprintf(o.env.Stderr, "tenant id: %s\n", p.TenantID)
			}
			if p.Subject == "" {
				p.Subject = defaultSubject(p)
			}
			key := secret
			if key == "" {
				key = o.env.getenv(EnvJWTSecret)
			}
			if key == "" {
				key = DevJWTSecret
			}
			now := o.env.now()
			tok, err := auth.Mint([]byte(key), p, ttl, now)
			if err != nil {
				return err
			}
			if !o.json() {
				_, err = fmt.Fprintln(o.env.Stdout, tok)
				return err
			}
			raw, err := json.Marshal(struct {
				Token     string    `json:"token"`
				Subject   string    `json:"subject"`
				Role      string    `json:"role"`
				TenantID  string    `json:"tenant_id,omitempty"`
				ZoneIDs   []string  `json:"zone_ids,omitempty"`
				ExpiresAt time.Time `json:"expires_at"`
			}{tok, p.Subject, string(p.Role), p.TenantID, p.ZoneCodes, now.Add(ttl).UTC()})
			if err != nil {
				return err
			}
			return printJSON(o.env.Stdout, raw)
		},
	}
	f := cmd.Flags()
	f.StringVar(&role, "role", "", "operator, zone_developer, tenant, auditor or viewer")
	f.StringVar(&tenant, "tenant", "", "tenant id for --role tenant (a new UUIDv7, printed to stderr, when empty)")
	f.StringArrayVar(&zones, "zone", nil, "zone code (ISB) for --role zone_developer (repeat for several)")
	f.StringVar(&subject, "subject", "", "token subject (default zonectl-<role>, with the tenant id or zones for scoped roles)")
	f.DurationVar(&ttl, "ttl", auth.DefaultMaxLifetime, "lifetime of the token (the services refuse tokens valid for longer than ZONEOPS_JWT_MAX_LIFETIME, default 24h)")
	f.StringVar(&secret, "jwt-secret", "", "HS256 secret (env "+EnvJWTSecret+", default the development secret)")
	_ = cmd.MarkFlagRequired("role") // cannot fail: the flag was just defined
	return cmd
}

// defaultSubject names a minted token's holder by its scope as well as its role, so that the
// tokens of two tenants (or of two zones' developers) never share a subject: history entries
// then tell them apart, and so does anything a service keeps per caller.
func defaultSubject(p auth.Principal) string {
	switch p.Role {
	case auth.Tenant:
		return "zonectl-tenant-" + p.TenantID
	case auth.ZoneDeveloper:
		zones := slices.Clone(p.ZoneCodes)
		slices.Sort(zones)
		return "zonectl-zone_developer-" + strings.Join(slices.Compact(zones), "+")
	}
	return "zonectl-" + string(p.Role)
}
