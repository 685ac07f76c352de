// Package ledger is the double-entry model of the incentives service and the rules that keep
// it true: plain Go, no I/O. Each decision (Open, Claim, Reverse, AssessClawback, Recover) is
// a pure function of the entitlement's terms and the current Balances that returns one
// immutable, balanced Transaction or an error naming the Rule it broke; the store persists
// what it returns and applies it to the stored balances (Balances.Apply) in the same database
// transaction. Verify recomputes every balance and the trial balance from the entries (for
// GET /v1/ledger/verify).
//
// # Chart of accounts
//
// An account is owner:id:name[:tax year]. Balances are read on the account's normal side, so
// every figure a finance officer reads is a positive amount.
//
//	entitlement:E:cap                    Cr  what may still be granted over the term
//	entitlement:E:utilised               Cr  granted so far (net of reversals)
//	entitlement:E:tax_year_cap:Y         Cr  what may still be granted in tax year Y
//	entitlement:E:tax_year_utilised:Y    Cr  granted in tax year Y
//	scheme:S:caps_authorised             Dr  the scheme's open exposure: the sum of its entitlements' caps
//	scheme:S:tax_year_caps_authorised    Dr  the sum of the tax-year caps its entitlements opened
//	scheme:S:revenue_foregone            Dr  tax given up under the scheme (the tax expenditure)
//	scheme:S:clawed_back                 Cr  revenue foregone assessed back (contra revenue_foregone)
//	clawback:E:receivable                Dr  what the clawback of E still has to recover
//	clawback:E:recovered                 Dr  what it has recovered
//
// A claim always posts the grant (Dr revenue_foregone, Cr utilised); a capped entitlement
// also posts the headroom it used (Dr cap, Cr caps_authorised), and one capped per tax year
// the year's (Dr tax_year_cap:Y, Cr tax_year_utilised:Y). An entitlement tracked without cap
// has no cap accounts and opens with no postings. Hence, at every moment: cap + utilised = the
// term cap; caps_authorised = the sum of the scheme's caps; revenue_foregone = the sum of the
// scheme's utilised; net revenue foregone = revenue_foregone - clawed_back; and, per clawback,
// receivable + recovered = what was assessed. Tax years are named as the Federal Board of
// Revenue names them, by the calendar year in which they end (TaxYear).
//
// # Worked example
//
// Entitlement E of scheme S, term cap PKR 10,000,000 (amounts in rupees; the ledger holds
// paisa). Balances after each step, on their normal sides:
//
//	step                        entries                                   cap         utilised   caps_auth.  rev_foregone  clawed_back  receivable  recovered
//	1 open, cap 10,000,000      Dr caps_authorised / Cr cap 10,000,000    10,000,000  0          10,000,000  0             0            0           0
//	2 claim A 2,500,000         Dr revenue_foregone / Cr utilised,        7,500,000   2,500,000  7,500,000   2,500,000     0            0           0
//	                            Dr cap / Cr caps_authorised 2,500,000
//	3 claim B 1,000,000         the same legs, 1,000,000                  6,500,000   3,500,000  6,500,000   3,500,000     0            0           0
//	4 reversal of B             B's legs on the other side                7,500,000   2,500,000  7,500,000   2,500,000     0            0           0
//	5 clawback 1,500,000        Dr receivable / Cr clawed_back            7,500,000   2,500,000  7,500,000   2,500,000     1,500,000    1,500,000   0
//	6 recovery 1,000,000        Dr recovered / Cr receivable              7,500,000   2,500,000  7,500,000   2,500,000     1,500,000    500,000     1,000,000
//
// After every step debits equal credits in PKR (the trial balance is zero). A further claim
// of 7,500,001 is refused with RuleCapExceeded, a recovery of 500,001 with
// RuleRecoveryExceedsReceivable. TestWorkedExampleOfThePackageComment checks this table.
package ledger
