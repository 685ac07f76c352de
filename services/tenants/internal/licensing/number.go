package licensing

import (
	"fmt"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"regexp"
	"strconv"
	"strings"
)

// LicenceNumber is the public number printed on a licence: STZ-<ZONE>-<YEAR>-<SEQ>, the
// sequence zero-padded to four digits (STZ-ISB-2026-0001). The sequence runs per zone and
// year; allocating it uniquely is the store's job.
type LicenceNumber string

// MaxLicenceSeq is the largest sequence number; past 9999 the number simply grows a digit.
const MaxLicenceSeq = 999_999

var licenceNumberShape = regexp.MustCompile(`^STZ-([A-Z]{2,6})-([0-9]{4})-([0-9]{4,6})$`)

// FormatLicenceNumber builds the number for a zone, the grant year and a sequence.
func FormatLicenceNumber(zone ZoneCode, year, seq int) (LicenceNumber, error) {
	if _, err := ParseZoneCode(string(zone)); err != nil {
		return "", fault.Reasonf("zone: %v", err)
	}
	if year < 1900 || year > 9999 {
		return "", fault.Reasonf("year %d out of range", year)
	}
	if seq < 1 || seq > MaxLicenceSeq {
		return "", fault.Reasonf("sequence %d must be between 1 and %d", seq, MaxLicenceSeq)
	}
	return LicenceNumber(fmt.Sprintf("STZ-%s-%04d-%04d", zone, year, seq)), nil
}

// ParseLicenceNumber accepts a number in either case and returns its canonical form. A
// sequence padded beyond four digits ("00001") is refused, so one licence has one spelling.
func ParseLicenceNumber(s string) (LicenceNumber, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	zone, year, seq, ok := LicenceNumber(s).Parts()
	if !ok {
		return "", fault.Reasonf("must look like STZ-ISB-2026-0001")
	}
	n, err := FormatLicenceNumber(zone, year, seq)
	if err != nil || string(n) != s {
		return "", fault.Reasonf("must look like STZ-ISB-2026-0001")
	}
	return n, nil
}

// Parts splits a number into zone, year and sequence; ok is false when it is malformed.
func (n LicenceNumber) Parts() (zone ZoneCode, year, seq int, ok bool) {
	m := licenceNumberShape.FindStringSubmatch(string(n))
	if m == nil {
		return "", 0, 0, false
	}
	year, _ = strconv.Atoi(m[2])
	seq, _ = strconv.Atoi(m[3])
	return ZoneCode(m[1]), year, seq, true
}

// String returns the number as printed.
func (n LicenceNumber) String() string { return string(n) }
