package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// connectTimeout bounds the dial to NATS; a CLI should say "not running" quickly.
const connectTimeout = 5 * time.Second

// connectNATS dials the resolved NATS URL. It does not retry a failed first connect (unlike
// the services, which wait for NATS): a person at a terminal wants to know at once.
func (o *options) connectNATS() (*nats.Conn, jetstream.JetStream, error) {
	u, err := o.natsServerURL()
	if err != nil {
		return nil, nil, err
	}
	a, err := o.natsAuth()
	if err != nil {
		return nil, nil, err
	}
	opts, err := a.Options()
	if err != nil {
		return nil, nil, err
	}
	nc, err := nats.Connect(u, append(opts, nats.Name("zonectl"), nats.Timeout(connectTimeout))...)
	if errors.Is(err, nats.ErrAuthorization) {
		return nil, nil, fmt.Errorf("NATS at %s refused zonectl's credentials: set %sNATS_USER and %sNATS_PASSWORD (or _TOKEN, _CREDS), "+
			"or, for a local zoneops, leave out --nats-url so that zonectl reads %s in --data-dir: %w",
			u, app.CommonPrefix, app.CommonPrefix, NATSCredentialsFile, err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot reach NATS at %s (is zoneops running? `make run` starts it): %w", u, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}

// natsAuth is the credential zonectl logs in to NATS with: ZONEOPS_NATS_* as the services read
// them, else, when the URL comes from the runtime info file of a local `zoneops run`, the
// password its embedded server made for zonectl (never sent to a server named by hand).
func (o *options) natsAuth() (natsx.Auth, error) {
	a := natsx.Auth{
		User: o.env.getenv(app.CommonPrefix + "NATS_USER"), Password: o.env.getenv(app.CommonPrefix + "NATS_PASSWORD"),
		Token: o.env.getenv(app.CommonPrefix + "NATS_TOKEN"), CredsFile: o.env.getenv(app.CommonPrefix + "NATS_CREDS"),
		NKeySeedFile: o.env.getenv(app.CommonPrefix + "NATS_NKEY_SEED_FILE"), CAFile: o.env.getenv(app.CommonPrefix + "NATS_CA"),
	}
	if !a.Empty() || o.natsURL != "" || o.env.getenv(EnvNATSURL) != "" {
		return a, nil
	}
	c, err := ReadNATSCredentials(o.dataDir)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil // a zoneops from before credentials, or none running: the dial says which
	}
	if err != nil {
		return a, err
	}
	a.User, a.Password = c.User, c.Password
	return a, nil
}

func newEventsCommand(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Watch the events the services publish",
	}
	cmd.AddCommand(newTailCommand(o))
	return cmd
}

// tailStreams are the streams of the producing services, in the order they are opened. The
// dead-letter stream is left out: `zonectl dlq list` is the way to read it.
func tailStreams() []string {
	return []string{envelope.StreamTenants, envelope.StreamAllocation, envelope.StreamIncentives, envelope.StreamCompliance}
}

func newTailCommand(o *options) *cobra.Command {
	var (
		subject   string
		fromStart bool
		limit     int
	)
	cmd := &cobra.Command{
		Use:   "tail",
		Short: "Print events as they are published, until Ctrl-C or -n events",
		Long: "Print events as they are published: time, type, aggregate id, version and data.\n" +
			"Reads every zoneops stream that exists with ordered consumers, which leave nothing\n" +
			"behind on the server. Events of one stream are in order; streams are interleaved\n" +
			"as they arrive.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return fmt.Errorf("-n must not be negative")
			}
			nc, js, err := o.connectNATS()
			if err != nil {
				return err
			}
			defer nc.Close()
			return o.tail(cmd.Context(), js, subject, fromStart, limit)
		},
	}
	f := cmd.Flags()
	f.StringVar(&subject, "subject", "zoneops.>", "only events on subjects matching this filter")
	f.BoolVar(&fromStart, "from-start", false, "start at the first stored event instead of new ones")
	f.IntVarP(&limit, "count", "n", 0, "stop after this many events (0: until Ctrl-C)")
	return cmd
}

