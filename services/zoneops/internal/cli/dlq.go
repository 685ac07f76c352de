package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/zoneops/zoneops/libs/platform/dlq"
)

func newDLQCommand(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dlq",
		Short: "List and replay dead letters: events a consumer gave up on",
	}
	cmd.AddCommand(newDLQListCommand(o), newDLQReplayCommand(o))
	return cmd
}

// dlqEntry is the JSON form of a dead letter. Data is embedded as JSON when it is JSON (the
// usual case: an envelope) and as a string otherwise, since an undecodable body is a common
// reason for being dead-lettered.
type dlqEntry struct {
	Seq             uint64              `json:"seq"`
	At              time.Time           `json:"at"`
	Consumer        string              `json:"consumer"`
	Reason          string              `json:"reason"`
	OriginalStream  string              `json:"original_stream"`
	OriginalSubject string              `json:"original_subject"`
	OriginalSeq     uint64              `json:"original_seq"`
	EventID         string              `json:"event_id,omitempty"`
	Header          map[string][]string `json:"header,omitempty"`
	Data            json.RawMessage     `json:"data,omitempty"`
	DataText        string              `json:"data_text,omitempty"`
}

func toDLQEntry(e dlq.Entry) dlqEntry {
	out := dlqEntry{
		Seq: e.Seq, At: e.At, Consumer: e.Consumer, Reason: e.Reason,
		OriginalStream: e.OriginalStream, OriginalSubject: e.OriginalSubject, OriginalSeq: e.OriginalSeq,
		EventID: e.EventID, Header: e.Header,
	}
	if json.Valid(e.Data) {
		out.Data = e.Data
	} else {
		out.DataText = string(e.Data)
	}
	return out
}

func newDLQListCommand(o *options) *cobra.Command {
	var f dlq.Filter
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List dead letters, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			nc, js, err := o.connectNATS()
			if err != nil {
				return err
			}
			defer nc.Close()
			entries, err := dlq.List(cmd.Context(), js, f)
			if err != nil {
				return err
			}
			if o.json() {
				items := make([]dlqEntry, len(entries))
				for i, e := range entries {
					items[i] = toDLQEntry(e)
				}
				raw, err := json.Marshal(struct {
					Items []dlqEntry `json:"items"`
				}{items})
				if err != nil {
					return err
				}
				return printJSON(o.env.Stdout, raw)
			}
			t := newTable(o.env.Stdout, "SEQ", "AT", "CONSUMER", "FROM", "EVENT ID", "REASON")
			for _, e := range entries {
				t.row(strconv.FormatUint(e.Seq, 10), formatTime(e.At), e.Consumer,
					fmt.Sprintf("%s#%d", e.OriginalStream, e.OriginalSeq), e.EventID, e.Reason)
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&f.Consumer, "consumer", "", "only this consumer's dead letters")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "at most this many (default 100)")
	cmd.Flags().Uint64Var(&f.After, "after", 0, "start after this sequence, to page through")
	return cmd
}

func newDLQReplayCommand(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "replay SEQ",
		Short: "Republish a dead letter to its original subject and remove it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			seq, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil || seq == 0 {
				return fmt.Errorf("SEQ must be a positive whole number, as `zonectl dlq list` shows, not %q", args[0])
			}
			nc, js, err := o.connectNATS()
			if err != nil {
				return err
			}
			defer nc.Close()
			if err := dlq.Replay(cmd.Context(), js, seq); err != nil {
				return err
			}
			if o.json() {
				return printJSON(o.env.Stdout, fmt.Appendf(nil, `{"replayed":%d}`, seq))
			}
			_, err = fmt.Fprintf(o.env.Stdout, "replayed dead letter %d\n", seq)
			return err
		},
	}
}
