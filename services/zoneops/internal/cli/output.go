package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// The types below are zonectl's reading of the tenants API's JSON (the service's own types
// are internal to its module). They hold only what the tables show; `-o json` prints the
// server's bytes, so nothing the server sends is lost by leaving fields out here.

type money struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

type commitments struct {
	Headcount  int   `json:"headcount"`
	Investment money `json:"investment"`
	Exports    money `json:"exports"`
	RnDSpend   money `json:"rnd_spend"`
}

type application struct {
	ID        string `json:"id"`
	TenantID  string `json:"tenant_id"`
	Applicant struct {
		LegalName          string `json:"legal_name"`
		RegistrationNumber string `json:"registration_number"`
		Country            string `json:"country"`
		Contact            struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"contact"`
	} `json:"applicant"`
	Kind        string      `json:"kind"`
	Zone        string      `json:"zone"`
	Sector      string      `json:"sector"`
	Commitments commitments `json:"commitments"`
	Status      string      `json:"status"`
	Version     int64       `json:"version"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	SubmittedAt *time.Time  `json:"submitted_at"`
	DecisionDue string      `json:"decision_due"`
	ReplyDue    string      `json:"reply_due"`
	PausedDays  int         `json:"paused_days"`
	DecidedAt   *time.Time  `json:"decided_at"`
	LicenceID   string      `json:"licence_id"`
}

type licence struct {
	ID            string      `json:"id"`
	Number        string      `json:"number"`
	ApplicationID string      `json:"application_id"`
	TenantID      string      `json:"tenant_id"`
	HolderName    string      `json:"holder_name"`
	Kind          string      `json:"kind"`
	Zone          string      `json:"zone"`
	Sector        string      `json:"sector"`
	SizeTier      string      `json:"size_tier"`
	Commitments   commitments `json:"commitments"`
	Status        string      `json:"status"`
	GrantedAt     time.Time   `json:"granted_at"`
	ValidFrom     string      `json:"valid_from"`
	ValidUntil    string      `json:"valid_until"`
	ShowCause     *struct {
		Reason    string     `json:"reason"`
		IssuedAt  time.Time  `json:"issued_at"`
		ReplyDue  string     `json:"reply_due"`
		Reply     string     `json:"reply"`
		RepliedAt *time.Time `json:"replied_at"`
	} `json:"show_cause"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

type historyEntry struct {
	At    time.Time `json:"at"`
	Actor struct {
		Subject string `json:"subject"`
		Role    string `json:"role"`
	} `json:"actor"`
	Action string `json:"action"`
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// page is one page of a list response.
type page struct {
	Items      []json.RawMessage `json:"items"`
	NextCursor string            `json:"next_cursor"`
}

// printJSON writes a JSON document indented, for people and jq alike.
func printJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		// Not JSON after all: show what came rather than nothing.
		buf.Reset()
		buf.Write(raw)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// table writes aligned columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)}
	if len(header) > 0 {
		t.row(header...)
	}
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		// A tab or line break inside a cell (a long reason) would break the columns.
		cells[i] = strings.Join(strings.Fields(c), " ")
		if cells[i] == "" {
			cells[i] = "-"
		}
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// fields writes a two-column "name  value" table for one entity.
func fields(w io.Writer, kv ...string) error {
	t := newTable(w)
	for i := 0; i+1 < len(kv); i += 2 {
		t.row(kv[i]+":", kv[i+1])
	}
	return t.flush()
}

// minorDigits returns the number of decimals of an ISO 4217 currency: the currencies zoneops
// accepts have two, except the few listed here.
func minorDigits(currency string) int {
	switch currency {
	case "JPY", "KRW":
		return 0
	case "KWD", "BHD", "OMR":
		return 3
	}
	return 2
}

// formatMoney shows integer minor units as a decimal amount with its currency, using integer
// arithmetic only (money is never a float in zoneops).
func formatMoney(m money) string {
	if m.Currency == "" && m.AmountMinor == 0 {
		return ""
	}
	digits := minorDigits(m.Currency)
	sign, n := "", m.AmountMinor
	if n < 0 {
		sign, n = "-", -n
	}
	s := strconv.FormatInt(n, 10)
	if digits > 0 {
		for len(s) <= digits {
			s = "0" + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	return m.Currency + " " + sign + s
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

func printApplications(w io.Writer, items []application) error {
	t := newTable(w, "ID", "STATUS", "KIND", "ZONE", "APPLICANT", "DECISION DUE", "LICENCE")
	for _, a := range items {
		t.row(a.ID, a.Status, a.Kind, a.Zone, a.Applicant.LegalName, a.DecisionDue, a.LicenceID)
	}
	return t.flush()
}

func printApplication(w io.Writer, a application) error {
	return fields(w,
		"ID", a.ID,
		"Status", a.Status,
		"Tenant", a.TenantID,
		"Applicant", a.Applicant.LegalName,
		"Registration", a.Applicant.RegistrationNumber,
		"Country", a.Applicant.Country,
		"Contact", strings.TrimSpace(a.Applicant.Contact.Name+" <"+a.Applicant.Contact.Email+">"),
		"Kind", a.Kind,
		"Zone", a.Zone,
		"Sector", a.Sector,
		"Headcount", strconv.Itoa(a.Commitments.Headcount),
		"Investment", formatMoney(a.Commitments.Investment),
		"Exports", formatMoney(a.Commitments.Exports),
		"R&D spend", formatMoney(a.Commitments.RnDSpend),
		"Submitted", formatTimePtr(a.SubmittedAt),
		"Decision due", a.DecisionDue,
		"Reply due", a.ReplyDue,
		"Paused days", strconv.Itoa(a.PausedDays),
		"Decided", formatTimePtr(a.DecidedAt),
		"Licence", a.LicenceID,
		"Version", strconv.FormatInt(a.Version, 10),
		"Created", formatTime(a.CreatedAt),
		"Updated", formatTime(a.UpdatedAt),
	)
}

func printLicences(w io.Writer, items []licence) error {
	t := newTable(w, "ID", "NUMBER", "STATUS", "KIND", "ZONE", "HOLDER", "VALID UNTIL")
	for _, l := range items {
		t.row(l.ID, l.Number, l.Status, l.Kind, l.Zone, l.HolderName, l.ValidUntil)
	}
	return t.flush()
}

func printLicence(w io.Writer, l licence) error {
	kv := []string{
		"ID", l.ID,
		"Number", l.Number,
		"Status", l.Status,
		"Holder", l.HolderName,
		"Tenant", l.TenantID,
		"Application", l.ApplicationID,
		"Kind", l.Kind,
		"Zone", l.Zone,
		"Sector", l.Sector,
		"Size tier", l.SizeTier,
		"Headcount", strconv.Itoa(l.Commitments.Headcount),
		"Investment", formatMoney(l.Commitments.Investment),
		"Exports", formatMoney(l.Commitments.Exports),
		"R&D spend", formatMoney(l.Commitments.RnDSpend),
		"Granted", formatTime(l.GrantedAt),
		"Valid from", l.ValidFrom,
		"Valid until", l.ValidUntil,
	}
	if sc := l.ShowCause; sc != nil {
		kv = append(kv,
			"Show cause", sc.Reason,
			"Show cause issued", formatTime(sc.IssuedAt),
			"Reply due", sc.ReplyDue)
		if sc.RepliedAt != nil {
			kv = append(kv, "Reply", sc.Reply, "Replied", formatTime(*sc.RepliedAt))
		}
	}
	kv = append(kv, "Version", strconv.FormatInt(l.Version, 10), "Updated", formatTime(l.UpdatedAt))
	return fields(w, kv...)
}

func printHistory(w io.Writer, items []historyEntry) error {
	t := newTable(w, "AT", "ACTOR", "ROLE", "ACTION", "FROM", "TO", "REASON")
	for _, h := range items {
		t.row(formatTime(h.At), h.Actor.Subject, h.Actor.Role, h.Action, h.From, h.To, h.Reason)
	}
	return t.flush()
}
