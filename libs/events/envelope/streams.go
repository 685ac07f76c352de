package envelope

import "strings"

// JetStream streams: one per producing service, each capturing every subject of that service,
// plus the dead-letter stream where consumers park poison messages with the reason.
const (
	StreamTenants      = "TENANTS"
	SubjectsTenants    = "zoneops.tenants.>"
	StreamAllocation   = "ALLOCATION"
	SubjectsAllocation = "zoneops.allocation.>"
	StreamIncentives   = "INCENTIVES"
	SubjectsIncentives = "zoneops.incentives.>"
	StreamCompliance   = "COMPLIANCE"
	SubjectsCompliance = "zoneops.compliance.>"
	StreamDeadLetter   = "DEADLETTER"
	SubjectsDeadLetter = "zoneops.dlq.>"
)

// Stream names a JetStream stream and the subject filter it captures.
type Stream struct {
	Name     string
	Subjects string
}

// Streams returns the streams of the producing services followed by the dead-letter stream.
// It returns a new slice on every call so that no caller can change another's view.
func Streams() []Stream {
	return []Stream{
		{Name: StreamTenants, Subjects: SubjectsTenants},
		{Name: StreamAllocation, Subjects: SubjectsAllocation},
		{Name: StreamIncentives, Subjects: SubjectsIncentives},
		{Name: StreamCompliance, Subjects: SubjectsCompliance},
		{Name: StreamDeadLetter, Subjects: SubjectsDeadLetter},
	}
}

// StreamForSubject returns the stream whose filter captures subject, or "" when none does.
func StreamForSubject(subject string) string {
	for _, s := range Streams() {
		prefix := strings.TrimSuffix(s.Subjects, ">")
		if strings.HasPrefix(subject, prefix) && len(subject) > len(prefix) {
			return s.Name
		}
	}
	return ""
}
