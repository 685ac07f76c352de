package scheme

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/libs/platform/money"
)

// entry returns a valid policy entry as a YAML-ready map, changed by edits: a key set to nil is
// removed, a dotted key ("cap.share") reaches into a nested mapping.
func entry(edits map[string]any) map[string]any {
	e := map[string]any{
		"code": "S21-CUSTOMS", "version": 1, "name": "Customs duty on capital goods",
		"legal_basis": "STZA Act 2021 s.21", "beneficiaries": []string{"zone_enterprise"},
		"tiers": []string{"startup", "sme", "large", "anchor"}, "tax_kind": "customs_duty",
		"term":           map[string]any{"years": 10, "from": "licence"},
		"cap":            map[string]any{"kind": "share_of_committed_investment", "share": "0.2"},
		"clawback":       map[string]any{"kind": "depreciated", "years": 5},
		"effective_from": "2021-07-01", "sunset": "2035-06-30",
	}
	for k, v := range edits {
		m := e
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
			} else {
				sub = maps.Clone(sub)
			}
			m[p] = sub
			m = sub
		}
		last := parts[len(parts)-1]
		if v == nil {
			delete(m, last)
		} else {
			m[last] = v
		}
	}
	return e
}

// policyFile renders entries as a policy file.
func policyFile(t testing.TB, entries ...map[string]any) []byte {
	t.Helper()
	b, err := yaml.Marshal(map[string]any{"schemes": entries})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustLoad(t testing.TB, data []byte) Policy {
	t.Helper()
	p, err := Load(data)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return p
}

func TestDefaultPolicyEncodesSections20And21ForTenYearsUntilThe2035Sunset(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"S20-CUSTOMS", "S20-INCOME", "S20-PROPERTY", "S20-SALES", "S21-CUSTOMS", "S21-INCOME", "S21-PROPERTY", "S21-SALES"}
	if got := p.Codes(); !slices.Equal(got, want) {
		t.Fatalf("codes %v, want %v", got, want)
	}
	sunset := civil.MustParseDate("2035-06-30")
	taxes := map[string]TaxKind{}
	for _, v := range p.Versions() {
		if v.Term.Years != 10 || v.Sunset != sunset || v.Version != 1 {
			t.Errorf("%s: term %d years, sunset %s, version %d", v.Code, v.Term.Years, v.Sunset, v.Version)
		}
		section, enterprises := "s.20", false
		if strings.HasPrefix(v.Code, "S21-") {
			section, enterprises = "s.21", true
		}
		if !strings.HasSuffix(v.LegalBasis, section) {
			t.Errorf("%s: legal basis %q", v.Code, v.LegalBasis)
		}
		if got := v.Covers(tenants.KindZoneEnterprise, tenants.SizeTierSME); got != enterprises {
			t.Errorf("%s covers zone enterprises: %v", v.Code, got)
		}
		if got := v.Covers(tenants.KindCoDeveloper, tenants.SizeTierAnchor); got == enterprises {
			t.Errorf("%s covers co-developers: %v", v.Code, got)
		}
		taxes[v.Code[4:]] = v.TaxKind
		wantCap := CapNone
		if v.TaxKind == TaxCustomsDuty {
			wantCap = CapShareOfInvestment // capped at the approved investment plan
			if v.Clawback != (ClawbackRule{Kind: ClawbackDepreciated, Years: 5}) {
				t.Errorf("%s: clawback %+v", v.Code, v.Clawback)
			}
		}
		if v.Cap.Kind != wantCap {
			t.Errorf("%s: cap %s, want %s", v.Code, v.Cap.Kind, wantCap)
		}
	}
	if want := map[string]TaxKind{"INCOME": TaxIncome, "SALES": TaxSales, "CUSTOMS": TaxCustomsDuty, "PROPERTY": TaxProperty}; !maps.Equal(taxes, want) {
		t.Errorf("tax kinds %v", taxes)
	}
	if f := DefaultFile(); !strings.Contains(string(f), "POLICY CHOICES") {
		t.Error("the default file does not say which figures are policy choices")
	}
}

