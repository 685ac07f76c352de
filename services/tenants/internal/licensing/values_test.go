package licensing

import (
	"errors"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/libs/platform/text"
)

func TestParseApplicationReportsEveryBadFieldAtOnce(t *testing.T) {
	in := ApplicationInput{
		Applicant: ApplicantInput{
			LegalName:          "X",
			RegistrationNumber: "ab",
			TaxNumber:          "12 34",
			Country:            "pk",
			Contact:            ContactInput{Name: " ", Email: "Ayesha <ayesha@indus.pk>", Phone: "0300-1234567"},
		},
		Kind:   "enterprise",
		Zone:   "Islamabad",
		Sector: "mining",
		Commitments: CommitmentsInput{
			Headcount:  0,
			Investment: MoneyInput{AmountMinor: -1, Currency: "pkr"},
			Exports:    MoneyInput{AmountMinor: 5, Currency: "USD"},
			RnDSpend:   MoneyInput{AmountMinor: 5, Currency: "PKR"},
		},
	}
	_, err := ParseApplication(in)
	faulttest.WantFields(t, err,
		"applicant.legal_name", "applicant.registration_number", "applicant.tax_number", "applicant.country",
		"applicant.contact.name", "applicant.contact.email", "applicant.contact.phone",
		"kind", "zone", "sector",
		"commitments.headcount", "commitments.investment.amount_minor", "commitments.investment.currency",
		"commitments.rnd_spend.currency",
	)
	var v *fault.ValidationError
	errors.As(err, &v)
	for _, f := range v.Fields {
		if f.Field == "commitments.rnd_spend.currency" && !strings.Contains(f.Reason, "USD") {
			t.Errorf("mismatch reason %q should name the reference currency", f.Reason)
		}
	}
}

func TestParseApplicationReportsMissingFieldsOfAnEmptyRequest(t *testing.T) {
	_, err := ParseApplication(ApplicationInput{})
	faulttest.WantFields(t, err,
		"applicant.legal_name", "applicant.registration_number", "applicant.tax_number", "applicant.country",
		"applicant.contact.name", "applicant.contact.email", "applicant.contact.phone",
		"kind", "zone", "sector",
		"commitments.headcount", "commitments.investment.currency", "commitments.exports.currency",
		"commitments.rnd_spend.currency",
	)
}

func TestParseApplicationNormalisesAValidRequest(t *testing.T) {
	in := validInput()
	in.Applicant.LegalName = "  Indus   Silicon (Pvt)  Ltd "
	in.Applicant.RegistrationNumber = " 0123456/2021 "
	in.Applicant.TaxNumber = "ntn-1234567"
	in.Applicant.Contact.Email = "ayesha@Indus.Example.PK"
	d, err := ParseApplication(in)
	must(t, err)
	want := Applicant{
		LegalName: "Indus Silicon (Pvt) Ltd", RegistrationNumber: "0123456/2021", TaxNumber: "NTN-1234567", Country: "PK",
		Contact: Contact{Name: "Ayesha Khan", Email: "ayesha@indus.example.pk", Phone: "+923001234567"},
	}
	if d.Applicant != want {
		t.Fatalf("applicant %+v\nwant %+v", d.Applicant, want)
	}
	if d.Kind != KindZoneEnterprise || d.Zone != "ISB" || d.Sector != "semiconductors" || d.Commitments.Headcount != 120 ||
		d.Commitments.Investment != (Money{AmountMinor: 50_000_000_00, Currency: "PKR"}) {
		t.Fatalf("draft %+v", d)
	}
}

