package scheme

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// maxShareDecimals bounds the digits after the point of a share: six (a ten-thousandth of a
// percent) is finer than any policy sets, and keeps the denominator small.
const maxShareDecimals = 6

// Share is a fraction in (0, 1] held exactly as Num/Den (Den a power of ten), never a float.
// It is written as a decimal ("0.25", "1"), in policy files and JSON alike.
type Share struct {
	Num, Den int64
}

// IsZero reports whether s is unset.
func (s Share) IsZero() bool { return s.Den == 0 }

// String writes s as the decimal it was parsed from, without trailing zeros ("0.25", "1").
func (s Share) String() string {
	if s.Den == 0 {
		return ""
	}
	whole, frac := s.Num/s.Den, s.Num%s.Den
	if frac == 0 {
		return strconv.FormatInt(whole, 10)
	}
	digits := len(strconv.FormatInt(s.Den, 10)) - 1
	return strings.TrimRight(fmt.Sprintf("%d.%0*d", whole, digits, frac), "0")
}

// MarshalText writes s as a decimal.
func (s Share) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a decimal share with ParseShare.
func (s *Share) UnmarshalText(b []byte) error {
	v, err := ParseShare(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseShare reads a decimal in (0, 1] with at most six decimals ("0.25", "1", "1.0"). The
// error matches fault.ErrInvalid and its text is only the reason.
func ParseShare(text string) (Share, error) {
	const reason = "must be a decimal in (0, 1] with at most 6 decimals, e.g. 0.25"
	if text == "" {
		return Share{}, fault.Reasonf("required")
	}
	whole, frac, dot := strings.Cut(text, ".")
	if whole == "" || (dot && frac == "") || len(frac) > maxShareDecimals || !digitsOnly(whole) || !digitsOnly(frac) || len(whole) > 1 {
		return Share{}, fault.Reasonf(reason)
	}
	den := int64(1)
	for range frac {
		den *= 10
	}
	num, _ := strconv.ParseInt(whole+frac, 10, 64) // at most 7 digits: cannot fail
	if num <= 0 || num > den {
		return Share{}, fault.Reasonf(reason)
	}
	return Share{Num: num, Den: den}, nil
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
