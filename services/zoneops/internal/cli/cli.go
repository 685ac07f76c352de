// Package cli is zonectl, the command-line client of zoneops: it mints development tokens,
// drives the tenants API (applications and licences) and the allocation API (zones, plots,
// buildings, units, allocation requests and leases), tails the event streams and lists and
// replays dead letters. cmd/zonectl only calls Main; everything else lives here so that tests
// can run whole commands against fake servers.
package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/zoneops/zoneops/libs/platform/app"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// DevJWTSecret is the HS256 secret that the zoneops binary and zonectl use when none is
// configured. It is in one place so that `make run` and `zonectl token` agree out of the box;
// it is public, so nothing signed with it may be trusted outside a laptop.
const DevJWTSecret = app.DevJWTSecret

// Environment variables zonectl reads. Flags win over them, and they win over the runtime
// info file.
const (
	EnvTenantsURL    = "ZONEOPS_TENANTS_URL"
	EnvAllocationURL = "ZONEOPS_ALLOCATION_URL"
	EnvNATSURL       = "ZONEOPS_NATS_URL"
	EnvToken         = "ZONEOPS_TOKEN"
	EnvJWTSecret     = "ZONEOPS_JWT_SECRET"
)

// Env is what a zonectl run sees of the outside world. Main fills it from the process; tests
// fill it with buffers, a fixed environment and a fixed clock.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv looks up an environment variable; nil means none is set.
	Getenv func(string) string
	// Now is the clock used to mint tokens; nil means time.Now.
	Now func() time.Time
}

func (e Env) getenv(key string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(key)
}

func (e Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// Main runs zonectl with the process's arguments and streams and returns the exit code.
// Ctrl-C cancels the context, which ends `events tail` cleanly and aborts requests in flight.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}, os.Args[1:])
}

// Run executes one zonectl command line and returns the exit code: 0 on success, 1 on any
// failure, after printing the failure (every field error of a problem response) to
// env.Stderr.
func Run(ctx context.Context, env Env, args []string) int {
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	cmd := NewCommand(env)
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(ctx); err != nil {
		printError(env.Stderr, err)
		return 1
	}
	return 0
}

// Output formats.
const (
	outputTable = "table"
	outputJSON  = "json"
	// outputID prints only the ids of the records an answer holds, one a line, so that a
	// script can take them: APP=$(zonectl applications create -f app.json -o id).
	outputID = "id"
)

// options holds the global flags; every subcommand reads them through the pointer its
// constructor received, so there is no package-level state.
type options struct {
	env           Env
	tenantsURL    string
	allocationURL string
	natsURL       string
	token         string
	output        string
	dataDir       string
}

