package ledger

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/money"
)

// rupees is an amount of whole rupees in paisa.
func rupees(n int64) money.Money { return money.Money{AmountMinor: n * 100, Currency: "PKR"} }

var at = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func ref(id string) Ref { return Ref{ID: id, At: at} }

// apply applies tx to b, failing the test on an error.
func apply(t testing.TB, b *Balances, tx Transaction, err error) Transaction {
	t.Helper()
	if err != nil {
		t.Fatalf("decide: %v", err)
	}
	if err := b.Apply(tx); err != nil {
		t.Fatalf("apply %s: %v", tx.ID(), err)
	}
	return tx
}

// applyTo returns apply bound to t and b, to wrap a decision's two results.
func applyTo(t testing.TB, b *Balances) func(Transaction, error) Transaction {
	return func(tx Transaction, err error) Transaction {
		t.Helper()
		return apply(t, b, tx, err)
	}
}

// sameBalances reports whether x and y hold the same accounts with the same balances.
func sameBalances(x, y *Balances) bool {
	if len(x.m) != len(y.m) {
		return false
	}
	for a, bal := range x.m {
		if y.m[a] != bal {
			return false
		}
	}
	return true
}

// rupeesOf returns the balance of a in whole rupees, 0 when it has none.
func rupeesOf(b *Balances, a Account) int64 { return b.amount(a) / 100 }

func TestWorkedExampleOfThePackageComment(t *testing.T) {
	e := Entitlement{ID: "E", Scheme: "S", Currency: "PKR", Cap: rupees(10_000_000).AmountMinor}
	var b Balances
	var entries []Transaction
	var claimB Transaction
	type row struct{ cap, utilised, capsAuth, foregone, clawedBack, receivable, recovered int64 }
	steps := []struct {
		name   string
		decide func() (Transaction, error)
		want   row
	}{
		{"1 open with cap 10,000,000", func() (Transaction, error) { return Open(ref("open"), e) },
			row{10_000_000, 0, 10_000_000, 0, 0, 0, 0}},
		{"2 claim A of 2,500,000", func() (Transaction, error) { return Claim(ref("A"), e, &b, rupees(2_500_000), 2027) },
			row{7_500_000, 2_500_000, 7_500_000, 2_500_000, 0, 0, 0}},
		{"3 claim B of 1,000,000", func() (Transaction, error) {
			tx, err := Claim(ref("B"), e, &b, rupees(1_000_000), 2027)
			claimB = tx
			return tx, err
		}, row{6_500_000, 3_500_000, 6_500_000, 3_500_000, 0, 0, 0}},
		{"4 reversal of B", func() (Transaction, error) { return Reverse(ref("B-reversed"), claimB) },
			row{7_500_000, 2_500_000, 7_500_000, 2_500_000, 0, 0, 0}},
		{"5 clawback of 1,500,000", func() (Transaction, error) { return AssessClawback(ref("K"), e, &b, rupees(1_500_000)) },
			row{7_500_000, 2_500_000, 7_500_000, 2_500_000, 1_500_000, 1_500_000, 0}},
		{"6 recovery of 1,000,000", func() (Transaction, error) { return Recover(ref("R"), e, &b, rupees(1_000_000)) },
			row{7_500_000, 2_500_000, 7_500_000, 2_500_000, 1_500_000, 500_000, 1_000_000}},
	}
	for _, s := range steps {
		tx, err := s.decide()
		entries = append(entries, apply(t, &b, tx, err))
		got := row{
			rupeesOf(&b, EntitlementAccount("E", Cap)), rupeesOf(&b, EntitlementAccount("E", Utilised)),
			rupeesOf(&b, SchemeAccount("S", CapsAuthorised)), rupeesOf(&b, SchemeAccount("S", RevenueForegone)),
			rupeesOf(&b, SchemeAccount("S", ClawedBack)), rupeesOf(&b, ClawbackAccount("E", Receivable)),
			rupeesOf(&b, ClawbackAccount("E", Recovered)),
		}
		if got != s.want {
			t.Errorf("after %s: balances %+v, want %+v", s.name, got, s.want)
		}
		if d := Verify(entries, &b); len(d) != 0 {
			t.Errorf("after %s: Verify reports %+v", s.name, d)
		}
	}
	if _, err := Claim(ref("C"), e, &b, rupees(7_500_001), 2027); !errors.Is(err, RuleCapExceeded) {
		t.Errorf("claim of 7,500,001 with 7,500,000 left: %v, want %s", err, RuleCapExceeded)
	}
	if _, err := Recover(ref("R2"), e, &b, rupees(500_001)); !errors.Is(err, RuleRecoveryExceedsReceivable) {
		t.Errorf("recovery of 500,001 with 500,000 receivable: %v, want %s", err, RuleRecoveryExceedsReceivable)
	}
}

