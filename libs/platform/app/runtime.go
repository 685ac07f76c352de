package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
)

// DevJWTSecret signs development tokens when no secret is configured. It is public (it is in
// this file), so it is accepted only on the embedded defaults, or off them when the insecure
// development mode is asked for explicitly, and a process using it says so in its log.
const DevJWTSecret = "zoneops-dev-secret-do-not-use-in-production"

// Common is the configuration every zoneops process shares (variables carry the ZONEOPS_
// prefix). Empty NATS_URL and POSTGRES_DSN mean the embedded defaults: an in-process NATS
// server with JetStream and a SQLite file per service under DATA_DIR.
type Common struct {
	DataDir string `env:"DATA_DIR" default:"./data" help:"where SQLite files and the embedded NATS store live"`
	NATSURL string `env:"NATS_URL" help:"external NATS server(s); empty starts an embedded server"`
	// NATSAccess is the credential for NATS_URL; the embedded server makes its own.
	NATSAccess
	PostgresDSN string `env:"POSTGRES_DSN" help:"PostgreSQL DSN (a schema per service); empty uses SQLite"`
	JWTSecret   string `env:"JWT_SECRET" secret:"true" help:"HS256 secret (at least 32 bytes) that tokens are signed with"`
	JWKSURL     string `env:"JWKS_URL" help:"JWKS URL of the OIDC issuer (RS256/ES256); overrides JWT_SECRET"`
	JWTIssuer   string `env:"JWT_ISSUER" help:"required iss claim, if set"`
	JWTAudience string `env:"JWT_AUDIENCE" help:"required aud claim, if set"`
	// JWTMaxLifetime bounds HS256 and JWKS tokens alike: OIDC access tokens live minutes to
	// hours, so a day refuses only tokens nobody should hold.
	JWTMaxLifetime time.Duration `env:"JWT_MAX_LIFETIME" default:"24h" help:"tokens valid for longer than this (exp - iat, or exp - now) are refused; 0 means 24h"`
	// InsecureDevAuth accepts the public DevJWTSecret off the embedded defaults: for a shared
	// test bed, never for production.
	InsecureDevAuth bool   `env:"INSECURE_DEV_AUTH" help:"accept tokens signed with the public development secret even with NATS_URL or POSTGRES_DSN set (never in production)"`
	LogLevel        string `env:"LOG_LEVEL" default:"info" help:"debug, info, warn or error"`
	// DBMaxConns sizes each service's PostgreSQL request pool; the outbox relay has its own
	// connection beside it.
	DBMaxConns int `env:"DB_MAX_CONNS" default:"32" help:"PostgreSQL connections per service for requests (SQLite: one writer and a read pool)"`
	// PprofAddr is off by default: profiles show internals, so they get their own address,
	// never the API's, that an operator binds to loopback or a private network.
	PprofAddr string `env:"PPROF_ADDR" help:"address of a net/http/pprof listener (/debug/pprof/), e.g. 127.0.0.1:6060; empty is off"`

	// Shared, when set, is the verifier every unit of the process uses, so a process running
	// several services fetches JWKS keys once. Not configuration: the process sets it.
	Shared auth.Verifier
}

// OpenDB opens the named service's own database: <DataDir>/<service>.db on SQLite, or the
// schema named after the service on PostgreSQL (created if missing), so services never share
// tables.
func (c Common) OpenDB(ctx context.Context, service string) (*db.DB, error) {
	if c.PostgresDSN == "" {
		return db.Open(ctx, db.Config{Driver: string(db.SQLite), DSN: filepath.Join(c.DataDir, service+".db")})
	}
	dsn, err := SchemaDSN(ctx, c.PostgresDSN, service)
	if err != nil {
		return nil, err
	}
	return db.Open(ctx, db.Config{Driver: string(db.Postgres), DSN: dsn, MaxOpenConns: c.DBMaxConns})
}

