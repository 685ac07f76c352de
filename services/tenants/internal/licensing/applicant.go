package licensing

import (
	"net/mail"
	"regexp"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/text"
)

// Applicant is the company that applies, as its registration papers name it.
type Applicant struct {
	LegalName          string `json:"legal_name"`
	RegistrationNumber string `json:"registration_number"`
	TaxNumber          string `json:"tax_number"`
	Country            string `json:"country"`
	// Contact is left out of what a reader who may not see it gets (Application.ReadBy).
	Contact Contact `json:"contact,omitzero"`
}

// Contact is the person the authority writes to about the application.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// ApplicantInput is an applicant as a request carries it, before parsing.
type ApplicantInput struct {
	LegalName          string       `json:"legal_name"`
	RegistrationNumber string       `json:"registration_number"`
	TaxNumber          string       `json:"tax_number"`
	Country            string       `json:"country"`
	Contact            ContactInput `json:"contact"`
}

// ContactInput is a contact as a request carries it, before parsing.
type ContactInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

var (
	registrationShape = regexp.MustCompile(`^[A-Z0-9/-]{3,40}$`)
	taxShape          = regexp.MustCompile(`^[A-Z0-9-]{5,20}$`)
	phoneShape        = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	countryShape      = regexp.MustCompile(`^[A-Z]{2}$`)
	hasAlnum          = regexp.MustCompile(`[A-Z0-9]`)
)

// ParseApplicant validates every field and returns all problems at once, with field names
// relative to the applicant ("contact.email").
func ParseApplicant(in ApplicantInput) (Applicant, error) {
	var f fault.Fields
	name, err := text.Name(in.LegalName, 2, 200)
	f.Merge("legal_name", err)
	reg, err := ParseRegistrationNumber(in.RegistrationNumber)
	f.Merge("registration_number", err)
	tax, err := ParseTaxNumber(in.TaxNumber)
	f.Merge("tax_number", err)
	country, err := ParseCountry(in.Country)
	f.Merge("country", err)
	contact, err := ParseContact(in.Contact)
	f.Merge("contact", err)
	if err := f.Err(); err != nil {
		return Applicant{}, err
	}
	return Applicant{LegalName: name, RegistrationNumber: reg, TaxNumber: tax, Country: country, Contact: contact}, nil
}

// ParseContact validates a contact and returns all problems at once.
func ParseContact(in ContactInput) (Contact, error) {
	var f fault.Fields
	name, err := text.Name(in.Name, 1, 200)
	f.Merge("name", err)
	email, err := ParseEmail(in.Email)
	f.Merge("email", err)
	phone, err := ParsePhone(in.Phone)
	f.Merge("phone", err)
	if err := f.Err(); err != nil {
		return Contact{}, err
	}
	return Contact{Name: name, Email: email, Phone: phone}, nil
}

// ParseRegistrationNumber normalises a company registration number to upper case, since
// registries print them in either case, and checks its shape.
func ParseRegistrationNumber(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !registrationShape.MatchString(s) || !hasAlnum.MatchString(s):
		return "", fault.Reasonf("must be 3 to 40 letters, digits, '-' or '/'")
	}
	return s, nil
}

// ParseTaxNumber normalises a tax number (NTN) to upper case and checks its shape.
func ParseTaxNumber(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !taxShape.MatchString(s) || !hasAlnum.MatchString(s):
		return "", fault.Reasonf("must be 5 to 20 letters, digits or '-'")
	}
	return s, nil
}

// ParseEmail accepts a bare address (no display name) whose domain has a dot: an address that
// net/mail accepts but no mail server routes ("a@b") would lose the authority's letters.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fault.Reasonf("required")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || len(s) > 254 {
		return "", fault.Reasonf("must be an e-mail address like name@example.com")
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", fault.Reasonf("must be an e-mail address like name@example.com")
	}
	return s[:at+1] + strings.ToLower(domain), nil
}

// ParsePhone accepts an international number, dropping the spaces, dashes, dots and brackets
// people type, and stores it as E.164 ("+" and 8 to 15 digits).
func ParsePhone(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(" -.()\t", r) {
			return -1
		}
		return r
	}, s)
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !phoneShape.MatchString(s):
		return "", fault.Reasonf("must be an international number: '+', country code and 8 to 15 digits in all")
	}
	return s, nil
}

// ParseCountry checks an ISO 3166-1 alpha-2 code against the assigned codes.
func ParseCountry(s string) (string, error) {
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !countryShape.MatchString(s):
		return "", fault.Reasonf("must be an ISO 3166-1 alpha-2 code of two upper-case letters")
	case !strings.Contains(" "+countryCodes+" ", " "+s+" "):
		return "", fault.Reasonf("%q is not an assigned ISO 3166-1 country code", s)
	}
	return s, nil
}

// countryCodes are the assigned ISO 3166-1 alpha-2 codes (as in the tz database's
// iso3166.tab), kept inline because reading the file would be I/O.
const countryCodes = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
	"BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE " +
	"EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM " +
	"HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC " +
	"LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA " +
	"NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO " +
	"TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