func TestClaimRefusesNamingTheRule(t *testing.T) {
	capped := Entitlement{ID: "E", Scheme: "S", Currency: "PKR", Cap: rupees(1_000).AmountMinor,
		TaxYearCaps: []YearCap{{2027, rupees(600).AmountMinor}, {2028, rupees(600).AmountMinor}}}
	var b Balances
	applyTo(t, &b)(Open(ref("open"), capped))
	applyTo(t, &b)(Claim(ref("c1"), capped, &b, rupees(500), 2027))
	suspended := capped
	suspended.Holds = suspended.Holds.With(SourceCompliance)
	tests := []struct {
		name   string
		e      Entitlement
		amount money.Money
		year   TaxYear
		want   Rule
	}{
		{"zero rupees is not positive", capped, rupees(0), 2027, RuleNotPositive},
		{"minus one rupee is not positive", capped, rupees(-1), 2027, RuleNotPositive},
		{"dollars against a rupee entitlement is a currency mismatch", capped, money.Money{AmountMinor: 100, Currency: "USD"}, 2027, RuleCurrencyMismatch},
		{"a compliance hold suspends claims", suspended, rupees(1), 2027, RuleSuspended},
		{"501 with 500 of the term left exceeds the cap", capped, rupees(501), 2028, RuleCapExceeded},
		{"101 with 100 of tax year 2027 left exceeds the year's cap", capped, rupees(101), 2027, RuleTaxYearCapExceeded},
		{"tax year 2029 is outside a term of 2027-2028", capped, rupees(1), 2029, RuleTaxYearOutsideTerm},
		{"a term cap of zero is invalid terms", Entitlement{ID: "E", Scheme: "S", Currency: "PKR"}, rupees(1), 2027, RuleInvalidTerms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := b.Clone()
			_, err := Claim(ref("c2"), tt.e, &b, tt.amount, tt.year)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want rule %s", err, tt.want)
			}
			var v Violation
			if !errors.As(err, &v) || v.Rule != tt.want || !strings.Contains(err.Error(), string(tt.want)) {
				t.Errorf("err %v does not carry the rule %s", err, tt.want)
			}
			if !sameBalances(before, &b) {
				t.Error("a refused claim changed the balances")
			}
		})
	}
	if tx, err := Claim(ref("c3"), capped, &b, rupees(500), 2028); err != nil || len(tx.Postings()) != 6 {
		t.Errorf("claim of exactly what is left: %v, %d legs", err, len(tx.Postings()))
	}
}

func TestUncappedEntitlementTracksUtilisedOnly(t *testing.T) {
	e := Entitlement{ID: "E", Scheme: "S", Currency: "PKR", Uncapped: true}
	var b Balances
	open := applyTo(t, &b)(Open(ref("open"), e))
	if len(open.Postings()) != 0 {
		t.Errorf("uncapped open posts %v", open.Postings())
	}
	c := applyTo(t, &b)(Claim(ref("c"), e, &b, rupees(1_000_000_000), 2027))
	if got := len(c.Postings()); got != 2 {
		t.Errorf("uncapped claim has %d legs, want 2", got)
	}
	if _, ok := b.Balance(EntitlementAccount("E", Cap)); ok {
		t.Error("uncapped entitlement has a cap account")
	}
	if rupeesOf(&b, EntitlementAccount("E", Utilised)) != 1_000_000_000 || rupeesOf(&b, SchemeAccount("S", RevenueForegone)) != 1_000_000_000 {
		t.Errorf("balances %v", b.m)
	}
	bad := e
	bad.Cap = 5
	if _, err := Open(ref("bad"), bad); !errors.Is(err, RuleInvalidTerms) {
		t.Errorf("uncapped with a cap: %v", err)
	}
}

