package events

import (
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/incentives"
	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
)

// Fixed ids of the incentives samples, which continue the story of the tenants samples: the
// licence (licenceID) opens a customs-duty entitlement, the licensee claims against it, and
// the licence ends early.
const (
	entitlementID = "0190f3d1-6071-7283-94a5-a6b7c8d9eafb"
	claimID       = "0190f3d2-7182-7394-a5b6-b7c8d9eafb0c"
	clawbackID    = "0190f3d3-8293-74a5-b6c7-c8d9eafb0c1d"
)

func ptrMoney(m values.Money) *values.Money { return &m }

// incentivesSamples returns a valid payload of every incentives type, with and without its
// optional fields.
func incentivesSamples() []sample {
	system := values.Actor{Subject: "incentives-service", Role: values.RoleSystem}
	customs := values.Actor{Subject: "operator:customs.isb", Role: values.RoleOperator}
	window := incentives.Window{From: values.MustParseDate("2025-04-01"), Until: values.MustParseDate("2035-03-31")}
	accepted := incentives.ClaimAccepted{
		ClaimID: claimID, EntitlementID: entitlementID, LicenceID: licenceID, TenantID: tenantID, Zone: "ISB",
		SchemeCode: "S21-CUSTOMS", TaxKind: incentives.TaxKindCustomsDuty, DeclarationReference: "GD-KAPE-HC-2025-118342",
		TransactionDate: values.MustParseDate("2025-08-14"), AssessedValue: pkr(42_000_000_00), ExemptedAmount: pkr(8_400_000_00),
		TaxYear: 2026, Remaining: ptrMoney(pkr(116_600_000_00)), TaxYearRemaining: ptrMoney(pkr(16_600_000_00)),
		Lines: []incentives.Line{
			{HSCode: "8479.50.00", Description: "industrial robots, six-axis", Quantity: 4, Value: pkr(36_000_000_00)},
			{Description: "installation and commissioning", Quantity: 1, Value: pkr(6_000_000_00)},
		},
		Actor: customs,
	}
	minimalAccepted := accepted
	minimalAccepted.Remaining, minimalAccepted.TaxYearRemaining, minimalAccepted.Lines = nil, nil, nil
	minimalAccepted.SchemeCode, minimalAccepted.TaxKind = "S21-INCOME", incentives.TaxKindIncomeTax
	minimalAccepted.Actor = tenantActor()
	return []sample{
		{"v1-full", incentives.EntitlementOpened{
			EntitlementID: entitlementID, LicenceID: licenceID, LicenceNumber: "STZA/ISB/ZE/2025/0042", TenantID: tenantID,
			Zone: "ISB", SchemeCode: "S21-CUSTOMS", SchemeVersion: 1, TaxKind: incentives.TaxKindCustomsDuty, Window: window,
			Cap: ptrMoney(pkr(125_000_000_00)), TaxYearCap: ptrMoney(pkr(25_000_000_00)), Currency: "PKR", Actor: &system,
		}},
		{"v1-minimal", incentives.EntitlementOpened{
			EntitlementID: entitlementID, LicenceID: licenceID, LicenceNumber: "STZA/ISB/ZE/2025/0042", TenantID: tenantID,
			Zone: "ISB", SchemeCode: "S21-INCOME", SchemeVersion: 2, TaxKind: incentives.TaxKindIncomeTax, Window: window,
			Currency: "PKR",
		}},
		{"v1-full", incentives.EntitlementSuspended{
			EntitlementID: entitlementID, TenantID: tenantID, Source: incentives.SuspensionSourceLicence,
			Reason: "licence suspended: annual compliance report overdue by 90 days", Actor: operator(),
		}},
		{"v1-full", incentives.EntitlementReinstated{
			EntitlementID: entitlementID, TenantID: tenantID, Source: incentives.SuspensionSourceOperator,
			Reason: "the customs audit found the declarations in order", Actor: operator(),
		}},
		{"v1-minimal", incentives.EntitlementReinstated{
			EntitlementID: entitlementID, TenantID: tenantID, Source: incentives.SuspensionSourceLicence, Actor: operator(),
		}},
		{"v1-full", incentives.EntitlementClosed{
			EntitlementID: entitlementID, TenantID: tenantID, Cause: incentives.CloseCauseLicenceRevoked,
			ClosedOn: values.MustParseDate("2029-10-15"), Actor: &system,
		}},
		{"v1-minimal", incentives.EntitlementClosed{
			EntitlementID: entitlementID, TenantID: tenantID, Cause: incentives.CloseCauseWindowEnded,
			ClosedOn: values.MustParseDate("2035-03-31"),
		}},
		{"v1-full", incentives.EntitlementExhausted{
			EntitlementID: entitlementID, TenantID: tenantID, CapReached: incentives.CapScopeTaxYear,
			Cap: pkr(25_000_000_00), TaxYear: 2026, ClaimID: claimID, Actor: &system,
		}},
		{"v1-minimal", incentives.EntitlementExhausted{
			EntitlementID: entitlementID, TenantID: tenantID, CapReached: incentives.CapScopeTerm,
			Cap: pkr(125_000_000_00), TaxYear: 2031, ClaimID: claimID,
		}},
		{"v1-full", accepted},
		{"v1-minimal", minimalAccepted},
		{"v1-full", incentives.ClaimRejected{
			ClaimID: claimID, EntitlementID: entitlementID, TenantID: tenantID, SchemeCode: "S21-CUSTOMS",
			DeclarationReference: "GD-KAPE-HC-2026-004117", TransactionDate: values.MustParseDate("2026-03-02"),
			ExemptedAmount: pkr(19_500_000_00), Rule: incentives.RejectionTaxYearCapExceeded,
			Detail: "PKR 19,500,000.00 claimed, PKR 16,600,000.00 left of the cap of tax year 2026", Actor: customs,
		}},
		{"v1-full", incentives.ClaimReversed{
			ClaimID: claimID, EntitlementID: entitlementID, TenantID: tenantID, SchemeCode: "S21-CUSTOMS",
			Amount: pkr(8_400_000_00), TaxYear: 2026, Reason: "goods declaration amended: the robots were re-exported", Actor: operator(),
		}},
		{"v1-full", incentives.ClawbackAssessed{
			ClawbackID: clawbackID, EntitlementID: entitlementID, LicenceID: licenceID, TenantID: tenantID,
			SchemeCode: "S21-CUSTOMS", Rule: incentives.ClawbackRuleDepreciated,
			Basis:  incentives.ClawbackBasis{Utilised: pkr(60_000_000_00), TermDays: 3653, UnexpiredDays: 1993, DepreciationYears: 5},
			Amount: pkr(14_250_000_00), AssessedOn: values.MustParseDate("2029-10-15"), Actor: &system,
		}},
		{"v1-minimal", incentives.ClawbackAssessed{
			ClawbackID: clawbackID, EntitlementID: entitlementID, LicenceID: licenceID, TenantID: tenantID,
			SchemeCode: "S21-INCOME", Rule: incentives.ClawbackRuleProRata,
			Basis:  incentives.ClawbackBasis{Utilised: pkr(10_000_000_00), TermDays: 3653, UnexpiredDays: 1993},
			Amount: pkr(5_455_789_76), AssessedOn: values.MustParseDate("2029-10-15"),
		}},
		{"v1-full", incentives.ClawbackSettled{
			ClawbackID: clawbackID, EntitlementID: entitlementID, TenantID: tenantID, Recovered: pkr(14_250_000_00),
			SettledOn: values.MustParseDate("2030-01-20"), Actor: operator(),
		}},
	}
}

