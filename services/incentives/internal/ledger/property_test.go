package ledger

import (
	"errors"
	"fmt"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/money"
	"pgregory.net/rapid"
)

// schemes maps each scheme of the model to its currency: a scheme's accounts keep one
// currency, so its entitlements share it.
var schemes = map[string]string{"S20-developer": "PKR", "S21-income": "PKR", "S21-customs": "USD"}

var taxYears = []TaxYear{2027, 2028, 2029}

// modelled is what the model expects of one entitlement, kept apart from the ledger.
type modelled struct {
	e         Entitlement
	utilised  int64
	year      map[TaxYear]int64
	assessed  int64
	recovered int64
	claims    []Transaction // accepted and not reversed
}

// machine runs random decisions against Balances and a plain model of what they should do.
type machine struct {
	b       Balances
	entries []Transaction
	ents    []*modelled
	seq     int
}

func (m *machine) ref() Ref {
	m.seq++
	return Ref{ID: fmt.Sprintf("tx-%d", m.seq), At: at}
}

func (m *machine) post(t *rapid.T, tx Transaction) {
	if err := m.b.Apply(tx); err != nil {
		t.Fatalf("apply %s: %v", tx.ID(), err)
	}
	m.entries = append(m.entries, tx)
}

func (m *machine) pick(t *rapid.T) *modelled {
	if len(m.ents) == 0 {
		t.Skip("no entitlement yet")
	}
	return rapid.SampledFrom(m.ents).Draw(t, "entitlement")
}

// wantRefusal expects err to carry rule, or to be nil when rule is empty.
func wantRefusal(t *rapid.T, what string, err error, rule Rule) {
	switch {
	case rule == "" && err != nil:
		t.Fatalf("%s refused: %v", what, err)
	case rule != "" && !errors.Is(err, rule):
		t.Fatalf("%s: err %v, want rule %s", what, err, rule)
	}
}

func (m *machine) open(t *rapid.T) {
	scheme := rapid.SampledFrom([]string{"S20-developer", "S21-income", "S21-customs"}).Draw(t, "scheme")
	e := Entitlement{ID: fmt.Sprintf("ent-%d", len(m.ents)+1), Scheme: scheme, Currency: schemes[scheme]}
	switch rapid.IntRange(0, 2).Draw(t, "shape") {
	case 0:
		e.Uncapped = true
	case 1:
		e.Cap = rapid.Int64Range(1, 10_000).Draw(t, "cap")
	case 2:
		e.Cap = rapid.Int64Range(1, 10_000).Draw(t, "cap")
		for _, y := range taxYears {
			e.TaxYearCaps = append(e.TaxYearCaps, YearCap{y, rapid.Int64Range(1, 5_000).Draw(t, "year cap")})
		}
	}
	tx, err := Open(m.ref(), e)
	if err != nil {
		t.Fatalf("open %+v: %v", e, err)
	}
	m.post(t, tx)
	m.ents = append(m.ents, &modelled{e: e, year: map[TaxYear]int64{}})
}

func (m *machine) claim(t *rapid.T) {
	x := m.pick(t)
	amount := money.Money{AmountMinor: rapid.Int64Range(-2, 6_000).Draw(t, "amount"), Currency: x.e.Currency}
	if rapid.IntRange(0, 19).Draw(t, "other currency") == 0 {
		amount.Currency = "EUR"
	}
	year := rapid.SampledFrom([]TaxYear{2026, 2027, 2028, 2029, 2030}).Draw(t, "tax year")
	var rule Rule
	yearCap, inTerm := x.e.yearCap(year)
	switch {
	case amount.AmountMinor <= 0:
		rule = RuleNotPositive
	case amount.Currency != x.e.Currency:
		rule = RuleCurrencyMismatch
	case x.e.Holds.Suspended():
		rule = RuleSuspended
	case !x.e.Uncapped && x.utilised+amount.AmountMinor > x.e.Cap:
		rule = RuleCapExceeded
	case len(x.e.TaxYearCaps) > 0 && !inTerm:
		rule = RuleTaxYearOutsideTerm
	case len(x.e.TaxYearCaps) > 0 && x.year[year]+amount.AmountMinor > yearCap:
		rule = RuleTaxYearCapExceeded
	}
	before := m.b.Clone()
	tx, err := Claim(m.ref(), x.e, &m.b, amount, year)
	wantRefusal(t, "claim", err, rule)
	if err != nil {
		if !sameBalances(before, &m.b) {
			t.Fatal("a refused claim changed the balances")
		}
		return
	}
	m.post(t, tx)
	x.utilised += amount.AmountMinor
	if len(x.e.TaxYearCaps) > 0 {
		x.year[year] += amount.AmountMinor
	}
	x.claims = append(x.claims, tx)
}