func (o *options) tail(ctx context.Context, js jetstream.JetStream, subject string, fromStart bool, limit int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // also releases Consume callbacks blocked on msgs
	policy := jetstream.DeliverNewPolicy
	if fromStart {
		policy = jetstream.DeliverAllPolicy
	}
	msgs := make(chan jetstream.Msg, 64)
	var opened []string
	for _, name := range tailStreams() {
		s, err := js.Stream(ctx, name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			continue // that service has not started yet, or is not part of this deployment
		}
		if err != nil {
			return fmt.Errorf("stream %s: %w", name, err)
		}
		filter, ok := filterFor(subject, s.CachedInfo().Config.Subjects)
		if !ok {
			continue
		}
		cons, err := js.OrderedConsumer(ctx, name, jetstream.OrderedConsumerConfig{
			FilterSubjects: filter,
			DeliverPolicy:  policy,
		})
		if err != nil {
			return fmt.Errorf("stream %s: %w", name, err)
		}
		cc, err := cons.Consume(func(m jetstream.Msg) {
			select {
			case msgs <- m:
			case <-ctx.Done():
			}
		})
		if err != nil {
			return fmt.Errorf("stream %s: %w", name, err)
		}
		defer cc.Stop()
		opened = append(opened, name)
	}
	if len(opened) == 0 {
		return fmt.Errorf("no zoneops stream captures %q (streams appear when the services start)", subject)
	}
	if !o.json() {
		fmt.Fprintf(o.env.Stderr, "tailing %s on %s; Ctrl-C stops\n", subject, strings.Join(opened, ", "))
	}
	for n := 0; limit == 0 || n < limit; n++ {
		select {
		case <-ctx.Done():
			return nil // Ctrl-C is how tail is meant to end
		case m := <-msgs:
			var stored time.Time
			if md, err := m.Metadata(); err == nil {
				stored = md.Timestamp
			}
			if err := o.printEvent(m.Subject(), m.Data(), stored); err != nil {
				return err
			}
		}
	}
	return nil
}

// printEvent writes one event line. A message that is not a valid envelope is still shown,
// marked with the time the server stored it, since spotting such messages is one reason to
// tail.
func (o *options) printEvent(subject string, data []byte, stored time.Time) error {
	w := o.env.Stdout
	if o.json() {
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil {
			raw, _ := json.Marshal(struct {
				Subject string `json:"subject"`
				Error   string `json:"error"`
				Data    string `json:"data"`
			}{subject, "not JSON: " + err.Error(), string(data)})
			buf.Write(raw)
		}
		buf.WriteByte('\n')
		_, err := w.Write(buf.Bytes())
		return err
	}
	e, err := envelope.Parse(data)
	if err != nil {
		_, werr := fmt.Fprintf(w, "%s  %s  (not an envelope: %v)\n", formatTime(stored), subject, err)
		return werr
	}
	_, err = fmt.Fprintf(w, "%s  %s  %s  v%d  %s\n",
		e.Time.Format(time.RFC3339), e.Type, e.AggregateID, e.AggregateVersion, e.Data)
	return err
}

// filterFor returns the consumer filter that reads subject from a stream capturing
// streamSubjects: nil (the whole stream) when subject covers the stream, subject itself when
// the two overlap, and ok false when the stream can hold nothing that matches.
func filterFor(subject string, streamSubjects []string) (filter []string, ok bool) {
	for _, s := range streamSubjects {
		if subsetOf(s, subject) {
			return nil, true
		}
	}
	for _, s := range streamSubjects {
		if collide(subject, s) {
			return []string{subject}, true
		}
	}
	return nil, false
}

// subsetOf reports whether every subject that a matches also matches b (NATS wildcards: '*'
// is one token, '>' the rest).
func subsetOf(a, b string) bool {
	at, bt := strings.Split(a, "."), strings.Split(b, ".")
	for i, t := range bt {
		if t == ">" {
			return len(at) > i
		}
		if i >= len(at) {
			return false
		}
		switch {
		case at[i] == ">":
			return false
		case t == "*":
		case at[i] == "*" || at[i] != t:
			return false
		}
	}
	return len(at) == len(bt)
}

// collide reports whether some subject matches both a and b.
func collide(a, b string) bool {
	at, bt := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(at) && i < len(bt); i++ {
		x, y := at[i], bt[i]
		if x == ">" || y == ">" {
			return true
		}
		if x != "*" && y != "*" && x != y {
			return false
		}
	}
	return len(at) == len(bt)
}