func TestALicenceGetsTheVersionInForceOnItsGrantDateAndALaterVersionChangesNothingForIt(t *testing.T) {
	p := mustLoad(t, policyFile(t,
		entry(map[string]any{"version": 1, "effective_from": "2021-07-01", "sunset": "2027-06-30"}),
		entry(map[string]any{"version": 2, "effective_from": "2027-07-01", "sunset": "2035-06-30", "cap.share": "0.1"}),
	))
	tests := []struct {
		name    string
		granted string
		want    int // 0: none in force
	}{
		{"granted before the first version: none", "2021-06-30", 0},
		{"granted on the first effective date: version 1", "2021-07-01", 1},
		{"granted on version 1's sunset: still version 1", "2027-06-30", 1},
		{"granted the day version 2 takes effect: version 2", "2027-07-01", 2},
		{"granted on the last sunset: version 2", "2035-06-30", 2},
		{"granted after the last sunset: none", "2035-07-01", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := p.InForce("S21-CUSTOMS", civil.MustParseDate(tt.granted))
			if ok != (tt.want != 0) || v.Version != tt.want {
				t.Errorf("InForce = version %d, %v; want %d", v.Version, ok, tt.want)
			}
		})
	}
	// The version a licence got keeps its figures whatever comes after.
	v1, _ := p.InForce("S21-CUSTOMS", civil.MustParseDate("2026-01-01"))
	if v1.Cap.Share != (Share{Num: 2, Den: 10}) {
		t.Errorf("version 1's share became %v", v1.Cap.Share)
	}
	if got, ok := p.Get("S21-CUSTOMS", 2); !ok || got.Cap.Share != (Share{Num: 1, Den: 10}) {
		t.Errorf("Get(2) = %+v, %v", got, ok)
	}
	if _, ok := p.InForce("NOPE", civil.MustParseDate("2026-01-01")); ok {
		t.Error("an unknown scheme is in force")
	}
	if _, ok := p.Get("S21-CUSTOMS", 3); ok {
		t.Error("an unknown version is found")
	}
}

func TestApplicableSchemesFollowKindTierAndGrantDate(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		kind    tenants.Kind
		tier    tenants.SizeTier
		granted string
		want    []string
	}{
		{"a zone enterprise granted in 2026 gets the four s.21 schemes", tenants.KindZoneEnterprise, tenants.SizeTierSME, "2026-03-15",
			[]string{"S21-CUSTOMS", "S21-INCOME", "S21-PROPERTY", "S21-SALES"}},
		{"a co-developer gets the four s.20 schemes", tenants.KindCoDeveloper, tenants.SizeTierAnchor, "2026-03-15",
			[]string{"S20-CUSTOMS", "S20-INCOME", "S20-PROPERTY", "S20-SALES"}},
		{"a zone developer granted on the sunset still gets them", tenants.KindZoneDeveloper, tenants.SizeTierLarge, "2035-06-30",
			[]string{"S20-CUSTOMS", "S20-INCOME", "S20-PROPERTY", "S20-SALES"}},
		{"a zone enterprise granted the day after the sunset gets none", tenants.KindZoneEnterprise, tenants.SizeTierStartup, "2035-07-01", nil},
		{"a zone enterprise granted before the Act's schemes gets none", tenants.KindZoneEnterprise, tenants.SizeTierStartup, "2021-06-30", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range p.Applicable(Licence{Kind: tt.kind, Tier: tt.tier, GrantedOn: civil.MustParseDate(tt.granted)}) {
				got = append(got, v.Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("applicable %v, want %v", got, tt.want)
			}
		})
	}
	// Tiers narrow a scheme too.
	q := mustLoad(t, policyFile(t, entry(map[string]any{"tiers": []string{"startup"}})))
	if got := q.Applicable(Licence{Kind: tenants.KindZoneEnterprise, Tier: tenants.SizeTierLarge, GrantedOn: civil.MustParseDate("2026-01-01")}); len(got) != 0 {
		t.Errorf("a large licensee got a startup scheme: %v", got)
	}
	if got := q.Applicable(Licence{Kind: tenants.KindZoneEnterprise, Tier: tenants.SizeTierStartup, GrantedOn: civil.MustParseDate("2026-01-01")}); len(got) != 1 {
		t.Errorf("a startup got %v", got)
	}
}

