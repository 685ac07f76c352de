package transport

import (
	"context"
	"net/http"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
)

// datedReason is a reason with a reply date (deficiency, show-cause notice).
type datedReason struct {
	ID       string
	Reason   string
	ReplyDue *licensing.Date
}

// reply is the licensee's answer to a show-cause notice.
type reply struct {
	Reply string `json:"reply"`
}

func decodeDatedReason(_ context.Context, r *http.Request) (datedReason, error) {
	// reply_due is read as text and parsed here so that a bad date is reported under its own
	// field name; the JSON decoder would only say that the body is bad.
	var body struct {
		Reason   string  `json:"reason"`
		ReplyDue *string `json:"reply_due"`
	}
	if err := httpx.DecodeJSON(r, &body, MaxBodyBytes); err != nil {
		return datedReason{}, err
	}
	req := datedReason{ID: r.PathValue("id"), Reason: body.Reason}
	if body.ReplyDue != nil {
		d, err := licensing.ParseDate(*body.ReplyDue)
		if err != nil {
			return datedReason{}, fault.Invalid("reply_due", "must be a calendar date YYYY-MM-DD")
		}
		req.ReplyDue = &d
	}
	return req, nil
}

func zoneAndKind(r *http.Request, f *fault.Fields) (zone, kind string) {
	return string(httpx.QueryParsed(r, f, "zone", licensing.ParseZoneCode)), string(httpx.QueryParsed(r, f, "kind", licensing.ParseKind))
}

func decodeListApplications(_ context.Context, r *http.Request) (service.ApplicationQuery, error) {
	var f fault.Fields
	var q service.ApplicationQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", licensing.ApplicationStatuses(), "an application status")
	q.Zone, q.Kind = zoneAndKind(r, &f)
	q.Overdue = httpx.QueryBool(r, &f, "overdue")
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return q, f.Err()
}

func decodeListLicences(_ context.Context, r *http.Request) (service.LicenceQuery, error) {
	var f fault.Fields
	var q service.LicenceQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", licensing.LicenceStatuses(), "a licence status")
	q.Zone, q.Kind = zoneAndKind(r, &f)
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return q, f.Err()
}

// history is the response of the history routes.
type history struct {
	Items []licensing.HistoryEntry `json:"items"`
}

func encodeHistory(ctx context.Context, w http.ResponseWriter, response any) error {
	var h history
	switch v := response.(type) {
	case *licensing.Application:
		h.Items = v.History
	case *licensing.Licence:
		h.Items = v.History
	}
	return httpx.EncodeOK(ctx, w, h)
}
