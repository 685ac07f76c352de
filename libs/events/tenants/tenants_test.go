package tenants

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/events/values/valuestest"
)

// update is accepted so that "go test ./... -run TestSchemas -update" works across the whole
// module; this package has no generated files.
var _ = flag.Bool("update", false, "no effect in this package")

const (
	appID = "0190f3a2-6b1c-7d4e-8f00-1a2b3c4d5e6f"
	licID = "0190f3b8-2c4d-7e5f-9a10-2b3c4d5e6f70"
	tenID = "0190f3b8-2c4d-7e5f-9a10-3c4d5e6f7081"
)

func actor() values.Actor {
	return values.Actor{Subject: "operator:farah.khan", Role: values.RoleOperator}
}

func commitments() Commitments {
	pkr := func(n int64) values.Money { return values.Money{AmountMinor: n, Currency: "PKR"} }
	return Commitments{Headcount: 10, Investment: pkr(1), Exports: pkr(0), RnDSpend: pkr(2)}
}

func submitted() ApplicationSubmitted {
	return ApplicationSubmitted{
		ApplicationID: appID,
		Applicant: Applicant{
			LegalName: "Haripur Textiles Ltd", RegistrationNumber: "0012345", TaxNumber: "7654321-0", Country: "PK",
			Contact: Contact{Name: "Bilal Ahmed", Email: "bilal@haripur-textiles.pk", Phone: "+92 995 123456"},
		},
		Kind: KindZoneEnterprise, Zone: "HRP", Sector: "textile technology", Commitments: commitments(),
		SubmittedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), DecisionDue: values.MustParseDate("2025-02-01"), Actor: actor(),
	}
}

func granted() LicenceGranted {
	return LicenceGranted{
		LicenceID: licID, LicenceNumber: "STZA/HRP/ZE/2025/0007", ApplicationID: appID, TenantID: tenID,
		Kind: KindZoneEnterprise, Zone: "HRP", Sector: "textile technology", SizeTier: SizeTierLarge,
		Commitments: commitments(), ValidFrom: values.MustParseDate("2025-03-01"), ValidUntil: values.MustParseDate("2035-02-28"), Actor: actor(),
	}
}

// payload is what every payload in this package implements.
type payload interface {
	EventType() string
	AggregateID() string
	Validate() error
}

func TestEveryPayloadNamesItsTypeAndAggregate(t *testing.T) {
	tests := []struct {
		p         payload
		typ       string
		aggregate string
	}{
		{submitted(), TypeApplicationSubmitted, appID},
		{ApplicationDeficiencyNoted{ApplicationID: appID}, TypeApplicationDeficiencyNoted, appID},
		{ApplicationResubmitted{ApplicationID: appID}, TypeApplicationResubmitted, appID},
		{ApplicationRejected{ApplicationID: appID}, TypeApplicationRejected, appID},
		{ApplicationWithdrawn{ApplicationID: appID}, TypeApplicationWithdrawn, appID},
		{ApplicationApproved{ApplicationID: appID, LicenceID: licID}, TypeApplicationApproved, appID},
		{granted(), TypeLicenceGranted, licID},
		{LicenceSuspended{LicenceID: licID}, TypeLicenceSuspended, licID},
		{LicenceReinstated{LicenceID: licID}, TypeLicenceReinstated, licID},
		{LicenceShowCauseIssued{LicenceID: licID}, TypeLicenceShowCauseIssued, licID},
		{LicenceShowCauseReplied{LicenceID: licID}, TypeLicenceShowCauseReplied, licID},
		{LicenceRevoked{LicenceID: licID}, TypeLicenceRevoked, licID},
		{LicenceSurrendered{LicenceID: licID}, TypeLicenceSurrendered, licID},
		{LicenceExpired{LicenceID: licID}, TypeLicenceExpired, licID},
	}
	for _, tt := range tests {
		if tt.p.EventType() != tt.typ || tt.p.AggregateID() != tt.aggregate {
			t.Errorf("%T: type %q aggregate %q, want %q %q", tt.p, tt.p.EventType(), tt.p.AggregateID(), tt.typ, tt.aggregate)
		}
		if !strings.HasPrefix(tt.typ, "zoneops.tenants.") || !strings.HasSuffix(tt.typ, ".v1") {
			t.Errorf("type %q is not zoneops.tenants.<aggregate>.<event>.v1", tt.typ)
		}
	}
}

