package licensing

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
)

func TestOnlyTheRolesThatDealWithTheApplicantReadItsContact(t *testing.T) {
	a := &Application{ID: "a1", TenantID: "t1", Applicant: Applicant{LegalName: "Margalla Robotics",
		Contact: Contact{Name: "Ayesha Khan", Email: "ayesha@margalla.example.pk", Phone: "+92511234567"}}}
	tests := []struct {
		name string
		p    Principal
		sees bool
	}{
		{"operator", Principal{Subject: "op", Role: audit.RoleOperator}, true},
		{"auditor", Principal{Subject: "aud", Role: audit.RoleAuditor}, true},
		{"the applicant", Principal{Subject: "u1", Role: audit.RoleTenant, TenantID: "t1"}, true},
		{"zone developer", Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, Zones: []ZoneCode{"ISB"}}, true},
		{"viewer", Principal{Subject: "v", Role: audit.RoleViewer}, false},
		{"a role nobody named", Principal{Subject: "x", Role: "admin"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.ReadBy(tt.p)
			if SeesContact(tt.p) != tt.sees {
				t.Errorf("SeesContact = %v, want %v", !tt.sees, tt.sees)
			}
			if (got.Applicant.Contact == a.Applicant.Contact) != tt.sees {
				t.Errorf("contact read = %+v", got.Applicant.Contact)
			}
			if !tt.sees && (got.Applicant.Contact != Contact{} || got.Applicant.LegalName != a.Applicant.LegalName || got.ID != a.ID) {
				t.Errorf("redacted copy = %+v, want everything but the contact", got)
			}
			if a.Applicant.Contact.Email != "ayesha@margalla.example.pk" {
				t.Fatal("ReadBy changed the original")
			}
		})
	}
}