func TestLoadReadsEveryFieldOfAVersion(t *testing.T) {
	p := mustLoad(t, policyFile(t, entry(map[string]any{
		"code": "S21-TEST", "version": 3, "tax_kind": "sales_tax", "beneficiaries": []string{"zone_developer", "co_developer"},
		"tiers": []string{"sme", "large"}, "term": map[string]any{"years": 7, "from": "development_agreement"},
		"cap": map[string]any{"kind": "fixed_per_tier", "per_tier": map[string]any{
			"sme":   map[string]any{"amount_minor": 500, "currency": "PKR"},
			"large": map[string]any{"amount_minor": 900, "currency": "USD"},
		}},
		"tax_year_cap": map[string]any{"kind": "share_of_committed_investment", "share": "0.05"},
		"clawback":     map[string]any{"kind": "full"},
		"sunset":       nil,
	})))
	v, ok := p.Get("S21-TEST", 3)
	if !ok {
		t.Fatal("not loaded")
	}
	want := Version{
		Code: "S21-TEST", Version: 3, Name: "Customs duty on capital goods", LegalBasis: "STZA Act 2021 s.21",
		Beneficiaries: []tenants.Kind{tenants.KindZoneDeveloper, tenants.KindCoDeveloper},
		Tiers:         []tenants.SizeTier{tenants.SizeTierSME, tenants.SizeTierLarge}, TaxKind: TaxSales,
		Term: Term{Years: 7, From: FromDevelopmentAgreement},
		Cap: CapRule{Kind: CapFixedPerTier, PerTier: map[tenants.SizeTier]money.Money{
			tenants.SizeTierSME: {AmountMinor: 500, Currency: "PKR"}, tenants.SizeTierLarge: {AmountMinor: 900, Currency: "USD"},
		}},
		TaxYearCap:    &CapRule{Kind: CapShareOfInvestment, Share: Share{Num: 5, Den: 100}},
		Clawback:      ClawbackRule{Kind: ClawbackFull},
		EffectiveFrom: civil.MustParseDate("2021-07-01"),
	}
	gotJSON, _ := json.Marshal(v)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("version\n got %s\nwant %s", gotJSON, wantJSON)
	}
	if !v.InForceOn(civil.MustParseDate("2099-01-01")) {
		t.Error("a version without a sunset ends")
	}
}

func TestLoadReadsJSONToo(t *testing.T) {
	b, err := json.Marshal(map[string]any{"schemes": []any{entry(nil)}})
	if err != nil {
		t.Fatal(err)
	}
	if p := mustLoad(t, b); len(p.Versions()) != 1 {
		t.Errorf("versions %v", p.Versions())
	}
}