// NewCommand builds the zonectl command tree for one run.
func NewCommand(env Env) *cobra.Command {
	o := &options{env: env}
	root := &cobra.Command{
		Use:   "zonectl",
		Short: "Command-line client of zoneops",
		Long: "zonectl drives a running zoneops: applications and licences in the tenants service;\n" +
			"zones, plots, buildings, units, allocation requests and leases in the allocation\n" +
			"service; live events on NATS JetStream and the dead-letter stream.\n\n" +
			"URLs come from flags, then ZONEOPS_TENANTS_URL / ZONEOPS_ALLOCATION_URL /\n" +
			"ZONEOPS_NATS_URL, then the <data-dir>/zoneops.json that `make run` writes.\n" +
			"NATS credentials come from ZONEOPS_NATS_USER/ZONEOPS_NATS_PASSWORD, ZONEOPS_NATS_TOKEN,\n" +
			"ZONEOPS_NATS_CREDS or ZONEOPS_NATS_NKEY_SEED_FILE, else, for the NATS of zoneops.json,\n" +
			"from <data-dir>/" + NATSCredentialsFile + " (0600; a new password every start).\n" +
			"Mint a token with\n" +
			"  export ZONEOPS_TOKEN=$(zonectl token --role operator)",
		SilenceUsage:  true, // a failed request is not a usage mistake; the usage would bury the error
		SilenceErrors: true, // Run prints errors itself, problems with every field error
		PersistentPreRunE: func(*cobra.Command, []string) error {
			if o.output != outputTable && o.output != outputJSON && o.output != outputID {
				return fmt.Errorf("--output must be %s, %s or %s, not %q", outputTable, outputJSON, outputID, o.output)
			}
			return nil
		},
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	f := root.PersistentFlags()
	f.StringVar(&o.tenantsURL, "tenants-url", "", "base URL of the tenants API (env "+EnvTenantsURL+")")
	f.StringVar(&o.allocationURL, "allocation-url", "", "base URL of the allocation API (env "+EnvAllocationURL+")")
	f.StringVar(&o.natsURL, "nats-url", "", "NATS URL (env "+EnvNATSURL+")")
	f.StringVar(&o.token, "token", "", "bearer token (env "+EnvToken+")")
	f.StringVarP(&o.output, "output", "o", outputTable, "output format: table, json, or id (only the ids of the records, one a line)")
	f.StringVar(&o.dataDir, "data-dir", "./data", "data directory of a local zoneops, for "+RuntimeInfoFile)

	root.AddCommand(
		newTokenCommand(o),
		newApplicationsCommand(o),
		newLicencesCommand(o),
		newZonesCommand(o),
		newPlotsCommand(o),
		newBuildingsCommand(o),
		newUnitsCommand(o),
		newRequestsCommand(o),
		newLeasesCommand(o),
		newEventsCommand(o),
		newDLQCommand(o),
	)
	return root
}

// errNoRuntime explains how to get a URL when none was given.
func errNoRuntime(what, flag string) error {
	return fmt.Errorf("no %s: start zoneops with `make run` (it writes %s into --data-dir), "+
		"or pass %s", what, RuntimeInfoFile, flag)
}

// resolve picks a setting from the flag, then the environment, then the runtime info file,
// so that an explicit choice always wins over what a local zoneops advertises.
func (o *options) resolve(flagValue, envKey string, fromFile func(RuntimeInfo) string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v := o.env.getenv(envKey); v != "" {
		return v, nil
	}
	info, err := ReadRuntimeInfo(o.dataDir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return fromFile(info), nil
}

// serviceURL resolves the base URL of the API a: its --<a>-url flag, then its environment
// variable, then services[a] in the runtime info file.
func (o *options) serviceURL(a api) (string, error) {
	var flagValue, envKey string
	switch a {
	case tenantsAPI:
		flagValue, envKey = o.tenantsURL, EnvTenantsURL
	case allocationAPI:
		flagValue, envKey = o.allocationURL, EnvAllocationURL
	default:
		return "", fmt.Errorf("unknown API %q", a)
	}
	u, err := o.resolve(flagValue, envKey, func(i RuntimeInfo) string { return i.Services[string(a)] })
	if err != nil {
		return "", err
	}
	if u == "" {
		return "", errNoRuntime(string(a)+" URL", "--"+string(a)+"-url")
	}
	return u, nil
}

func (o *options) natsServerURL() (string, error) {
	u, err := o.resolve(o.natsURL, EnvNATSURL, func(i RuntimeInfo) string { return i.NATSURL })
	if err != nil {
		return "", err
	}
	if u == "" {
		return "", errNoRuntime("NATS URL", "--nats-url")
	}
	return u, nil
}

func (o *options) bearer() (string, error) {
	if o.token != "" {
		return o.token, nil
	}
	if t := o.env.getenv(EnvToken); t != "" {
		return t, nil
	}
	// Failing here rather than sending no token gives a hint instead of a bare 401.
	return "", fmt.Errorf("no token: pass --token or set %s, e.g. export %s=$(zonectl token --role operator)", EnvToken, EnvToken)
}

func (o *options) json() bool { return o.output == outputJSON }
