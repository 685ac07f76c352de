package licensing

import "testing"

func TestLicenceNumberFormatsAsSTZZoneYearSeq(t *testing.T) {
	tests := []struct {
		zone      ZoneCode
		year, seq int
		want      LicenceNumber
	}{
		{"ISB", 2026, 1, "STZ-ISB-2026-0001"},
		{"HRP", 2027, 42, "STZ-HRP-2027-0042"},
		{"LHR", 2026, 9999, "STZ-LHR-2026-9999"},
		{"LHR", 2026, 10000, "STZ-LHR-2026-10000"},
		{"isb", 2026, 1, ""},
		{"ISB", 26, 1, ""},
		{"ISB", 2026, 0, ""},
		{"ISB", 2026, MaxLicenceSeq + 1, ""},
	}
	for _, tt := range tests {
		got, err := FormatLicenceNumber(tt.zone, tt.year, tt.seq)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("FormatLicenceNumber(%s, %d, %d) = %q, %v; want %q", tt.zone, tt.year, tt.seq, got, err, tt.want)
		}
	}
}

func TestParseLicenceNumberAcceptsOnlyTheCanonicalSpelling(t *testing.T) {
	checkValue(t, ParseLicenceNumber, map[string]string{
		"STZ-ISB-2026-0001":   "STZ-ISB-2026-0001",
		" stz-isb-2026-0001 ": "STZ-ISB-2026-0001",
		"STZ-LHR-2026-12345":  "STZ-LHR-2026-12345",
		"STZ-ISB-2026-00001":  "",
		"STZ-ISB-2026-001":    "",
		"STZ-ISB-2026-0000":   "",
		"STZ-I-2026-0001":     "",
		"STZ-ISB-26-0001":     "",
		"SEZ-ISB-2026-0001":   "",
		"":                    "",
	})
	zone, year, seq, ok := LicenceNumber("STZ-HRP-2027-0042").Parts()
	if !ok || zone != "HRP" || year != 2027 || seq != 42 {
		t.Errorf("Parts = %s %d %d %v", zone, year, seq, ok)
	}
}