func TestLoadRefusesEachBadPolicyNamingTheField(t *testing.T) {
	tests := []struct {
		name    string
		entries []map[string]any
		want    []string // the fields named, sorted
	}{
		{"duplicate code and version", []map[string]any{entry(nil), entry(map[string]any{"effective_from": "2036-01-01", "sunset": nil})},
			[]string{"schemes[1].version"}},
		{"overlapping versions", []map[string]any{entry(nil), entry(map[string]any{"version": 2, "effective_from": "2030-01-01", "sunset": nil})},
			[]string{"schemes[1].effective_from"}},
		{"an open-ended version followed by another overlaps", []map[string]any{entry(map[string]any{"sunset": nil}), entry(map[string]any{"version": 2, "effective_from": "2040-01-01", "sunset": nil})},
			[]string{"schemes[1].effective_from"}},
		{"a higher version taking effect before a lower one", []map[string]any{entry(nil), entry(map[string]any{"version": 2, "effective_from": "2015-01-01", "sunset": "2020-12-31"})},
			[]string{"schemes[1].version"}},
		{"unknown beneficiary, tier, tax kind, term start, cap and clawback kinds", []map[string]any{entry(map[string]any{
			"beneficiaries": []string{"zone_enterprise", "bank"}, "tiers": []string{"huge"}, "tax_kind": "wealth_tax",
			"term.from": "birth", "cap": map[string]any{"kind": "lots"}, "clawback": map[string]any{"kind": "some"},
		})}, []string{"schemes[0].beneficiaries[1]", "schemes[0].cap.kind", "schemes[0].clawback.kind", "schemes[0].tax_kind", "schemes[0].term.from", "schemes[0].tiers[0]"}},
		{"a kind listed twice", []map[string]any{entry(map[string]any{"tiers": []string{"sme", "sme"}})}, []string{"schemes[0].tiers[1]"}},
		{"non-positive terms", []map[string]any{entry(map[string]any{"term.years": 0, "clawback.years": -5})},
			[]string{"schemes[0].clawback.years", "schemes[0].term.years"}},
		{"a term that is not a number", []map[string]any{entry(map[string]any{"term.years": "ten"})}, []string{"schemes[0].term.years"}},
		{"share of zero", []map[string]any{entry(map[string]any{"cap.share": "0"})}, []string{"schemes[0].cap.share"}},
		{"share over one", []map[string]any{entry(map[string]any{"cap.share": "1.5"})}, []string{"schemes[0].cap.share"}},
		{"share negative", []map[string]any{entry(map[string]any{"cap.share": "-0.5"})}, []string{"schemes[0].cap.share"}},
		{"share missing", []map[string]any{entry(map[string]any{"cap.share": nil})}, []string{"schemes[0].cap.share"}},
		{"share on a cap of another kind", []map[string]any{entry(map[string]any{"cap": map[string]any{"kind": "none", "share": "0.5"}})}, []string{"schemes[0].cap.share"}},
		{"fixed caps with bad currencies, a bad amount, a missing and a foreign tier", []map[string]any{entry(map[string]any{
			"tiers": []string{"startup", "sme", "large"},
			"cap": map[string]any{"kind": "fixed_per_tier", "per_tier": map[string]any{
				"startup": map[string]any{"amount_minor": 100, "currency": "pkr"},
				"sme":     map[string]any{"amount_minor": 0, "currency": "XXX"},
				"anchor":  map[string]any{"amount_minor": 100, "currency": "PKR"},
			}},
		})}, []string{"schemes[0].cap.per_tier.anchor", "schemes[0].cap.per_tier.large", "schemes[0].cap.per_tier.sme.amount_minor", "schemes[0].cap.per_tier.sme.currency", "schemes[0].cap.per_tier.startup.currency"}},
		{"a tax-year cap of none", []map[string]any{entry(map[string]any{"tax_year_cap": map[string]any{"kind": "none"}})}, []string{"schemes[0].tax_year_cap.kind"}},
		{"years on a clawback that is not depreciated", []map[string]any{entry(map[string]any{"clawback": map[string]any{"kind": "full", "years": 3}})}, []string{"schemes[0].clawback.years"}},
		{"sunset before effective_from", []map[string]any{entry(map[string]any{"sunset": "2020-01-01"})}, []string{"schemes[0].sunset"}},
		{"dates that are not dates", []map[string]any{entry(map[string]any{"effective_from": "2021-02-30", "sunset": "soon"})}, []string{"schemes[0].effective_from", "schemes[0].sunset"}},
		{"unknown fields, at every depth", []map[string]any{entry(map[string]any{"colour": "red", "cap.shares": "0.5", "term.month": 3})},
			[]string{"schemes[0].cap.shares", "schemes[0].colour", "schemes[0].term.month"}},
		{"missing fields", []map[string]any{{"code": "S21-X"}}, []string{
			"schemes[0].beneficiaries", "schemes[0].cap", "schemes[0].clawback", "schemes[0].effective_from", "schemes[0].legal_basis", "schemes[0].name",
			"schemes[0].tax_kind", "schemes[0].term.from", "schemes[0].term.years", "schemes[0].tiers", "schemes[0].version"}},
		{"a duplicate with another error is reported with it", []map[string]any{entry(nil), entry(map[string]any{"tax_kind": "wealth_tax"})},
			[]string{"schemes[1].tax_kind", "schemes[1].version"}},
		{"a bad code", []map[string]any{entry(map[string]any{"code": "s21 customs"})}, []string{"schemes[0].code"}},
		{"a value of the wrong kind", []map[string]any{entry(map[string]any{"cap": []string{"none"}}), entry(map[string]any{"version": 2, "effective_from": "2036-01-01", "tiers": "sme"})},
			[]string{"schemes[0].cap", "schemes[1].tiers"}},
		{"no schemes", nil, []string{"schemes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(policyFile(t, tt.entries...))
			faulttest.WantFields(t, err, tt.want...)
		})
	}
}