func (m *machine) reverse(t *rapid.T) {
	x := m.pick(t)
	if len(x.claims) == 0 {
		t.Skip("no claim to reverse")
	}
	i := rapid.IntRange(0, len(x.claims)-1).Draw(t, "claim")
	claim := x.claims[i]
	tx, err := Reverse(m.ref(), claim)
	if err != nil {
		t.Fatalf("reverse: %v", err)
	}
	before := m.b.Clone()
	m.post(t, tx)
	// The reversal gives back exactly what the claim took, account by account.
	for _, p := range claim.Postings() {
		was, _ := before.Balance(p.Account)
		now, _ := m.b.Balance(p.Account)
		took := p.Amount.AmountMinor
		if p.Side == p.Account.Normal() {
			took = -took // the claim raised this balance; the reversal lowers it
		}
		if now.AmountMinor-was.AmountMinor != took {
			t.Fatalf("reversal moved %s from %d to %d, want a change of %d", p.Account, was.AmountMinor, now.AmountMinor, took)
		}
	}
	x.utilised -= claim.Postings()[0].Amount.AmountMinor
	for _, p := range claim.Postings() {
		if p.Account.Name == TaxYearUtilised {
			x.year[p.Account.TaxYear] -= p.Amount.AmountMinor
		}
	}
	x.claims = append(x.claims[:i], x.claims[i+1:]...)
}

func (m *machine) suspend(t *rapid.T) {
	x := m.pick(t)
	x.e.Holds = x.e.Holds.With(rapid.SampledFrom([]Source{SourceLicence, SourceOperator, SourceCompliance}).Draw(t, "source"))
}

func (m *machine) reinstate(t *rapid.T) {
	x := m.pick(t)
	x.e.Holds = x.e.Holds.Without(rapid.SampledFrom([]Source{SourceLicence, SourceOperator, SourceCompliance}).Draw(t, "source"))
}

func (m *machine) clawback(t *rapid.T) {
	x := m.pick(t)
	open := x.utilised - x.assessed
	amount := rapid.Int64Range(1, max(open, 0)+10).Draw(t, "clawback")
	var rule Rule
	if amount > open {
		rule = RuleClawbackExceedsUtilised
	}
	tx, err := AssessClawback(m.ref(), x.e, &m.b, money.Money{AmountMinor: amount, Currency: x.e.Currency})
	wantRefusal(t, "clawback", err, rule)
	if err == nil {
		m.post(t, tx)
		x.assessed += amount
	}
}

func (m *machine) recover(t *rapid.T) {
	x := m.pick(t)
	receivable := x.assessed - x.recovered
	amount := rapid.Int64Range(1, receivable+10).Draw(t, "recovery")
	var rule Rule
	if amount > receivable {
		rule = RuleRecoveryExceedsReceivable
	}
	tx, err := Recover(m.ref(), x.e, &m.b, money.Money{AmountMinor: amount, Currency: x.e.Currency})
	wantRefusal(t, "recovery", err, rule)
	if err == nil {
		m.post(t, tx)
		x.recovered += amount
	}
}