func TestClawbackNeverExceedsWhatWasUtilisedAndNotYetAssessed(t *testing.T) {
	e := Entitlement{ID: "E", Scheme: "S", Currency: "PKR", Cap: rupees(1_000).AmountMinor}
	var b Balances
	applyTo(t, &b)(Open(ref("open"), e))
	if _, err := AssessClawback(ref("k0"), e, &b, rupees(1)); !errors.Is(err, RuleClawbackExceedsUtilised) {
		t.Errorf("clawback of 1 with nothing utilised: %v", err)
	}
	applyTo(t, &b)(Claim(ref("c"), e, &b, rupees(300), 2027))
	applyTo(t, &b)(AssessClawback(ref("k1"), e, &b, rupees(200)))
	applyTo(t, &b)(Recover(ref("r1"), e, &b, rupees(150)))
	tests := []struct {
		name   string
		decide func() (Transaction, error)
		want   Rule
	}{
		{"a second clawback of 101 with 100 not yet assessed", func() (Transaction, error) { return AssessClawback(ref("k2"), e, &b, rupees(101)) }, RuleClawbackExceedsUtilised},
		{"a recovery of 51 with 50 receivable", func() (Transaction, error) { return Recover(ref("r2"), e, &b, rupees(51)) }, RuleRecoveryExceedsReceivable},
		{"a recovery of zero", func() (Transaction, error) { return Recover(ref("r2"), e, &b, rupees(0)) }, RuleNotPositive},
		{"a clawback in dollars", func() (Transaction, error) {
			return AssessClawback(ref("k2"), e, &b, money.Money{AmountMinor: 1, Currency: "USD"})
		}, RuleCurrencyMismatch},
		{"reversing a recovery", func() (Transaction, error) {
			r, _ := Recover(ref("r3"), e, &b, rupees(1))
			return Reverse(ref("x"), r)
		}, RuleNotAClaim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.decide(); !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %s", err, tt.want)
			}
		})
	}
	applyTo(t, &b)(AssessClawback(ref("k2"), e, &b, rupees(100)))
	applyTo(t, &b)(Recover(ref("r2"), e, &b, rupees(150)))
	if rupeesOf(&b, ClawbackAccount("E", Receivable)) != 0 || rupeesOf(&b, ClawbackAccount("E", Recovered)) != 300 {
		t.Errorf("settled clawback: receivable %d, recovered %d", rupeesOf(&b, ClawbackAccount("E", Receivable)), rupeesOf(&b, ClawbackAccount("E", Recovered)))
	}
}