func TestLoadReportsEveryErrorOfEverySchemeAtOnceNamingSchemeAndVersion(t *testing.T) {
	_, err := Load(policyFile(t,
		entry(map[string]any{"code": "S21-A", "cap.share": "2"}),
		entry(map[string]any{"code": "S21-B", "version": 4, "term.years": 0, "colour": "red"}),
	))
	fs := faulttest.WantFields(t, err, "schemes[0].cap.share", "schemes[1].colour", "schemes[1].term.years").Fields
	want := []fault.FieldError{
		{Field: "schemes[0].cap.share", Reason: "scheme S21-A version 1: must be a decimal in (0, 1] with at most 6 decimals, e.g. 0.25"},
		{Field: "schemes[1].colour", Reason: "scheme S21-B version 4: unknown field"},
		{Field: "schemes[1].term.years", Reason: "scheme S21-B version 4: must be between 1 and 100"},
	}
	if !slices.Equal(fs, want) {
		t.Errorf("fields\n got %+v\nwant %+v", fs, want)
	}
}

func TestLoadRefusesWhatIsNotAPolicyDocument(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty", "", []string{"schemes"}},
		{"not YAML", "schemes: [\n", []string{"policy"}},
		{"a list at the top", "- a\n", []string{""}},
		{"schemes not a list", "schemes: {a: 1}\n", []string{"schemes"}},
		{"an unknown top-level field", "schemes: []\nversion: 2\n", []string{"schemes", "version"}},
		{"a key given twice", "schemes: []\nschemes: []\n", []string{"schemes", "schemes"}},
		{"a scheme that is not a mapping", "schemes: [1]\n", []string{"schemes[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load([]byte(tt.data))
			faulttest.WantFields(t, err, tt.want...)
		})
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(DefaultFile())
	f.Add(policyFile(f, entry(nil), entry(map[string]any{"version": 2, "effective_from": "2036-01-01", "sunset": nil})))
	f.Add(policyFile(f, entry(map[string]any{"cap": map[string]any{"kind": "fixed_per_tier", "per_tier": map[string]any{"sme": map[string]any{"amount_minor": 1, "currency": "PKR"}}}})))
	f.Add([]byte(`{"schemes":[{"code":"S21-X","cap":{"kind":"none"}}]}`))
	f.Add([]byte("schemes:\n  - &a {code: S21-X}\n  - *a\n"))
	f.Add([]byte("schemes: [~, 1, [2]]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(data)
		if err != nil {
			var v *fault.ValidationError
			if !errors.As(err, &v) || len(v.Fields) == 0 {
				t.Fatalf("error %v is not a ValidationError with fields", err)
			}
			return
		}
		// A loaded policy keeps its promises: one version in force a day, valid rules.
		for _, v := range p.Versions() {
			if v.Term.Years < 1 || (v.Cap.Kind == CapShareOfInvestment && (v.Cap.Share.Num <= 0 || v.Cap.Share.Num > v.Cap.Share.Den)) {
				t.Fatalf("invalid version loaded: %+v", v)
			}
			if got, ok := p.InForce(v.Code, v.EffectiveFrom); !ok || got.Version != v.Version {
				t.Fatalf("InForce(%s, %s) = %d, %v", v.Code, v.EffectiveFrom, got.Version, ok)
			}
		}
	})
}
