package ledger

// Rule names a ledger rule a decision refused on; the transport reports it as is (a 422
// naming the rule). A Rule is an error so that errors.Is(err, ledger.RuleCapExceeded) tells
// which rule an error broke.
type Rule string

// The rules.
const (
	// RuleNotPositive: an amount must be above zero.
	RuleNotPositive Rule = "not_positive"
	// RuleCurrencyMismatch: an amount must be in the entitlement's currency, and an account
	// is kept in one currency.
	RuleCurrencyMismatch Rule = "currency_mismatch"
	// RuleCapExceeded: a claim must fit in what remains of the term cap.
	RuleCapExceeded Rule = "cap_exceeded"
	// RuleTaxYearCapExceeded: a claim must fit in what remains of its tax year's cap.
	RuleTaxYearCapExceeded Rule = "tax_year_cap_exceeded"
	// RuleTaxYearOutsideTerm: a capped-per-year entitlement has a cap only for the tax years
	// of its term.
	RuleTaxYearOutsideTerm Rule = "tax_year_outside_term"
	// RuleSuspended: a suspended entitlement refuses claims.
	RuleSuspended Rule = "suspended"
	// RuleClawbackExceedsUtilised: a clawback recovers at most what was granted and not yet
	// assessed.
	RuleClawbackExceedsUtilised Rule = "clawback_exceeds_utilised"
	// RuleRecoveryExceedsReceivable: a recovery is at most what the clawback still has to
	// recover.
	RuleRecoveryExceedsReceivable Rule = "recovery_exceeds_receivable"
	// RuleNotAClaim: only a claim can be reversed.
	RuleNotAClaim Rule = "not_a_claim"
	// RuleOverflow: a balance must fit in int64 minor units.
	RuleOverflow Rule = "overflow"
	// RuleInvalidTerms: the entitlement's terms are not ones the ledger can keep.
	RuleInvalidTerms Rule = "invalid_terms"
)

// Error returns the rule's name.
func (r Rule) Error() string { return string(r) }

// Violation is a decision refused on a rule, with the figures that broke it.
type Violation struct {
	Rule   Rule
	Detail string
}

// Error returns "rule: detail".
func (v Violation) Error() string {
	if v.Detail == "" {
		return string(v.Rule)
	}
	return string(v.Rule) + ": " + v.Detail
}

// Is matches the violation's Rule.
func (v Violation) Is(target error) bool {
	r, ok := target.(Rule)
	return ok && r == v.Rule
}