// TestValidateReportsEveryBadField checks each payload rule, and that all the bad fields of
// one payload come back together, sorted.
func TestValidateReportsEveryBadField(t *testing.T) {
	replyDue := values.MustParseDate("2025-05-01")
	tests := []struct {
		name string
		p    payload
		want []string // bad fields; none means valid
	}{
		{"submitted: valid", submitted(), nil},
		{"submitted: empty", ApplicationSubmitted{}, []string{
			"actor.role", "actor.subject", "applicant.contact.email", "applicant.contact.name", "applicant.contact.phone",
			"applicant.country", "applicant.legal_name", "applicant.registration_number", "applicant.tax_number",
			"application_id", "commitments.exports.currency", "commitments.investment.currency", "commitments.rnd_spend.currency",
			"decision_due", "kind", "sector", "submitted_at", "zone",
		}},
		{"submitted: bad formats", func() payload {
			p := submitted()
			p.ApplicationID = strings.ToUpper(appID)
			p.Applicant.Country = "Pakistan"
			p.Applicant.Contact.Email = "Bilal <bilal@haripur-textiles.pk>"
			p.Kind = "tenant"
			p.Zone = "hrp"
			p.Commitments.Headcount = -1
			p.Commitments.Exports.AmountMinor = -5
			p.Commitments.RnDSpend.Currency = "rupees"
			p.DecisionDue = values.Date{Year: 2025, Month: 2, Day: 30}
			p.Actor.Role = "admin"
			p.Sector = " \t"
			return p
		}(), []string{
			"actor.role", "applicant.contact.email", "applicant.country", "application_id", "commitments.exports.amount_minor",
			"commitments.headcount", "commitments.rnd_spend.currency", "decision_due", "kind", "sector", "zone",
		}},
		{"deficiency: reply_due optional", ApplicationDeficiencyNoted{ApplicationID: appID, Reason: "x", Actor: actor()}, nil},
		{"deficiency: reply_due present", ApplicationDeficiencyNoted{ApplicationID: appID, Reason: "x", ReplyDue: &replyDue, Actor: actor()}, nil},
		{"deficiency: reply_due set but zero", ApplicationDeficiencyNoted{ApplicationID: appID, Reason: "x", ReplyDue: &values.Date{}, Actor: actor()}, []string{"reply_due"}},
		{"deficiency: reason required", ApplicationDeficiencyNoted{ApplicationID: appID, Actor: actor()}, []string{"reason"}},
		{"resubmitted: decision_due required", ApplicationResubmitted{ApplicationID: appID, Actor: actor()}, []string{"decision_due"}},
		{"rejected: reason required", ApplicationRejected{ApplicationID: appID, Reason: "  ", Actor: actor()}, []string{"reason"}},
		{"withdrawn: reason optional", ApplicationWithdrawn{ApplicationID: appID, Actor: actor()}, nil},
		{"withdrawn: reason not blank", ApplicationWithdrawn{ApplicationID: appID, Reason: " ", Actor: actor()}, []string{"reason"}},
		{"approved: licence id required", ApplicationApproved{ApplicationID: appID, Actor: actor()}, []string{"licence_id"}},
		{"granted: valid", granted(), nil},
		{"granted: one-day licence", func() payload { p := granted(); p.ValidUntil = p.ValidFrom; return p }(), nil},
		{"granted: ends before it starts", func() payload { p := granted(); p.ValidUntil = p.ValidFrom.AddDate(0, 0, -1); return p }(), []string{"valid_until"}},
		{"granted: bad tier and ids", func() payload {
			p := granted()
			p.SizeTier = "huge"
			p.TenantID = "tenant-7"
			p.LicenceNumber = ""
			return p
		}(), []string{"licence_number", "size_tier", "tenant_id"}},
		{"suspended: reason required", LicenceSuspended{LicenceID: licID, Actor: actor()}, []string{"reason"}},
		{"reinstated: reason optional", LicenceReinstated{LicenceID: licID, Actor: actor()}, nil},
		{"show cause: reply_due required", LicenceShowCauseIssued{LicenceID: licID, Reason: "x", Actor: actor()}, []string{"reply_due"}},
		{"show cause replied: reply and reply_due required", LicenceShowCauseReplied{LicenceID: licID, Actor: actor()}, []string{"reply", "reply_due"}},
		{"show cause replied: valid", LicenceShowCauseReplied{LicenceID: licID, Reply: "remedied", ReplyDue: replyDue, Actor: actor()}, nil},
		{"revoked: actor required", LicenceRevoked{LicenceID: licID, Reason: "x"}, []string{"actor.role", "actor.subject"}},
		{"surrendered: reason optional", LicenceSurrendered{LicenceID: licID, Actor: actor()}, nil},
		{"expired: actor optional", LicenceExpired{LicenceID: licID, ValidUntil: replyDue}, nil},
		{"expired: actor checked when present", LicenceExpired{LicenceID: licID, ValidUntil: replyDue, Actor: &values.Actor{Subject: "svc"}}, []string{"actor.role"}},
		{"expired: valid_until required", LicenceExpired{LicenceID: licID}, []string{"valid_until"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valuestest.WantFields(t, tt.p.Validate(), tt.want)
		})
	}
}

