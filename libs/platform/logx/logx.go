// Package logx builds the JSON slog loggers every zoneops process uses: one line per record,
// with the request id or event id of the work in hand taken from the context. Services add
// their own "service" attribute; "process" names the binary, which may run several services.
package logx

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

// New returns a JSON logger at the named level (debug, info, warn, error) writing to w, tagged
// with the process (binary) name.
func New(w io.Writer, level, process string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})
	return slog.New(reqctx.LogHandler(h)).With("process", process), nil
}