// TestDecodeChecksIncentivesEventsToo: the source, aggregate and strictness rules hold for the
// incentives events, and every one of them lives in the INCENTIVES stream.
func TestDecodeChecksIncentivesEventsToo(t *testing.T) {
	data := func(m map[string]any) map[string]any { return m["data"].(map[string]any) }
	runDecodeCases(t, []decodeCase{
		{"as it is", incentives.TypeClaimAccepted, func(map[string]any) {}, nil},
		{"published by tenants", incentives.TypeEntitlementOpened, func(m map[string]any) { m["source"] = tenants.Source }, envelope.ErrBadAttribute},
		{"an incentives type published by allocation", incentives.TypeClaimAccepted, func(m map[string]any) { m["source"] = allocation.Source }, envelope.ErrBadAttribute},
		{"a claim filed under its entitlement", incentives.TypeClaimAccepted, func(m map[string]any) {
			m["aggregateid"], m["subject"] = entitlementID, entitlementID
		}, envelope.ErrInvalidPayload},
		{"a clawback filed under its entitlement", incentives.TypeClawbackAssessed, func(m map[string]any) {
			m["aggregateid"], m["subject"] = entitlementID, entitlementID
		}, envelope.ErrInvalidPayload},
		{"an empty optional reason", incentives.TypeEntitlementReinstated, func(m map[string]any) { data(m)["reason"] = "" }, envelope.ErrInvalidPayload},
		{"a tax year that is not the transaction's", incentives.TypeClaimAccepted, func(m map[string]any) { data(m)["tax_year"] = 2025 }, envelope.ErrInvalidPayload},
		{"a remainder in another currency", incentives.TypeClaimAccepted, func(m map[string]any) {
			data(m)["remaining"] = map[string]any{"amount_minor": 1, "currency": "USD"}
		}, envelope.ErrInvalidPayload},
		{"a clawback above what was utilised", incentives.TypeClawbackAssessed, func(m map[string]any) {
			data(m)["amount"] = map[string]any{"amount_minor": 60_000_000_01, "currency": "PKR"}
		}, envelope.ErrInvalidPayload},
		{"a window that ends before it starts", incentives.TypeEntitlementOpened, func(m map[string]any) {
			data(m)["window"] = map[string]any{"from": "2035-03-31", "until": "2025-04-01"}
		}, envelope.ErrInvalidPayload},
		{"a version nobody registered", incentives.TypeClaimAccepted, func(m map[string]any) { m["type"] = "zoneops.incentives.claim.accepted.v2" }, envelope.ErrUnknownType},
	}, func(p any) bool {
		_, ok := p.(incentives.ClaimAccepted)
		return ok
	})
	for _, typ := range Types() {
		if strings.HasPrefix(typ, "zoneops.incentives.") && StreamFor(typ) != envelope.StreamIncentives {
			t.Errorf("StreamFor(%s) = %q, want %s", typ, StreamFor(typ), envelope.StreamIncentives)
		}
	}
}
