package events

import (
	"time"

	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
)

// sample is one valid payload, named after the fixture it produced ("v1-full", "v1-minimal").
type sample struct {
	name    string
	payload Payload
}

// Fixed ids, so that the samples read like one story: an application that became a licence.
const (
	applicationID = "0190f3a2-6b1c-7d4e-8f00-1a2b3c4d5e6f"
	licenceID     = "0190f3b8-2c4d-7e5f-9a10-2b3c4d5e6f70"
	tenantID      = "0190f3b8-2c4d-7e5f-9a10-3c4d5e6f7081"
)

func pkr(amount int64) values.Money { return values.Money{AmountMinor: amount, Currency: "PKR"} }

func operator() values.Actor {
	return values.Actor{Subject: "operator:farah.khan", Role: values.RoleOperator}
}

func applicantActor() values.Actor {
	return values.Actor{Subject: "applicant:margalla-robotics", Role: values.RoleApplicant}
}

func commitments() tenants.Commitments {
	return tenants.Commitments{
		Headcount:  120,
		Investment: pkr(250_000_000_00), // PKR 250 million, in paisa
		Exports:    pkr(80_000_000_00),
		RnDSpend:   pkr(15_000_000_00),
	}
}

// samples returns a valid payload of every registered type, with and without its optional
// fields. Tests require it to cover Types(), so a new type cannot be registered untested.
func samples() []sample {
	replyDue := values.MustParseDate("2025-03-17")
	system := values.Actor{Subject: "tenants-service", Role: values.RoleSystem}
	tenantSamples := []sample{
		{"v1-full", tenants.ApplicationSubmitted{
			ApplicationID: applicationID,
			Applicant: tenants.Applicant{
				LegalName:          "Margalla Robotics (Private) Limited",
				RegistrationNumber: "0198765",
				TaxNumber:          "1234567-8",
				Country:            "PK",
				Contact: tenants.Contact{
					Name:  "Ayesha Siddiqui",
					Email: "ayesha.siddiqui@margalla-robotics.pk",
					Phone: "+92 51 1234567",
				},
			},
			Kind:        tenants.KindZoneEnterprise,
			Zone:        "ISB",
			Sector:      "robotics and automation",
			Commitments: commitments(),
			SubmittedAt: time.Date(2025, 2, 3, 9, 15, 0, 0, time.UTC),
			DecisionDue: values.MustParseDate("2025-03-05"),
			Actor:       applicantActor(),
		}},
		{"v1-full", tenants.ApplicationDeficiencyNoted{
			ApplicationID: applicationID, Reason: "audited accounts for 2023 are missing", ReplyDue: &replyDue, Actor: operator(),
		}},
		{"v1-minimal", tenants.ApplicationDeficiencyNoted{
			ApplicationID: applicationID, Reason: "the board resolution is unsigned", Actor: operator(),
		}},
		{"v1-full", tenants.ApplicationResubmitted{
			ApplicationID: applicationID, DecisionDue: values.MustParseDate("2025-04-14"), Actor: applicantActor(),
		}},
		{"v1-full", tenants.ApplicationRejected{
			ApplicationID: applicationID, Reason: "the proposed activity is not a technology activity under the Act", Actor: operator(),
		}},
		{"v1-full", tenants.ApplicationWithdrawn{
			ApplicationID: applicationID, Reason: "the company will apply in the Lahore zone instead", Actor: applicantActor(),
		}},
		{"v1-minimal", tenants.ApplicationWithdrawn{ApplicationID: applicationID, Actor: applicantActor()}},
		{"v1-full", tenants.ApplicationApproved{ApplicationID: applicationID, LicenceID: licenceID, Actor: operator()}},
		{"v1-full", tenants.LicenceGranted{
			LicenceID:     licenceID,
			LicenceNumber: "STZA/ISB/ZE/2025/0042",
			ApplicationID: applicationID,
			TenantID:      tenantID,
			Kind:          tenants.KindZoneEnterprise,
			Zone:          "ISB",
			Sector:        "robotics and automation",
			SizeTier:      tenants.SizeTierSME,
			Commitments:   commitments(),
			ValidFrom:     values.MustParseDate("2025-04-01"),
			ValidUntil:    values.MustParseDate("2035-03-31"),
			Actor:         operator(),
		}},
		{"v1-full", tenants.LicenceSuspended{LicenceID: licenceID, Reason: "annual compliance report overdue by 90 days", Actor: operator()}},
		{"v1-full", tenants.LicenceReinstated{LicenceID: licenceID, Reason: "the overdue report was filed and accepted", Actor: operator()}},
		{"v1-minimal", tenants.LicenceReinstated{LicenceID: licenceID, Actor: operator()}},
		{"v1-full", tenants.LicenceShowCauseIssued{
			LicenceID: licenceID, Reason: "headcount is 40% below the commitment for two years", ReplyDue: replyDue, Actor: operator(),
		}},
		{"v1-full", tenants.LicenceShowCauseReplied{
			LicenceID: licenceID, Reply: "hiring resumed in January; headcount is back to 118 of 120", ReplyDue: replyDue,
			Actor: values.Actor{Subject: "tenant:" + tenantID, Role: values.RoleTenant},
		}},
		{"v1-full", tenants.LicenceRevoked{LicenceID: licenceID, Reason: "no reply to the show-cause notice", Actor: operator()}},
		{"v1-full", tenants.LicenceSurrendered{LicenceID: licenceID, Reason: "operations moved abroad", Actor: values.Actor{Subject: "tenant:" + tenantID, Role: values.RoleTenant}}},
		{"v1-minimal", tenants.LicenceSurrendered{LicenceID: licenceID, Actor: values.Actor{Subject: "tenant:" + tenantID, Role: values.RoleTenant}}},
		{"v1-full", tenants.LicenceExpired{LicenceID: licenceID, ValidUntil: values.MustParseDate("2035-03-31"), Actor: &system}},
		{"v1-minimal", tenants.LicenceExpired{LicenceID: licenceID, ValidUntil: values.MustParseDate("2035-03-31")}},
	}
	return append(append(tenantSamples, allocationSamples()...), incentivesSamples()...)
}