var schemaName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// SchemaDSN creates schema on the server of dsn if needed and returns a DSN whose search_path
// is that schema.
func SchemaDSN(ctx context.Context, dsn, schema string) (string, error) {
	if !schemaName.MatchString(schema) {
		return "", fmt.Errorf("schema name %q: want lower-case letters, digits and _", schema)
	}
	admin, err := db.Open(ctx, db.Config{Driver: string(db.Postgres), DSN: dsn, MaxOpenConns: 1})
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil {
		return "", fmt.Errorf("create schema %s: %w", schema, err)
	}
	// btree_gist backs exclusion constraints (no overlapping leases); it lives per database.
	// Several services start at once against one database, so this must be safe concurrently.
	if err := db.EnsureExtension(ctx, admin, "btree_gist"); err != nil {
		return "", err
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn + " search_path=" + schema, nil
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// AuthFlags are the flags that name Common's authentication settings; binaries pass them to
// config.RegisterFlags beside their own.
var AuthFlags = []string{"INSECURE_DEV_AUTH", "INSECURE_NATS"}

// Validate refuses authentication settings that would let strangers in: a secret too short to
// resist guessing; off the embedded defaults, no secret or JWKS at all (the development
// secret is public) unless InsecureDevAuth asks for it; and an external NATS without
// credentials unless InsecureNATS asks for it. config.Load calls it.
func (c Common) Validate() error {
	var problems []string
	if c.JWTSecret != "" && len(c.JWTSecret) < auth.MinSecretLen {
		problems = append(problems, fmt.Sprintf("%sJWT_SECRET is %d bytes, need at least %d (for example: openssl rand -hex 32)",
			CommonPrefix, len(c.JWTSecret), auth.MinSecretLen))
	}
	if c.JWTMaxLifetime < 0 {
		problems = append(problems, fmt.Sprintf("%sJWT_MAX_LIFETIME must not be negative", CommonPrefix))
	}
	if c.DevAuth() && !c.Embedded() && !c.InsecureDevAuth {
		problems = append(problems, fmt.Sprintf("%sNATS_URL or %sPOSTGRES_DSN is set, so tokens must not be signed with the public "+
			"development secret: set %sJWT_SECRET (at least %d bytes) or %sJWKS_URL, or, for a test bed only, "+
			"--insecure-dev-auth (%sINSECURE_DEV_AUTH=true)",
			CommonPrefix, CommonPrefix, CommonPrefix, auth.MinSecretLen, CommonPrefix, CommonPrefix))
	}
	problems = append(problems, c.NATSAccess.validate(c.NATSURL)...)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Embedded reports whether the process runs on the embedded defaults (its own NATS server and
// SQLite files), where nobody else can reach it unless they can reach this machine.
func (c Common) Embedded() bool { return c.NATSURL == "" && c.PostgresDSN == "" }

// DevAuth reports whether tokens are signed with the public development secret: neither a
// secret nor a JWKS URL is configured.
func (c Common) DevAuth() bool { return c.JWTSecret == "" && c.JWKSURL == "" }

// Verifier returns the token verifier: Shared when set, else JWKS when configured, else HS256
// with the configured or the development secret. It refuses what Validate refuses, and logs
// on every start that the development secret is in use: a warning on the embedded defaults, an
// error off them.
func (c Common) Verifier(ctx context.Context, logger *slog.Logger) (auth.Verifier, error) {
	if c.Shared != nil {
		return c.Shared, nil
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	opts := []auth.Option{auth.WithMaxLifetime(c.maxLifetime())}
	if c.JWTIssuer != "" {
		opts = append(opts, auth.WithIssuer(c.JWTIssuer))
	}
	if c.JWTAudience != "" {
		opts = append(opts, auth.WithAudience(c.JWTAudience))
	}
	if c.JWKSURL != "" {
		return auth.NewJWKS(ctx, c.JWKSURL, append(opts, auth.WithLogger(logger))...)
	}
	if c.DevAuth() && logger != nil {
		if c.Embedded() {
			logger.Warn("using the public development JWT secret, as on the embedded defaults; set " + CommonPrefix +
				"JWT_SECRET or " + CommonPrefix + "JWKS_URL for anything others can reach")
		} else {
			logger.Error("INSECURE: accepting tokens signed with the public development JWT secret, which anyone can use to act as an operator ("+
				CommonPrefix+"INSECURE_DEV_AUTH); set "+CommonPrefix+"JWT_SECRET or "+CommonPrefix+"JWKS_URL",
				"nats_url_set", c.NATSURL != "", "postgres_dsn_set", c.PostgresDSN != "")
		}
	}
	return auth.NewHS256([]byte(c.Secret()), opts...)
}

// maxLifetime is JWTMaxLifetime, or the default for a Common filled in by code.
func (c Common) maxLifetime() time.Duration {
	if c.JWTMaxLifetime == 0 {
		return auth.DefaultMaxLifetime
	}
	return c.JWTMaxLifetime
}

// Secret is the HS256 secret in force: the configured one, or the development one.
func (c Common) Secret() string {
	if c.JWTSecret != "" {
		return c.JWTSecret
	}
	return DevJWTSecret
}

// HTTPURL turns a listen address into a URL a person can paste.
func HTTPURL(addr string) string {
	host := addr
	if strings.HasPrefix(host, ":") || strings.HasPrefix(host, "0.0.0.0:") || strings.HasPrefix(host, "[::]:") {
		host = "127.0.0.1" + host[strings.LastIndex(host, ":"):]
	}
	return "http://" + host
}

// ErrUsage marks a command-line mistake (exit code 2).
var ErrUsage = errors.New("usage")
