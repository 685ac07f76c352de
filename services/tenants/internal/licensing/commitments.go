package licensing

import (
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// MaxHeadcount bounds planned headcount; a larger figure is a typo, not a plan.
const MaxHeadcount = 1_000_000

// Commitments are what the applicant promises to deliver; compliance later measures the
// licensee against them. All money is in one currency so that progress can be compared
// without exchange rates.
type Commitments struct {
	Headcount  int   `json:"headcount"`
	Investment Money `json:"investment"`
	Exports    Money `json:"exports"`
	RnDSpend   Money `json:"rnd_spend"`
}

// SizeTier returns the size tier of the planned headcount.
func (c Commitments) SizeTier() SizeTier { return SizeTierFor(c.Headcount) }

// MoneyInput is an amount as a request carries it.
type MoneyInput struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

// CommitmentsInput is commitments as a request carries them.
type CommitmentsInput struct {
	Headcount  int        `json:"headcount"`
	Investment MoneyInput `json:"investment"`
	Exports    MoneyInput `json:"exports"`
	RnDSpend   MoneyInput `json:"rnd_spend"`
}

// ParseCommitments validates every figure and reports all problems at once, with field names
// relative to the commitments ("investment.currency").
func ParseCommitments(in CommitmentsInput) (Commitments, error) {
	var f fault.Fields
	if in.Headcount < 1 || in.Headcount > MaxHeadcount {
		f.Addf("headcount", "must be between 1 and %d", MaxHeadcount)
	}
	// The first valid currency sets the reference, so a mismatch is reported in the same
	// response even when the investment currency itself is bad.
	ref := ""
	money := func(field string, in MoneyInput) Money {
		m, err := NewMoney(in.AmountMinor, in.Currency)
		f.Merge(field, err)
		if cur, cerr := ParseCurrency(in.Currency); cerr == nil {
			if ref == "" {
				ref = cur
			} else if cur != ref {
				f.Addf(field+".currency", "must be %s, like the other commitments", ref)
			}
		}
		return m
	}
	c := Commitments{Headcount: in.Headcount}
	c.Investment = money("investment", in.Investment)
	c.Exports = money("exports", in.Exports)
	c.RnDSpend = money("rnd_spend", in.RnDSpend)
	if err := f.Err(); err != nil {
		return Commitments{}, err
	}
	return c, nil
}