func TestSharedValuesValidateOnTheirOwn(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		valid bool
	}{
		{"money", values.Money{AmountMinor: -1, Currency: "PKR"}.Validate(), true}, // negative money is fine in general
		{"money without currency", values.Money{AmountMinor: 1}.Validate(), false},
		{"actor", actor().Validate(), true},
		{"actor without role", values.Actor{Subject: "x"}.Validate(), false},
		{"contact", Contact{Name: "a", Email: "a@b.pk", Phone: "1"}.Validate(), true},
		{"contact with a display name", Contact{Name: "a", Email: "A <a@b.pk>", Phone: "1"}.Validate(), false},
		{"applicant", submitted().Applicant.Validate(), true},
		{"applicant without contact", Applicant{LegalName: "a", RegistrationNumber: "b", TaxNumber: "c", Country: "PK"}.Validate(), false},
		{"commitments", commitments().Validate(), true},
		{"commitments with negative investment", Commitments{Investment: values.Money{AmountMinor: -1, Currency: "PKR"}, Exports: values.Money{Currency: "PKR"}, RnDSpend: values.Money{Currency: "PKR"}}.Validate(), false},
	}
	for _, tt := range tests {
		if (tt.err == nil) != tt.valid {
			t.Errorf("%s: Validate = %v, want valid=%v", tt.name, tt.err, tt.valid)
		}
	}
}

func TestZoneCodesFollowTheSharedGrammar(t *testing.T) {
	// Allocation registers zones under codes of this grammar; licences must name them alike.
	if Pattern("zone") != values.Pattern("code") {
		t.Error("the zone of a licence follows a different grammar from zone codes")
	}
}

func TestEnumsKnowTheirValues(t *testing.T) {
	if !KindCoDeveloper.Valid() || Kind("developer").Valid() {
		t.Error("Kind.Valid")
	}
	if !SizeTierAnchor.Valid() || SizeTier("").Valid() {
		t.Error("SizeTier.Valid")
	}
	k := Kinds()
	k[0] = "changed"
	if Kinds()[0] != KindZoneDeveloper {
		t.Error("Kinds shares its slice with callers")
	}
}

func TestLicenceStatusesAreTheStatusesLicenceEventsLeave(t *testing.T) {
	tests := []struct {
		status LicenceStatus
		valid  bool
	}{
		{LicenceStatusActive, true}, {LicenceStatusSuspended, true}, {LicenceStatusRevoked, true},
		{LicenceStatusSurrendered, true}, {LicenceStatusExpired, true},
		{"granted", false}, {"", false}, {"Active", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			if tt.status.Valid() != tt.valid {
				t.Fatalf("Valid() = %v, want %v", !tt.valid, tt.valid)
			}
		})
	}
	if s := LicenceStatuses(); len(s) != 5 || s[0] != LicenceStatusActive {
		t.Fatalf("LicenceStatuses() = %v", s)
	}
}