// checkValue runs a single-value parser over a table: want "" means the input is refused.
func checkValue[T ~string](t *testing.T, parse func(string) (T, error), cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		got, err := parse(in)
		switch {
		case want == "" && err == nil:
			t.Errorf("%q accepted as %q", in, got)
		case want == "" && !errors.Is(err, fault.ErrInvalid):
			t.Errorf("%q: error %v is not fault.ErrInvalid", in, err)
		case want != "" && (err != nil || string(got) != want):
			t.Errorf("%q = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestLegalNameIsTwoToTwoHundredCharacters(t *testing.T) {
	checkValue(t, func(s string) (string, error) { return text.Name(s, 2, 200) }, map[string]string{
		"":                         "",
		"A":                        "",
		"AB":                       "AB",
		strings.Repeat("x", 200):   strings.Repeat("x", 200),
		strings.Repeat("x", 201):   "",
		strings.Repeat("ک", 200):   strings.Repeat("ک", 200), // characters, not bytes
		"Acme\x00Ltd":              "",
		"  Acme \t Technologies  ": "Acme Technologies",
	})
}

func TestRegistrationNumberIsUpperCasedAndShaped(t *testing.T) {
	checkValue(t, ParseRegistrationNumber, map[string]string{
		"":                      "",
		"ab":                    "",
		"abc":                   "ABC",
		"0123456/2021":          "0123456/2021",
		"L-2021/xyz":            "L-2021/XYZ",
		"---":                   "",
		"AB C1":                 "",
		strings.Repeat("A", 40): strings.Repeat("A", 40),
		strings.Repeat("A", 41): "",
		"REG_1":                 "",
	})
}

func TestTaxNumberIsUpperCasedAndShaped(t *testing.T) {
	checkValue(t, ParseTaxNumber, map[string]string{
		"":                      "",
		"1234":                  "",
		"12345":                 "12345",
		"1234567-8":             "1234567-8",
		"ntn-1234567":           "NTN-1234567",
		"1234/567":              "",
		"-----":                 "",
		strings.Repeat("9", 20): strings.Repeat("9", 20),
		strings.Repeat("9", 21): "",
	})
}

func TestCountryIsAnAssignedUpperCaseAlpha2Code(t *testing.T) {
	checkValue(t, ParseCountry, map[string]string{
		"PK": "PK", "CN": "CN", "AE": "AE", "GB": "GB", "US": "US",
		"": "", "pk": "", "PAK": "", "XX": "", "UK": "", "P1": "",
	})
}

func TestEmailIsABareRoutableAddress(t *testing.T) {
	checkValue(t, ParseEmail, map[string]string{
		"ayesha@indus.pk":          "ayesha@indus.pk",
		" Ayesha@INDUS.PK ":        "Ayesha@indus.pk",
		"":                         "",
		"ayesha":                   "",
		"ayesha@localhost":         "",
		"ayesha@indus.":            "",
		"Ayesha <ayesha@indus.pk>": "",
		"a@b@indus.pk":             "",
	})
}

func TestPhoneIsE164(t *testing.T) {
	checkValue(t, ParsePhone, map[string]string{
		"+923001234567":      "+923001234567",
		"+92 (300) 123-4567": "+923001234567",
		"+1 555.010.0000":    "+15550100000",
		"+12345678":          "+12345678",
		"+1234567":           "",
		"+1234567890123456":  "",
		"+0923001234567":     "",
		"03001234567":        "",
		"":                   "",
		"+92 300 ABC":        "",
	})
}

func TestKindZoneAndSectorComeFromTheirTables(t *testing.T) {
	checkValue(t, ParseKind, map[string]string{
		"zone_developer": "zone_developer", "co_developer": "co_developer", "zone_enterprise": "zone_enterprise",
		"": "", "Zone_Enterprise": "", "tenant": "",
	})
	checkValue(t, ParseZoneCode, map[string]string{
		"ISB": "ISB", "LHR": "LHR", "HRP": "HRP", "KP": "KP", "ABCDEF": "ABCDEF",
		"": "", "I": "", "ABCDEFG": "", "isb": "", "IS1": "",
	})
	sectorCases := map[string]string{"": "", "mining": "", "AI": ""}
	for _, s := range Sectors() {
		sectorCases[string(s)] = string(s)
		if s.Label() == "" {
			t.Errorf("sector %s has no label", s)
		}
	}
	if len(Sectors()) != 13 {
		t.Errorf("%d sectors, want 13", len(Sectors()))
	}
	checkValue(t, ParseSector, sectorCases)
}

func TestSizeTierFollowsPlannedHeadcount(t *testing.T) {
	tests := []struct {
		headcount int
		want      SizeTier
	}{
		{0, TierUnknown}, {-3, TierUnknown},
		{1, TierStartup}, {20, TierStartup},
		{21, TierSME}, {250, TierSME},
		{251, TierLarge}, {1000, TierLarge},
		{1001, TierAnchor}, {MaxHeadcount, TierAnchor},
	}
	for _, tt := range tests {
		if got := SizeTierFor(tt.headcount); got != tt.want {
			t.Errorf("SizeTierFor(%d) = %q, want %q", tt.headcount, got, tt.want)
		}
		if got := (Commitments{Headcount: tt.headcount}).SizeTier(); got != tt.want {
			t.Errorf("Commitments{%d}.SizeTier() = %q, want %q", tt.headcount, got, tt.want)
		}
	}
}

func TestCommitmentsAreInOneCurrency(t *testing.T) {
	in := validInput().Commitments
	tests := []struct {
		name   string
		change func(*CommitmentsInput)
		bad    []string
	}{
		{"all PKR", func(*CommitmentsInput) {}, nil},
		{"exports in USD", func(c *CommitmentsInput) { c.Exports.Currency = "USD" }, []string{"exports.currency"}},
		{"investment currency bad: exports set the reference", func(c *CommitmentsInput) {
			c.Investment.Currency = "RS"
			c.RnDSpend.Currency = "USD"
		}, []string{"investment.currency", "rnd_spend.currency"}},
		{"headcount above the bound", func(c *CommitmentsInput) { c.Headcount = MaxHeadcount + 1 }, []string{"headcount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := in
			tt.change(&c)
			_, err := ParseCommitments(c)
			if tt.bad == nil {
				must(t, err)
				return
			}
			faulttest.WantFields(t, err, tt.bad...)
		})
	}
}

func TestPolicyValidateRefusesOutOfRangeTerms(t *testing.T) {
	must(t, DefaultPolicy().Validate())
	must(t, Policy{}.Validate())
	faulttest.WantFields(t, Policy{DecisionDays: -1, LicenceTermYears: 100}.Validate(), "decision_days", "licence_term_years")
	p := Policy{}.resolved()
	if p.DecisionDays != 30 || p.LicenceTermYears != 10 || p.Location != civil.PakistanStandardTime() {
		t.Fatalf("defaults %+v", p)
	}
}