func TestValidateRefusesUnsoundTransactions(t *testing.T) {
	cap := EntitlementAccount("E", Cap)
	auth := SchemeAccount("S", CapsAuthorised)
	usd := money.Money{AmountMinor: 100, Currency: "USD"}
	tests := []struct {
		name string
		ref  Ref
		kind Kind
		rev  string
		legs []Posting
		want string
	}{
		{"debits 100 and credits 99 do not balance", ref("t"), KindOpen, "", []Posting{leg(auth, Debit, rupees(100)), leg(cap, Credit, rupees(99))}, "not balanced"},
		{"PKR 100 against USD 100 does not balance per currency", ref("t"), KindOpen, "", []Posting{leg(auth, Debit, rupees(1)), leg(cap, Credit, usd)}, "not balanced"},
		{"a zero leg", ref("t"), KindOpen, "", []Posting{leg(auth, Debit, rupees(0)), leg(cap, Credit, rupees(0))}, "must be positive"},
		{"a negative leg", ref("t"), KindOpen, "", []Posting{leg(auth, Debit, rupees(-1)), leg(cap, Credit, rupees(-1))}, "must be positive"},
		{"a leg with no side", ref("t"), KindOpen, "", []Posting{{Account: auth, Amount: rupees(1)}, leg(cap, Credit, rupees(1))}, "no side"},
		{"one account in two currencies", ref("t"), KindOpen, "", []Posting{leg(auth, Debit, rupees(1)), leg(auth, Debit, usd), leg(cap, Credit, rupees(1)), leg(cap, Credit, usd)}, "in both"},
		{"an unsupported currency", ref("t"), KindOpen, "", []Posting{leg(auth, Debit, money.Money{AmountMinor: 1, Currency: "XXX"}), leg(cap, Credit, money.Money{AmountMinor: 1, Currency: "XXX"})}, "unsupported currency"},
		{"an account not in the chart", ref("t"), KindOpen, "", []Posting{leg(Account{Owner: OwnerScheme, ID: "S", Name: "cash"}, Debit, rupees(1)), leg(cap, Credit, rupees(1))}, "unknown name"},
		{"a tax-year account without its year", ref("t"), KindOpen, "", []Posting{leg(auth, Debit, rupees(1)), leg(EntitlementAccount("E", TaxYearCap), Credit, rupees(1))}, "tax year is required"},
		{"no id", Ref{}, KindOpen, "", nil, "id required"},
		{"an unknown kind", ref("t"), "transfer", "", nil, "unknown kind"},
		{"a claim with no legs", ref("t"), KindClaim, "", nil, "no postings"},
		{"a reversal that names no claim", ref("t"), KindReversal, "", []Posting{leg(cap, Debit, rupees(1)), leg(auth, Credit, rupees(1))}, "names the claim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewTransaction(tt.ref, tt.kind, "E", tt.rev, tt.legs...)
			if !errors.Is(err, ErrInvalidTransaction) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			var b Balances
			if err := b.Apply(Transaction{id: tt.ref.ID, kind: tt.kind, entitlement: "E", reverses: tt.rev, postings: tt.legs}); err == nil {
				t.Error("Apply accepted it")
			}
		})
	}
}

func TestTransactionIsImmutableOnceBuilt(t *testing.T) {
	legs := []Posting{leg(SchemeAccount("S", CapsAuthorised), Debit, rupees(5)), leg(EntitlementAccount("E", Cap), Credit, rupees(5))}
	tx, err := NewTransaction(ref("t"), KindOpen, "E", "", legs...)
	if err != nil {
		t.Fatal(err)
	}
	legs[0].Amount = rupees(6)
	got := tx.Postings()
	got[1].Amount = rupees(7)
	if p := tx.Postings(); p[0].Amount != rupees(5) || p[1].Amount != rupees(5) {
		t.Errorf("postings changed under the transaction: %+v", p)
	}
	if tx.ID() != "t" || tx.Kind() != KindOpen || tx.Entitlement() != "E" || !tx.At().Equal(at) || tx.Reverses() != "" {
		t.Errorf("fields %+v", tx)
	}
}