// check holds after every step.
func (m *machine) check(t *rapid.T) {
	trial, err := m.b.TrialBalance()
	if err != nil {
		t.Fatal(err)
	}
	for c, sum := range trial {
		if sum != 0 {
			t.Fatalf("trial balance in %s is %d", c, sum)
		}
	}
	if d := Verify(m.entries, &m.b); len(d) != 0 {
		t.Fatalf("Verify reports %+v", d)
	}
	for _, x := range m.ents {
		id := x.e.ID
		if got := m.b.amount(EntitlementAccount(id, Utilised)); got != x.utilised {
			t.Fatalf("%s utilised %d, model %d", id, got, x.utilised)
		}
		if !x.e.Uncapped {
			if x.utilised > x.e.Cap || m.b.amount(EntitlementAccount(id, Cap)) != x.e.Cap-x.utilised {
				t.Fatalf("%s utilised %d of cap %d, cap account %d", id, x.utilised, x.e.Cap, m.b.amount(EntitlementAccount(id, Cap)))
			}
		}
		for _, yc := range x.e.TaxYearCaps {
			used := m.b.amount(TaxYearAccount(id, TaxYearUtilised, yc.Year))
			if used != x.year[yc.Year] || used > yc.Cap || m.b.amount(TaxYearAccount(id, TaxYearCap, yc.Year)) != yc.Cap-used {
				t.Fatalf("%s tax year %s: utilised %d (model %d) of cap %d", id, yc.Year, used, x.year[yc.Year], yc.Cap)
			}
		}
		receivable, recovered := m.b.amount(ClawbackAccount(id, Receivable)), m.b.amount(ClawbackAccount(id, Recovered))
		if receivable < 0 || recovered > x.assessed || receivable+recovered != x.assessed {
			t.Fatalf("%s clawback: receivable %d, recovered %d, assessed %d", id, receivable, recovered, x.assessed)
		}
	}
	for scheme := range schemes {
		var utilised, caps int64
		for _, x := range m.ents {
			if x.e.Scheme == scheme {
				utilised += x.utilised
				if !x.e.Uncapped {
					caps += x.e.Cap - x.utilised
				}
			}
		}
		if got := m.b.amount(SchemeAccount(scheme, RevenueForegone)); got != utilised {
			t.Fatalf("%s revenue foregone %d, sum of utilised %d", scheme, got, utilised)
		}
		if got := m.b.amount(SchemeAccount(scheme, CapsAuthorised)); got != caps {
			t.Fatalf("%s caps authorised %d, sum of caps left %d", scheme, got, caps)
		}
	}
}

// TestLedgerStaysTrueUnderRandomDecisions runs random sequences of opens, claims, reversals,
// suspensions and reinstatements, clawbacks and recoveries: after each step the trial balance
// is zero per currency, Verify finds nothing, no claim took utilised past a cap, a reversal
// gave back exactly what its claim took, and recoveries never passed the receivable.
func TestLedgerStaysTrueUnderRandomDecisions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &machine{}
		t.Repeat(map[string]func(*rapid.T){
			"open":      m.open,
			"claim":     m.claim,
			"reverse":   m.reverse,
			"suspend":   m.suspend,
			"reinstate": m.reinstate,
			"clawback":  m.clawback,
			"recover":   m.recover,
			"":          m.check,
		})
	})
}

func BenchmarkClaimAndApply(b *testing.B) {
	e := Entitlement{ID: "E", Scheme: "S", Currency: "PKR", Cap: 1 << 60,
		TaxYearCaps: []YearCap{{2027, 1 << 60}}}
	var bal Balances
	tx, err := Open(ref("open"), e)
	if err != nil || bal.Apply(tx) != nil {
		b.Fatal(err)
	}
	amount := rupees(1_000)
	b.ReportAllocs()
	for b.Loop() {
		tx, err := Claim(ref("c"), e, &bal, amount, 2027)
		if err != nil {
			b.Fatal(err)
		}
		if err := bal.Apply(tx); err != nil {
			b.Fatal(err)
		}
	}
}
