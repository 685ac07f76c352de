package ledger

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zoneops/zoneops/services/incentives/internal/scheme"
)

// Owner is what an account belongs to: an entitlement, a scheme or a clawback.
type Owner string

// The owners of accounts.
const (
	OwnerEntitlement Owner = "entitlement"
	OwnerScheme      Owner = "scheme"
	// OwnerClawback accounts are keyed by the entitlement clawed back: a licence ends once, so
	// an entitlement has at most one clawback (a second assessment adds to it).
	OwnerClawback Owner = "clawback"
)

// Name is the account's role within its owner; the chart of accounts is in the package comment.
type Name string

// The chart of accounts.
const (
	// Cap is what may still be granted over the entitlement's term (credit-normal).
	Cap Name = "cap"
	// Utilised is what has been granted so far over the term (credit-normal).
	Utilised Name = "utilised"
	// TaxYearCap is what may still be granted in one tax year (credit-normal).
	TaxYearCap Name = "tax_year_cap"
	// TaxYearUtilised is what has been granted in one tax year (credit-normal).
	TaxYearUtilised Name = "tax_year_utilised"
	// CapsAuthorised is the scheme's exposure: the unused caps of its capped entitlements
	// (debit-normal). It always equals the sum of their Cap accounts.
	CapsAuthorised Name = "caps_authorised"
	// TaxYearCapsAuthorised is the sum of the tax-year caps the scheme's entitlements opened
	// (debit-normal).
	TaxYearCapsAuthorised Name = "tax_year_caps_authorised"
	// RevenueForegone is the tax the state gave up under the scheme (debit-normal, an expense).
	RevenueForegone Name = "revenue_foregone"
	// ClawedBack is the revenue foregone the scheme assessed back from beneficiaries whose
	// licence ended early (credit-normal, a contra account of RevenueForegone).
	ClawedBack Name = "clawed_back"
	// Receivable is what a clawback still has to recover (debit-normal, an asset).
	Receivable Name = "receivable"
	// Recovered is what a clawback has recovered (debit-normal).
	Recovered Name = "recovered"
)

// Side is the side of a posting, or the side on which an account's balance normally stands.
type Side int

// The two sides of double entry.
const (
	Debit Side = iota + 1
	Credit
)

// String returns "debit" or "credit".
func (s Side) String() string {
	switch s {
	case Debit:
		return "debit"
	case Credit:
		return "credit"
	}
	return "side(" + strconv.Itoa(int(s)) + ")"
}

// chart lists every name with its owner and normal side.
var chart = map[Name]struct {
	owner   Owner
	normal  Side
	taxYear bool
}{
	Cap:                   {OwnerEntitlement, Credit, false},
	Utilised:              {OwnerEntitlement, Credit, false},
	TaxYearCap:            {OwnerEntitlement, Credit, true},
	TaxYearUtilised:       {OwnerEntitlement, Credit, true},
	CapsAuthorised:        {OwnerScheme, Debit, false},
	TaxYearCapsAuthorised: {OwnerScheme, Debit, false},
	RevenueForegone:       {OwnerScheme, Debit, false},
	ClawedBack:            {OwnerScheme, Credit, false},
	Receivable:            {OwnerClawback, Debit, false},
	Recovered:             {OwnerClawback, Debit, false},
}

// Account is one account of the chart: its owner, the owner's id, its name and, for the
// tax-year accounts, the tax year. It is comparable and serves as a map key.
type Account struct {
	Owner   Owner
	ID      string
	Name    Name
	TaxYear TaxYear
}

// EntitlementAccount returns the named account of an entitlement (Cap or Utilised).
func EntitlementAccount(entitlement string, name Name) Account {
	return Account{Owner: OwnerEntitlement, ID: entitlement, Name: name}
}

// TaxYearAccount returns the named tax-year account of an entitlement (TaxYearCap or
// TaxYearUtilised).
func TaxYearAccount(entitlement string, name Name, year TaxYear) Account {
	return Account{Owner: OwnerEntitlement, ID: entitlement, Name: name, TaxYear: year}
}

// SchemeAccount returns the named account of a scheme.
func SchemeAccount(scheme string, name Name) Account {
	return Account{Owner: OwnerScheme, ID: scheme, Name: name}
}

// ClawbackAccount returns the named account of an entitlement's clawback (Receivable or
// Recovered).
func ClawbackAccount(entitlement string, name Name) Account {
	return Account{Owner: OwnerClawback, ID: entitlement, Name: name}
}

// Normal is the side on which the account's balance normally stands; Balances report balances
// on that side so that every figure reads as a positive amount.
func (a Account) Normal() Side { return chart[a.Name].normal }

// Validate checks that the account is one the chart knows.
func (a Account) Validate() error {
	c, ok := chart[a.Name]
	switch {
	case !ok:
		return fmt.Errorf("account %s: unknown name %q", a, a.Name)
	case c.owner != a.Owner:
		return fmt.Errorf("account %s: %s is not an account of a %s", a, a.Name, a.Owner)
	case !validID(a.ID):
		return fmt.Errorf("account %s: id %q must be non-empty, without ':' or spaces", a, a.ID)
	case c.taxYear && a.TaxYear <= 0:
		return fmt.Errorf("account %s: a tax year is required", a)
	case !c.taxYear && a.TaxYear != 0:
		return fmt.Errorf("account %s: %s has no tax year", a, a.Name)
	}
	return nil
}

func validID(id string) bool { return id != "" && !strings.ContainsAny(id, ": \t\n") }

// String renders the account as "owner:id:name" with ":year" for tax-year accounts
// ("entitlement:ent-1:cap", "entitlement:ent-1:tax_year_cap:2027"); ParseAccount reads it.
func (a Account) String() string {
	s := string(a.Owner) + ":" + a.ID + ":" + string(a.Name)
	if a.TaxYear != 0 {
		s += ":" + a.TaxYear.String()
	}
	return s
}

// ParseAccount reads an account rendered by Account.String, so that a store can keep accounts
// as text.
func ParseAccount(s string) (Account, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 && len(parts) != 4 {
		return Account{}, fmt.Errorf("parse account %q: want owner:id:name[:tax year]", s)
	}
	a := Account{Owner: Owner(parts[0]), ID: parts[1], Name: Name(parts[2])}
	if len(parts) == 4 {
		y, err := strconv.Atoi(parts[3])
		if err != nil || y <= 0 {
			return Account{}, fmt.Errorf("parse account %q: bad tax year %q", s, parts[3])
		}
		a.TaxYear = TaxYear(y)
	}
	if err := a.Validate(); err != nil {
		return Account{}, fmt.Errorf("parse account: %w", err)
	}
	return a, nil
}

// TaxYear is the tax year an account of one year belongs to: scheme.TaxYear, Pakistan's
// July-June year named by the year in which it ends. One type serves the policy and the ledger.
type TaxYear = scheme.TaxYear
