package apitest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/config"
)

// fakeMain serves /readyz with status on a free port until ctx ends, then returns stopErr.
func fakeMain(status int, stopErr error) Main {
	return func(ctx context.Context, _ []string, _ config.Lookup, _ io.Writer, listening func(string)) error {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) })}
		go func() { _ = srv.Serve(l) }()
		listening("http://" + l.Addr().String())
		<-ctx.Done()
		_ = srv.Close()
		return stopErr
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message and stops the helper, so the
// helper's own verdict can be checked.
type fatalRecorder struct {
	testing.TB
	fatal string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.fatal = format
	panic(r)
}

// fatalOf runs f with a recorder and returns the format of the Fatalf that stopped it, if any.
func fatalOf(t *testing.T, f func(tb testing.TB)) (fatal string) {
	r := &fatalRecorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		fatal = r.fatal
	}()
	f(r)
	return ""
}

func TestCheckRunsAlonePassesABinaryThatIsReadyAndStopsCleanly(t *testing.T) {
	CheckRunsAlone(t, "fake", fakeMain(http.StatusOK, nil))
}

func TestStopReportsWhatRunReturned(t *testing.T) {
	boom := errors.New("boom")
	p := Start(t, "fake", fakeMain(http.StatusOK, boom), nil)
	if err := p.Stop(); !errors.Is(err, boom) {
		t.Errorf("Stop = %v, want %v", err, boom)
	}
	if err := p.Stop(); !errors.Is(err, boom) {
		t.Errorf("second Stop = %v, want the first result %v", err, boom)
	}
}

func TestStartFailsWhenTheBinaryEndsBeforeServing(t *testing.T) {
	early := func(context.Context, []string, config.Lookup, io.Writer, func(string)) error {
		return errors.New("bad config")
	}
	got := fatalOf(t, func(tb testing.TB) { Start(tb, "fake", early, nil) })
	if !strings.Contains(got, "ended early") {
		t.Errorf("Start fatal %q, want one saying the binary ended early", got)
	}
}

func TestStartPassesTheDefaultsAndTheTestsVariables(t *testing.T) {
	got := map[string]string{}
	spy := func(ctx context.Context, _ []string, lookup config.Lookup, stderr io.Writer, listening func(string)) error {
		for _, k := range []string{"ZONEOPS_DATA_DIR", "ZONEOPS_LOG_LEVEL", "ZONEOPS_PPROF_ADDR"} {
			got[k], _ = lookup(k)
		}
		return fakeMain(http.StatusOK, nil)(ctx, nil, lookup, stderr, listening)
	}
	p := Start(t, "fake", spy, map[string]string{"ZONEOPS_LOG_LEVEL": "debug", "ZONEOPS_PPROF_ADDR": "127.0.0.1:1"})
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if got["ZONEOPS_DATA_DIR"] == "" || got["ZONEOPS_LOG_LEVEL"] != "debug" || got["ZONEOPS_PPROF_ADDR"] != "127.0.0.1:1" {
		t.Errorf("variables seen %v, want a data dir and the test's log level and pprof address", got)
	}
}
