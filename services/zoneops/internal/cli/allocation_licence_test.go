package cli

import (
	"testing"

	"github.com/zoneops/zoneops/libs/events"
	evtenants "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
)

// license publishes licence.granted for tenantID in zone code, as the tenants service does,
// and waits until the service has applied it.
func (a *liveAllocation) license(t *testing.T, tenantID, code string) {
	t.Helper()
	id := "0195b3c0-0000-7000-8000-00000000f001"
	from := values.DateOf(testNow)
	env, err := events.New(evtenants.LicenceGranted{
		LicenceID: id, LicenceNumber: "STZ-" + code + "-2026-0001", ApplicationID: "0195b3c0-0000-7000-8000-00000000f002", TenantID: tenantID,
		Kind: evtenants.KindZoneEnterprise, Zone: code, Sector: "ai", SizeTier: evtenants.SizeTiers()[0],
		Commitments: evtenants.Commitments{Headcount: 25, Investment: values.Money{AmountMinor: 100_000_000_00, Currency: "PKR"},
			Exports: values.Money{Currency: "PKR"}, RnDSpend: values.Money{Currency: "PKR"}},
		ValidFrom: from, ValidUntil: from.AddDate(10, 0, -1), Actor: values.Actor{Subject: "olivia", Role: values.RoleOperator},
	}, 1, testNow)
	if err != nil {
		t.Fatal(err)
	}
	a.Publish(t, env)
	a.EventuallyRow(t, "the service to apply licence "+id, `SELECT status FROM licences WHERE id = ?`, []any{id}, "active")
}