func TestApplyIsAllOrNothing(t *testing.T) {
	e := Entitlement{ID: "E", Scheme: "S", Currency: "PKR", Cap: 100}
	var b Balances
	applyTo(t, &b)(Open(ref("open"), e))
	usd := e
	usd.Currency, usd.ID = "USD", "F" // another entitlement of the same scheme in dollars
	tx, err := Open(ref("open-usd"), usd)
	if err != nil {
		t.Fatal(err)
	}
	before := b.Clone()
	if err := b.Apply(tx); !errors.Is(err, RuleCurrencyMismatch) {
		t.Fatalf("caps_authorised of S in PKR then USD: %v", err)
	}
	if !sameBalances(before, &b) {
		t.Errorf("a refused Apply changed the balances")
	}
	huge := Entitlement{ID: "G", Scheme: "S", Currency: "PKR", Cap: 1<<63 - 1}
	tx, err = Open(ref("open-huge"), huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Apply(tx); !errors.Is(err, RuleOverflow) {
		t.Fatalf("caps_authorised past int64: %v", err)
	}
	if _, ok := b.Balance(EntitlementAccount("G", Cap)); ok {
		t.Error("the overflowing open left G's cap behind")
	}
}

func TestVerifyReportsEachDifference(t *testing.T) {
	e := Entitlement{ID: "E", Scheme: "S", Currency: "PKR", Cap: rupees(1_000).AmountMinor}
	var b Balances
	entries := []Transaction{
		applyTo(t, &b)(Open(ref("open"), e)),
		applyTo(t, &b)(Claim(ref("c"), e, &b, rupees(100), 2027)),
	}
	if d := Verify(entries, &b); len(d) != 0 {
		t.Fatalf("sound ledger: %+v", d)
	}
	if d := Verify(entries, nil); len(d) != len(b.Accounts()) {
		t.Errorf("nothing stored: %d differences, want one per account (%d)", len(d), len(b.Accounts()))
	}
	tests := []struct {
		name    string
		tamper  func(b *Balances) []Transaction
		want    []Check
		account string
	}{
		{"a utilised balance edited from 100 to 90", func(b *Balances) []Transaction {
			_ = b.Set(EntitlementAccount("E", Utilised), rupees(90))
			return entries
		}, []Check{CheckBalance, CheckTrialBalance}, "entitlement:E:utilised"},
		{"an entry lost", func(b *Balances) []Transaction { return entries[:1] }, []Check{CheckBalance, CheckBalance, CheckBalance, CheckBalance}, ""},
		{"a stored balance with no entries", func(b *Balances) []Transaction {
			_ = b.Set(ClawbackAccount("E", Receivable), rupees(5))
			return entries
		}, []Check{CheckBalance, CheckTrialBalance}, "clawback:E:receivable"},
		{"an unbalanced entry", func(b *Balances) []Transaction {
			return append(entries[:2:2], Transaction{id: "bad", kind: KindClaim, entitlement: "E",
				postings: []Posting{leg(EntitlementAccount("E", Cap), Debit, rupees(1))}})
		}, []Check{CheckEntry}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored := b.Clone()
			d := Verify(tt.tamper(stored), stored)
			var got []Check
			for _, x := range d {
				got = append(got, x.Check)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("differences %+v, want checks %v", d, tt.want)
			}
			if tt.account != "" && d[0].Account != tt.account {
				t.Errorf("difference on %s, want %s", d[0].Account, tt.account)
			}
		})
	}
}

func TestAccountsReadBackFromText(t *testing.T) {
	for _, a := range []Account{
		EntitlementAccount("ent-1", Cap), TaxYearAccount("ent-1", TaxYearUtilised, 2027),
		SchemeAccount("S21-income", RevenueForegone), ClawbackAccount("ent-1", Recovered),
	} {
		got, err := ParseAccount(a.String())
		if err != nil || got != a {
			t.Errorf("ParseAccount(%q) = %+v, %v", a, got, err)
		}
	}
	for _, s := range []string{"", "entitlement:E", "scheme:S:cap", "entitlement:E:tax_year_cap:x", "entitlement:E:cap:2027", "entitlement::cap"} {
		if _, err := ParseAccount(s); err == nil {
			t.Errorf("ParseAccount(%q) accepted", s)
		}
	}
}

func TestSuspensionHoldsUntilEverySourceLetsGo(t *testing.T) {
	var h Holds
	h = h.With(SourceLicence).With(SourceCompliance).With(SourceLicence)
	if !h.Suspended() || len(h) != 2 {
		t.Fatalf("holds %v", h)
	}
	h2 := h.Without(SourceLicence)
	if !h2.Suspended() || !h.Suspended() || len(h) != 2 {
		t.Errorf("after the licence lets go: %v (was %v)", h2, h)
	}
	if h2.Without(SourceCompliance).Suspended() {
		t.Error("still suspended with no source")
	}
}
